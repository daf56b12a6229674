import Models
import Torch
import XCTest

/// The embedder's two recipes for unseen classes: pretrained features kept in the embedding
/// (`backboneShare`), and a frozen backbone under a trained head.
final class TripletEmbedderTests: XCTestCase {
    override func setUp() { Torch.threads = 2 }

    private func cosine(_ a: [Float], _ b: [Float]) -> Double {
        let dot = zip(a, b).map { Double($0) * Double($1) }.reduce(0, +)
        let norms = (a.map { Double($0 * $0) }.reduce(0, +) * b.map { Double($0 * $0) }.reduce(0, +)).squareRoot()
        return dot / norms
    }

    func testSharedEmbeddingCosineIsTheWeightedSumOfBothCosines() throws {
        Torch.manualSeed(3)
        let embedder = try TripletEmbedder(backbone: SmallCNN(classes: 1, width: 8), embeddingDimension: 6, hidden: 16, backboneShare: 0.7)
        embedder.eval()
        let x = try Tensor.randn([2, 3, 32, 32])
        let e = try withoutGrad { try embedder(x) }
        let pooled = try withoutGrad { try embedder.backbone.pooledFeatures(x) }
        let learned = try withoutGrad { try embedder.head(pooled) }
        let d = embedder.backbone.featureDimension
        XCTAssertEqual(e.shape, [2, d + 6])
        XCTAssertEqual(embedder.embeddingDimension, d + 6)
        let (rows, f, g) = (try e.floats(), try pooled.floats(), try learned.floats())
        let row = { (i: Int) in Array(rows[i * (d + 6) ..< (i + 1) * (d + 6)]) }
        for i in 0..<2 { XCTAssertEqual(row(i).map { Double($0 * $0) }.reduce(0, +), 1, accuracy: 1e-5, "unit length") }
        let expected = 0.7 * cosine(Array(f[0..<d]), Array(f[d...])) + 0.3 * cosine(Array(g[0..<6]), Array(g[6...]))
        XCTAssertEqual(cosine(row(0), row(1)), expected, accuracy: 1e-5)
        XCTAssertThrowsError(try TripletEmbedder(backbone: SmallCNN(classes: 1, width: 8), backboneShare: 1))
    }

    func testAFrozenBackboneKeepsItsWeightsAndStatisticsWhileTheHeadLearns() throws {
        Torch.manualSeed(4)
        let embedder = try TripletEmbedder(backbone: SmallCNN(classes: 1, width: 8), embeddingDimension: 6, hidden: 16)
        try embedder.freezeBackbone()
        embedder.train()
        let before = try embedder.backbone.stateDict().map { ($0.0, try $0.1.floats()) }
        let headBefore = try embedder.head.stateDict().map { try $0.1.floats() }
        let optimizer = try Adam([ParameterGroup("all", embedder.namedTrainableParameters())], learningRate: 0.1)
        XCTAssertTrue(embedder.namedTrainableParameters().allSatisfy { $0.0.hasPrefix("head.") })
        let loss = try Loss.batchAllTriplet(embedder(Tensor.randn([4, 3, 32, 32])), labels: Tensor([0, 0, 1, 1] as [Int64], shape: [4]), margin: 1)
        try loss.backward()
        try optimizer.step()
        for ((name, old), (_, new)) in zip(before, try embedder.backbone.stateDict().map { ($0.0, try $0.1.floats()) }) {
            XCTAssertEqual(old, new, "\(name) changed")  // weights and batch-norm running statistics alike
        }
        XCTAssertNotEqual(headBefore, try embedder.head.stateDict().map { try $0.1.floats() }, "the head trains")
    }
}
