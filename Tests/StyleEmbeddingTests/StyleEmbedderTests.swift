import Foundation
import Models
import StyleEmbedding
import TestSupport
import Torch
import XCTest

final class StyleEmbedderTests: XCTestCase {
    override func setUp() { Torch.threads = 2 }

    func makeEmbedder() throws -> StyleEmbedder {
        Torch.manualSeed(7)
        let embedder = try StyleEmbedder(backbone: try EfficientNetLite0(classes: nil), regionStage: "head", embeddingDimension: 16,
                                         hidden: 32, keyDimension: 8)
        embedder.eval()
        // Non-trivial batch-norm statistics, so the reference must apply them as LookKit does.
        for (name, slot) in embedder.namedSlots() where name.contains(".1.running") || name.hasSuffix(".1.weight") {
            if let t = slot.tensor { slot.set(try Tensor.rand(t.shape) + 0.5) }
        }
        return embedder
    }

    /// Random features shaped as the backbone gives them: [N, C] pooled, [N, R, C] regions.
    func features(n: Int, regions: Int) throws -> (scene: StyleEmbedder.Features, product: StyleEmbedder.Features) {
        let scene = StyleEmbedder.Features(pooled: try Tensor.randn([n, 1280]), regions: try Tensor.randn([n, regions, 1280]))
        let pooled = try Tensor.randn([n, 1280])
        return (scene, StyleEmbedder.Features(pooled: pooled, regions: try pooled.unsqueezed(1)))
    }

    /// The attention sign: a scene with one region identical to the product gives that region the largest weight.
    func testTheRegionThatLooksLikeTheProductWeighsMost() throws {
        let embedder = try makeEmbedder()
        let (scene, product) = try features(n: 3, regions: 9)
        var regions = try scene.regions.floats()
        let item = try product.pooled.floats()
        let planted = [4, 0, 8]
        for (i, k) in planted.enumerated() {
            for c in 0..<1280 { regions[(i * 9 + k) * 1280 + c] = item[i * 1280 + c] }
        }
        let withTwin = StyleEmbedder.Features(pooled: scene.pooled, regions: try Tensor(regions, shape: [3, 9, 1280]))
        let attention = try withoutGrad { try embedder.distances(scene: withTwin, product: product).attention }.floats()
        for (i, k) in planted.enumerated() {
            let row = Array(attention[i * 9..<(i + 1) * 9])
            XCTAssertEqual(row.indices.max { row[$0] < row[$1] }, k, "scene \(i): \(row)")
            XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-5)
        }
    }

    /// Global, local and attention equal a plain-torch implementation on the same weights (1e-5).
    func testDistancesMatchAPlainTorchReference() throws {
        let embedder = try makeEmbedder()
        let (scene, product) = try features(n: 4, regions: 6)
        let d = try withoutGrad { try embedder.distances(scene: scene, product: product) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lookkit-style-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let heads = embedder.stateDict().filter { !$0.0.hasPrefix("backbone.") }
        try SafeTensors.write(heads + [("scene_pooled", scene.pooled), ("scene_regions", scene.regions), ("product_pooled", product.pooled)],
                              to: folder.appendingPathComponent("in.safetensors"))
        try ReferencePython.run(script: "Tests/StyleEmbeddingTests/style_reference.py",
                                [folder.appendingPathComponent("in.safetensors").path, folder.appendingPathComponent("out.pt").path])
        let reference = Dictionary(uniqueKeysWithValues: try Checkpoint.load(folder.appendingPathComponent("out.pt")))
        for (name, mine) in [("global", d.global), ("local", d.local), ("attention", d.attention)] {
            let theirs = try XCTUnwrap(reference[name]).floats()
            XCTAssertEqual(mine.shape, try XCTUnwrap(reference[name]).shape, name)
            for (a, b) in zip(try mine.floats(), theirs) { XCTAssertEqual(a, b, accuracy: 1e-5, name) }
        }
        let hybrid = try withoutGrad { try embedder.distance(.hybrid, scene: scene, product: product) }.floats()
        for (h, (g, l)) in zip(hybrid, zip(try d.global.floats(), try d.local.floats())) { XCTAssertEqual(h, (g + l) / 2, accuracy: 1e-6) }
    }

    /// d_l's gradient with respect to the scene's regions equals central differences (float64 throughout).
    func testLocalDistanceGradientMatchesFiniteDifferences() throws {
        let embedder = try makeEmbedder()
        for (_, slot) in embedder.namedSlots() {
            if let t = slot.tensor, t.dtype == .float32 { slot.set(try withoutGrad { try t.to(dtype: .float64) }) }
        }
        let (scene32, product32) = try features(n: 2, regions: 4)
        let regions = try scene32.regions.to(dtype: .float64)
        regions.requiresGrad = true
        let scene = StyleEmbedder.Features(pooled: try scene32.pooled.to(dtype: .float64), regions: regions)
        let product = StyleEmbedder.Features(pooled: try product32.pooled.to(dtype: .float64), regions: try product32.regions.to(dtype: .float64))
        try embedder.distances(scene: scene, product: product).local.sum().backward()
        let analytic = try XCTUnwrap(regions.grad).to(dtype: .float32).floats()
        let base = try regions.detached().to(dtype: .float32).floats()
        let h = 1e-4
        func loss(_ values: [Float], shift index: Int, by delta: Double) throws -> Double {
            let shifted = try Tensor(values, shape: [2, 4, 1280]).to(dtype: .float64)
            var bump = [Float](repeating: 0, count: values.count)
            bump[index] = 1
            let moved = try shifted + (try Tensor(bump, shape: [2, 4, 1280]).to(dtype: .float64) * delta)
            let s = StyleEmbedder.Features(pooled: scene.pooled, regions: moved)
            return try withoutGrad { try embedder.distances(scene: s, product: product).local.sum() }.item()
        }
        // The largest gradients, where an error would show, and a few fixed coordinates.
        let largest = analytic.indices.sorted { abs(analytic[$0]) > abs(analytic[$1]) }.prefix(4)
        XCTAssertGreaterThan(abs(analytic[largest.first ?? 0]), 1e-3)
        for index in Array(largest) + [0, 17, 1280 + 5, 7 * 1280 + 1279] {
            let numeric = (try loss(base, shift: index, by: h) - loss(base, shift: index, by: -h)) / (2 * h)
            XCTAssertEqual(Double(analytic[index]), numeric, accuracy: 1e-6 + 1e-4 * abs(numeric), "coordinate \(index)")
        }
    }
}
