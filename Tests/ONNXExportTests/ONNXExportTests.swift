import Datasets
import Detection
import Foundation
import Models
import StyleEmbedding
@testable import ONNXExport
import TestSupport
import Torch
import Training
import XCTest

/// Models exported from the Swift module tree run in onnxruntime (after onnx.checker) and in OpenCV DNN
/// with LookKit's outputs on real photos, preprocessed as LookKit preprocesses them.
final class ONNXExportTests: XCTestCase {
    override func setUp() { Torch.threads = 2 }

    var work: URL!
    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("lookkit-onnx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(at: work) }

    /// Real photos, stretched to size² and normalised as `lookkit embed` does.
    func photos(_ count: Int, size: Int, normalization: (mean: [Float], std: [Float])) throws -> Tensor {
        let folder = try SharedData.dataset("clothing-dataset-small").appendingPathComponent("validation/pants")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().prefix(count).map { folder.appendingPathComponent($0) }
        return try imageBatchTensor(files.map { try Image(contentsOf: $0).resized(width: size, height: size) }, mean: normalization.mean, std: normalization.std)
    }

    /// onnxruntime's output for `input`, and the file's metadata.
    func onnxruntime(_ file: URL, _ input: Tensor) throws -> (output: [Float], shape: [Int], metadata: [String: String]) {
        let data = work.appendingPathComponent("input-\(UUID().uuidString).f32")
        try input.contiguous().floats().withUnsafeBufferPointer { Data(buffer: $0) }.write(to: data)
        let json = try ReferencePython.run(script: "Tests/ONNXExportTests/onnx_reference.py", [file.path, data.path] + input.shape.map(String.init))
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        return ((object["output"] as! [Double]).map(Float.init), object["shape"] as! [Int], object["metadata"] as! [String: String])
    }

    func assertClose(_ a: [Float], _ b: [Float], relative: Float = 1e-4, _ message: String, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, message, line: line)
        let scale = max(1, a.map(abs).max() ?? 0)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
        XCTAssertLessThanOrEqual(worst / scale, relative, "\(message): max difference \(worst)", line: line)
    }

    func embedderExport(_ backbone: any FeatureExtractor, size: Int, normalization: (mean: [Float], std: [Float]),
                        backboneShare: Double = 0) throws -> ModelExport {
        let embedder = try TripletEmbedder(backbone: backbone, embeddingDimension: 32, hidden: 64, backboneShare: backboneShare)
        // Non-trivial running statistics in the head (the backbones' are ImageNet's or, untrained, the
        // identity), so batch norm's inference form is what is compared.
        for case let bn as BatchNorm in embedder.head.modules() + (backbone is SmallCNN ? backbone.modules() : []) {
            try bn.runningMean?.copy(from: Tensor.randn(bn.runningMean!.shape) * 0.1)
            try bn.runningVar?.copy(from: Tensor.rand(bn.runningVar!.shape) + 0.5)
        }
        var export = ModelExport(module: embedder, input: InputPreprocessing(size: [size, size], mean: normalization.mean, std: normalization.std, resize: "stretch"),
                                 output: ExportedOutput(name: "embeddings", shape: [-1, embedder.embeddingDimension], meaning: "unit-length embeddings"), task: "embedder")
        export.dynamicBatch = true
        return export
    }

    func checkEverywhere(_ export: ModelExport, input: Tensor, name: String) throws {
        let file = work.appendingPathComponent("\(name).onnx")
        let opencvDifference = try export.write(to: file, probe: input, tolerance: 1)  // asserted below, with its value
        XCTAssertLessThanOrEqual(opencvDifference, 1e-4, "OpenCV DNN")
        let expected = try withoutGrad { try export.module(input) }.floats()
        let runtime = try onnxruntime(file, input)
        XCTAssertEqual(runtime.shape, [input.shape[0], export.output.shape[1]])
        assertClose(runtime.output, expected, "\(name): onnxruntime vs LookKit")
        // Dynamic batch: each row equals the photo exported alone.
        let single = try onnxruntime(file, input.slice(0, 1, 2))
        assertClose(single.output, Array(expected[export.output.shape[1]...].prefix(export.output.shape[1])), "\(name): batch 1 vs row 1")
        XCTAssertEqual(runtime.metadata["lookkit.task"], "embedder")
        XCTAssertEqual(runtime.metadata, try ONNXModelFile.metadata(of: file))
        let input = try JSONDecoder().decode(InputPreprocessing.self, from: Data(try XCTUnwrap(runtime.metadata["lookkit.input"]).utf8))
        XCTAssertEqual(input, export.input)
    }

    func testSmallCNNAndMobileNetV2EmbeddersAgreeInOnnxruntimeAndOpenCV() throws {
        let imageNet = (ImageNet.mean, ImageNet.std)
        try checkEverywhere(try embedderExport(SmallCNN(classes: 10, width: 16), size: 64, normalization: imageNet),
                            input: photos(3, size: 64, normalization: imageNet), name: "smallcnn")
        try checkEverywhere(try embedderExport(MobileNetV2(classes: nil), size: 96, normalization: imageNet),
                            input: photos(2, size: 96, normalization: imageNet), name: "mobilenetv2")
        // Backbone features kept in the embedding: normalised, weighted and concatenated with the head's.
        try checkEverywhere(try embedderExport(SmallCNN(classes: 10, width: 16), size: 64, normalization: imageNet, backboneShare: 0.6),
                            input: photos(3, size: 64, normalization: imageNet), name: "smallcnn-shared")
    }

    func testEfficientNetLite0EmbedderWithTensorFlowPaddingAgrees() throws {
        let backbone = try EfficientNetLite0(classes: nil)
        let weights = ReferencePython.packageRoot.appendingPathComponent("checkpoints/pretrained/efficientnet_lite0.safetensors")
        if FileManager.default.fileExists(atPath: weights.path) { try backbone.load(from: weights, strict: false) }
        let export = try embedderExport(backbone, size: 160, normalization: backbone.inputNormalization)
        try checkEverywhere(export, input: photos(2, size: 160, normalization: backbone.inputNormalization), name: "lite0")
    }

    func testResNetClassifierLogitsAndProbabilitiesAgree() throws {
        let classifier = try BackboneClassifier(backbone: ResNet(.resnet18, classes: nil), classes: 3)
        for case let bn as BatchNorm in classifier.modules() {
            try bn.runningMean?.copy(from: Tensor.randn(bn.runningMean!.shape) * 0.1)
            try bn.runningVar?.copy(from: Tensor.rand(bn.runningVar!.shape) + 0.5)
        }
        var export = ModelExport(module: classifier, input: InputPreprocessing(size: [64, 64], mean: ImageNet.mean, std: ImageNet.std, resize: "stretch"),
                                 output: ExportedOutput(name: "logits", shape: [-1, 3], meaning: "logits"), task: "gender", classes: ["a", "b", "c"])
        export.dynamicBatch = true
        let input = try photos(2, size: 64, normalization: (ImageNet.mean, ImageNet.std))
        let file = work.appendingPathComponent("resnet.onnx")
        XCTAssertLessThanOrEqual(try export.write(to: file, probe: input, tolerance: 1), 1e-4, "OpenCV DNN")
        let logits = try withoutGrad { try classifier(input) }
        let runtime = try onnxruntime(file, input)
        assertClose(runtime.output, try logits.floats(), "ResNet logits")
        let probabilities = try logits.softmax(dim: 1).floats()
        let theirs = try Tensor(runtime.output, shape: [2, 3]).softmax(dim: 1).floats()
        for (a, b) in zip(probabilities, theirs) { XCTAssertEqual(a, b, accuracy: 1e-5) }

        // --simplify-bn: every batch norm of ResNet follows a convolution and folds into it.
        var graph = ONNXGraph(inputShape: [1, 3, 64, 64])
        _ = try classifier.exportONNX("images", path: "", to: &graph)
        let convolutions = graph.nodes.filter { $0.op == "Conv" }.count
        try graph.foldBatchNorms()
        XCTAssertEqual(graph.nodes.filter { $0.op == "BatchNormalization" }.count, 0)
        XCTAssertEqual(graph.nodes.filter { $0.op == "Conv" }.count, convolutions)
        XCTAssertFalse(graph.initializers.contains { $0.name.hasSuffix("running_var") }, "unread statistics are dropped")
        export.foldBatchNorms = true
        let folded = work.appendingPathComponent("resnet-folded.onnx")
        XCTAssertLessThanOrEqual(try export.write(to: folded, probe: input, tolerance: 1), 1e-4, "OpenCV DNN, folded")
        assertClose(try onnxruntime(folded, input).output, try logits.floats(), "ResNet logits, batch norms folded")
    }

    func testStyleEmbedderSidesExportAsVectorsThatGiveTheThreeDistances() throws {
        let backbone = try EfficientNetLite0(classes: nil)
        let weights = ReferencePython.packageRoot.appendingPathComponent("checkpoints/pretrained/efficientnet_lite0.safetensors")
        if FileManager.default.fileExists(atPath: weights.path) { try backbone.load(from: weights, strict: false) }
        let embedder = try StyleEmbedder(backbone: backbone, regionStage: "head", embeddingDimension: 16, hidden: 32, keyDimension: 8)
        for case let bn as BatchNorm in embedder.global.modules() + embedder.local.modules() {
            try bn.runningMean?.copy(from: Tensor.randn(bn.runningMean!.shape) * 0.1)
            try bn.runningVar?.copy(from: Tensor.rand(bn.runningVar!.shape) + 0.5)
        }
        embedder.eval()
        let normalization = backbone.inputNormalization
        let (scenes, products) = (try photos(2, size: 96, normalization: normalization), try photos(3, size: 64, normalization: normalization))
        var rows: [StyleRoleNetwork.Role: (lookkit: Tensor, runtime: Tensor)] = [:]
        for (role, input) in [(StyleRoleNetwork.Role.scene, scenes), (.product, products)] {
            let network = StyleRoleNetwork(embedder, role: role)
            let expected = try withoutGrad { try network(input) }
            var export = ModelExport(module: network, input: InputPreprocessing(size: [input.shape[2], input.shape[3]], mean: normalization.mean,
                                                                                 std: normalization.std, resize: "letterbox"),
                                     output: ExportedOutput(name: "vectors", shape: [-1, expected.shape[1]], meaning: "vectors"), task: "style-\(role)")
            export.dynamicBatch = true
            let file = work.appendingPathComponent("style-\(role).onnx")
            XCTAssertLessThanOrEqual(try export.write(to: file, probe: input, tolerance: 1), 1e-4, "OpenCV DNN, \(role)")
            let runtime = try onnxruntime(file, input)
            assertClose(runtime.output, try expected.floats(), "\(role): onnxruntime vs LookKit")
            rows[role] = (expected, try Tensor(runtime.output, shape: runtime.shape))
        }
        XCTAssertEqual(rows[.scene]!.lookkit.shape, [2, 16 + 9 * (16 + 8)], "96² scenes have 3×3 regions")
        XCTAssertEqual(rows[.product]!.lookkit.shape, [3, 16 + 16 + 8])
        // Distances from the exported vectors equal the embedder's own, for every scene–product pair.
        let (sceneFeatures, productFeatures) = try withoutGrad { (try embedder.features(scenes), try embedder.features(products)) }
        for source in [\(lookkit: Tensor, runtime: Tensor).lookkit, \.runtime] {
            let d = try StyleRoleNetwork.distances(scene: rows[.scene]![keyPath: source], product: rows[.product]![keyPath: source],
                                                   embeddingDimension: 16, keyDimension: 8)
            for s in 0..<2 {
                for p in 0..<3 {
                    let pair = try withoutGrad {
                        try embedder.distances(scene: .init(pooled: sceneFeatures.pooled.slice(0, s, s + 1), regions: sceneFeatures.regions.slice(0, s, s + 1)),
                                               product: .init(pooled: productFeatures.pooled.slice(0, p, p + 1), regions: productFeatures.regions.slice(0, p, p + 1)))
                    }
                    XCTAssertEqual(try d.global.slice(0, s, s + 1).slice(1, p, p + 1).item(), try pair.global.item(), accuracy: 1e-4)
                    XCTAssertEqual(try d.local.slice(0, s, s + 1).slice(1, p, p + 1).item(), try pair.local.item(), accuracy: 1e-4)
                    XCTAssertEqual(try d.hybrid.slice(0, s, s + 1).slice(1, p, p + 1).item(),
                                   try StyleEmbedder.chosen(.hybrid, of: pair).item(), accuracy: 1e-4)
                }
            }
        }
    }

    func testYOLOv5nExportGivesThePackagesDecodedOutput() throws {
        let available = try ReferencePython.run(code: "import importlib.util as u; print(u.find_spec('yolov5') is not None)")
        guard available.contains("True") else { throw XCTSkip("the yolov5 package is not in the venv (make setup installs it)") }
        try ReferencePython.run(script: "Tests/DetectionTests/yolov5_reference.py", ["forward", work.path, "yolov5n", "10"])
        let model = try YOLOv5(.named("yolov5n"), classes: 10)
        try model.load(stateDict: Checkpoint.load(work.appendingPathComponent("state.pt")))
        let io = Dictionary(uniqueKeysWithValues: try Checkpoint.load(work.appendingPathComponent("io.pt")))
        let (x, packageOutput) = (try XCTUnwrap(io["input"]), try XCTUnwrap(io["decoded"]))
        var export = ModelExport(module: model, input: InputPreprocessing(size: [128, 96], mean: [0, 0, 0], std: [1, 1, 1], resize: "letterbox", padValue: 114),
                                 output: ExportedOutput(name: "output0", shape: [-1, packageOutput.shape[1], 15], meaning: "decoded boxes"), task: "detector")
        export.dynamicBatch = true
        let file = work.appendingPathComponent("yolov5n.onnx")
        XCTAssertLessThanOrEqual(try export.write(to: file, probe: x, tolerance: 1), 1e-4, "OpenCV DNN")
        let runtime = try onnxruntime(file, x)
        XCTAssertEqual(runtime.shape, packageOutput.shape)
        let theirs = try packageOutput.floats()
        let worst = zip(runtime.output, theirs).map { abs($0 - $1) }.max() ?? .infinity
        XCTAssertLessThan(worst, 1e-3, "onnxruntime vs the yolov5 package: max difference \(worst) (pixels and probabilities)")
        assertClose(runtime.output, try withoutGrad { try model(x) }.floats(), "onnxruntime vs LookKit")

        // `lookkit export --weights state.pt --model yolov5n --classes 10 --img 128`: the package's state dict as it saved it.
        let fromWeights = try ModelExport.detector(weights: work.appendingPathComponent("state.pt"), model: "yolov5n", classes: 10, size: 128)
        XCTAssertEqual(fromWeights.output.shape, [-1, 3 * (16 * 16 + 8 * 8 + 4 * 4), 15])
        XCTAssertEqual(fromWeights.input.resize, "letterbox")
        let square = try Tensor.rand([1, 3, 128, 128])
        let squareFile = work.appendingPathComponent("square.onnx")
        try fromWeights.write(to: squareFile, probe: square)
        assertClose(try onnxruntime(squareFile, square).output, try withoutGrad { try model(square) }.floats(), "state-dict export vs LookKit")

        // `detect --runtime onnx`: the file through OpenCV DNN in the shared predictor finds what LookKit's model finds.
        // Random weights score every box low, so objectness is raised first (the same weights go to both sides).
        let detector = try XCTUnwrap(fromWeights.module as? YOLOv5)
        try withoutGrad {
            for conv in detector.detect.m { try conv.bias!.reshape([3, 15]).slice(1, 4, 6).add(Tensor.scalar(8)) }  // objectness and class 0
        }
        try fromWeights.write(to: squareFile, probe: square)
        let exported = try ExportedModel(contentsOf: squareFile)
        XCTAssertEqual([exported.size, exported.classes.count], [128, 10])
        let street = try SharedData.dataset("colorful-fashion-detection-train").appendingPathComponent("images")
        let photos = try FileManager.default.contentsOfDirectory(atPath: street.path).sorted().prefix(3).map { try Image(contentsOf: street.appendingPathComponent($0)) }
        var nms = NonMaxSuppression()
        (nms.confidence, nms.maxDetections) = (0.3, 30)
        let ours = try YOLOPredictor(model: detector, size: 128, nms: nms)(photos)
        let served = try YOLOPredictor(forward: exported.forward, size: 128, nms: nms)(photos)
        XCTAssertEqual(ours.map(\.count), served.map(\.count))
        XCTAssertGreaterThan(ours.map(\.count).reduce(0, +), 0, "the comparison has boxes to compare")
        for (a, b) in zip(ours.joined(), served.joined()) {
            XCTAssertEqual(a.classID, b.classID)
            XCTAssertEqual(a.confidence, b.confidence, accuracy: 1e-4)
            XCTAssertEqual(a.box.x1, b.box.x1, accuracy: 1e-2)
            XCTAssertEqual(a.box.y2, b.box.y2, accuracy: 1e-2)
        }
    }

    func testALayerWithoutAnONNXFormIsNamed() throws {
        let head = Sequential(try Linear(4, 4), Activation { try $0.relu() * 2 })
        var graph = ONNXGraph(inputShape: [1, 4])
        XCTAssertThrowsError(try head.exportONNX("x", path: "head", to: &graph)) {
            XCTAssertTrue("\($0)".contains("head.1"), "\($0)")
        }
    }

    func testACheckpointExportsAsItEvaluatesWithItsMetadata() throws {
        var config = RunConfig(name: "e", task: .embedder, model: .init(architecture: .smallCNN), data: .init(root: "unused"), steps: 1)
        (config.data.imageSize, config.model.embeddingDimension) = (48, 16)
        let network = try TaskKind.embedder.taskType.network(config: config, classes: ["pants", "shirt"])
        let file = work.appendingPathComponent("best.safetensors")
        try network.module.save(to: file, metadata: ["config": config.json, "classes": "[\"pants\",\"shirt\"]"])
        let export = try ModelExport.checkpoint(file)
        XCTAssertEqual(export.input.size, [48, 48])
        XCTAssertEqual(export.output, ExportedOutput(name: "embeddings", shape: [-1, 16], meaning: export.output.meaning))
        let onnx = work.appendingPathComponent("e.onnx")
        let probe = try photos(2, size: 48, normalization: network.normalization)
        try export.write(to: onnx, probe: probe)
        let runtime = try onnxruntime(onnx, probe.slice(0, 0, 1))
        network.module.eval()
        assertClose(runtime.output, try withoutGrad { try network.output(probe.slice(0, 0, 1)) }.floats(), "restored embedder")
        let sha = try ReferencePython.run(code: "import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())", [file.path])
        XCTAssertEqual(runtime.metadata["lookkit.checkpoint_sha256"], sha.trimmingCharacters(in: .whitespacesAndNewlines))
        XCTAssertEqual(runtime.metadata["names"], "[\"pants\",\"shirt\"]")
        XCTAssertEqual(runtime.metadata["lookkit.task"], "embedder")

        // The autoencoder exports its retrieval path (encoder, bottleneck, L2), not the reconstruction.
        config.task = .autoencoder
        (config.model.architecture, config.data.imageSize) = (.convAutoencoder, 32)
        let autoencoder = try TaskKind.autoencoder.taskType.network(config: config, classes: [])
        try autoencoder.module.save(to: file, metadata: ["config": config.json, "classes": "[]"])
        let codes = try ModelExport.checkpoint(file)
        XCTAssertEqual(codes.output.name, "embeddings")
        let small = try photos(1, size: 32, normalization: autoencoder.normalization)
        try codes.write(to: onnx, probe: small)
        autoencoder.module.eval()
        assertClose(try onnxruntime(onnx, small).output, try withoutGrad { try autoencoder.output(small) }.floats(), "autoencoder embedding")
    }
}

