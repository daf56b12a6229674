import Foundation
import LookKitCore
import TestSupport
import Training
import XCTest

/// Run configs read from YAML or JSON into typed values with the defaults of the type; an unknown
/// choice, a misspelt key or a missing one fails when the file is read, naming the key.
final class RunConfigTests: XCTestCase {
    private func write(_ text: String, _ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lookkit-config-\(UUID().uuidString)-\(name)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func loadError(_ text: String, _ name: String) throws -> ConfigError {
        let url = try write(text, name)
        do {
            _ = try RunConfig.load(url)
        } catch let error as ConfigError {
            XCTAssertTrue(error.description.hasPrefix(url.path), error.description)
            return error
        }
        XCTFail("\(name) loaded without an error")
        return ConfigError("no error")
    }

    private let yaml = """
        # a comment, as in ultralytics' yaml files
        name: demo
        task: embedder
        model: {architecture: small_cnn, embeddingDimension: 16}
        data:
          root: datasets/demo/clothing
          classes: [pants, "t-shirt"]
        triplet:
          mining: batch-all
        steps: 40
        """

    func testYAMLAndJSONReadTheSameTypedConfigWithTheTypesDefaults() throws {
        let fromYAML = try RunConfig.load(write(yaml, "run.yaml"))
        let fromJSON = try RunConfig.load(write("""
            {"name": "demo", "task": "embedder", "model": {"architecture": "small_cnn", "embeddingDimension": 16},
             "data": {"root": "datasets/demo/clothing", "classes": ["pants", "t-shirt"]}, "triplet": {"mining": "batch-all"}, "steps": 40}
            """, "run.json"))
        XCTAssertEqual(fromYAML, fromJSON)
        XCTAssertEqual(fromYAML.task, .embedder)
        XCTAssertEqual(fromYAML.model.architecture, .smallCNN)
        XCTAssertEqual(fromYAML.triplet.mining, .batchAll)
        XCTAssertEqual(fromYAML.data.classes, ["pants", "t-shirt"])
        // Left out, so the type's defaults.
        XCTAssertEqual(fromYAML.batchSize, 32)
        XCTAssertEqual(fromYAML.triplet.margin, 0.2)
        XCTAssertEqual(fromYAML.triplet.distance, .euclidean)
        XCTAssertEqual(fromYAML.optimizer.name, .adamw)
        XCTAssertEqual(fromYAML.optimizer.learningRate, 1e-3)
        XCTAssertEqual(fromYAML.validateEvery, 1)
        // What a checkpoint stores reads back equal.
        XCTAssertEqual(try JSONDecoder().decode(RunConfig.self, from: Data(fromYAML.json.utf8)), fromYAML)
    }

    func testSetOverridesTypedValuesAndRejectsUnknownKeys() throws {
        let base = try RunConfig.load(write(yaml, "run.yaml"))
        let changed = try base.applying(["style.distance=global", "triplet.margin=0.5", "style.freezeBackbone=false", "steps=7", "data.classes=[pants]"])
        XCTAssertEqual(changed.style.distance, .global)
        XCTAssertEqual(changed.triplet.margin, 0.5)
        XCTAssertFalse(changed.style.freezeBackbone)
        XCTAssertEqual(changed.steps, 7)
        XCTAssertEqual(changed.data.classes, ["pants"])
        var expected = base
        (expected.style.distance, expected.triplet.margin, expected.style.freezeBackbone, expected.steps, expected.data.classes) = (.global, 0.5, false, 7, ["pants"])
        XCTAssertEqual(changed, expected, "nothing else changes")
        for (bad, named) in [("style.distanse=global", "distanse"), ("style.distance=cosine", "cosine"), ("steps", "key.path=value"),
                             ("steps=-3", "steps")] {
            XCTAssertThrowsError(try base.applying([bad]), bad) { XCTAssertTrue("\($0)".contains(named), "\(bad): \($0)") }
        }
    }

    func testUnknownMiningFailsNamingTheKeyAndTheAllowedValues() throws {
        let error = try loadError(yaml.replacingOccurrences(of: "mining: batch-all", with: "mining: batch-hardest"), "run.yaml")
        XCTAssertTrue(error.description.contains(
            "triplet.mining: unknown value 'batch-hardest', did you mean 'batch-hard'? (allowed: batch-hard, batch-all, random)"),
                      error.description)
        XCTAssertEqual(error.category.exitCode, 64)
    }

    func testUnknownOptimizerFailsNamingTheKey() throws {
        let error = try loadError("""
            {"name": "x", "task": "gender", "model": {"architecture": "resnet18"}, "data": {"root": "d"}, "steps": 5,
             "optimizer": {"name": "lion"}}
            """, "run.json")
        XCTAssertTrue(error.description.contains("optimizer.name: unknown value 'lion' (allowed: sgd, adam, adamw)"), error.description)
    }

    func testMisspeltAndMissingKeysFail() throws {
        let misspelt = try loadError(yaml.replacingOccurrences(of: "mining:", with: "minning:"), "run.yaml")
        XCTAssertTrue(misspelt.description.contains("triplet.minning: unknown key, did you mean 'mining'? (known: margin, mining,"),
                      misspelt.description)
        let missing = try loadError(yaml.replacingOccurrences(of: "steps: 40", with: ""), "run.yaml")
        XCTAssertTrue(missing.description.contains("missing key 'steps'"), missing.description)
        let task = try loadError(yaml.replacingOccurrences(of: "task: embedder", with: "task: segmenter"), "run.yaml")
        XCTAssertTrue(task.description.contains("task: unknown value 'segmenter' (allowed: embedder, autoencoder, gender, detector, style)"), task.description)
        let detector = try loadError(yaml.replacingOccurrences(of: "task: embedder", with: "task: detectr"), "run.yaml")
        XCTAssertTrue(detector.description.contains("did you mean 'detector'?"), detector.description)
    }

    func testAKeyOrValueFarFromEveryKnownOneGetsNoGuess() throws {
        let key = try loadError(yaml.replacingOccurrences(of: "mining:", with: "colour:"), "run.yaml")
        XCTAssertTrue(key.description.contains("triplet.colour: unknown key (known: margin, mining,"), key.description)
        let value = try loadError(yaml.replacingOccurrences(of: "mining: batch-all", with: "mining: hardest-negatives"), "run.yaml")
        XCTAssertTrue(value.description.contains("triplet.mining: unknown value 'hardest-negatives' (allowed:"), value.description)
    }

    /// Each field's error names the dotted key, the value and the range; none of them trains.
    func testNumbersOutsideTheirRangeFailNamingKeyValueAndRange() throws {
        let cases: [(from: String, to: String, message: String)] = [
            ("steps: 40", "steps: 0", "steps: 0 is out of range (> 0)"),
            ("steps: 40", "steps: -5", "steps: -5 is out of range (> 0)"),
            ("steps: 40", "steps: 40\nbatchSize: 0", "batchSize: 0 is out of range (> 0)"),
            ("steps: 40", "steps: 40\nbatchSize: -8", "batchSize: -8 is out of range (> 0)"),
            ("steps: 40", "steps: 40\noptimizer: {learningRate: -0.1}", "optimizer.learningRate: -0.1 is out of range (> 0)"),
            ("steps: 40", "steps: 40\noptimizer: {learningRate: .nan}", "optimizer.learningRate: nan is out of range (> 0)"),
            ("steps: 40", "steps: 40\noptimizer: {momentum: 1.0}", "optimizer.momentum: 1 is out of range (>= 0 and < 1)"),
            ("steps: 40", "steps: 40\nema: 1.5", "ema: 1.5 is out of range (> 0 and < 1)"),
            ("steps: 40", "steps: 40\ngradientClipNorm: 0", "gradientClipNorm: 0 is out of range (> 0)"),
            ("steps: 40", "steps: 40\nschedule: {warmupSteps: -1}", "schedule.warmupSteps: -1 is out of range (>= 0)"),
            ("root: datasets/demo/clothing", "root: datasets/demo/clothing\n  imageSize: 0", "data.imageSize: 0 is out of range (> 0)"),
            ("root: datasets/demo/clothing", "root: datasets/demo/clothing\n  workers: -1", "data.workers: -1 is out of range (>= 0)"),
            ("embeddingDimension: 16", "embeddingDimension: 0", "model.embeddingDimension: 0 is out of range (> 0)"),
            ("mining: batch-all", "mining: batch-all\n  classesPerBatch: 1", "triplet.classesPerBatch: 1 is out of range (>= 2)"),
        ]
        for (from, to, message) in cases {
            XCTAssertTrue(yaml.contains(from), from)
            let error = try loadError(yaml.replacingOccurrences(of: from, with: to), "run.yaml")
            XCTAssertTrue(error.description.hasSuffix(": " + message), "\(to): \(error.description)")
            XCTAssertEqual(error.category.exitCode, 64)
        }
        let json = try loadError("""
            {"name": "x", "task": "gender", "model": {"architecture": "resnet18"}, "data": {"root": "d"}, "steps": 5,
             "optimizer": {"learningRate": -0.1}}
            """, "run.json")
        XCTAssertTrue(json.description.hasSuffix("run.json: optimizer.learningRate: -0.1 is out of range (> 0)"), json.description)
    }

    func testYAMLSyntaxErrorsNameLineAndColumn() throws {
        let error = try loadError(yaml.replacingOccurrences(of: "  root: datasets/demo/clothing", with: "  root: [datasets/demo/clothing"),
                                  "run.yaml")
        XCTAssertTrue(error.description.contains("run.yaml:7:"), error.description)
        XCTAssertTrue(error.description.contains("not valid YAML"), error.description)
        let tab = try loadError("name: demo\ntask: embedder\n\tsteps: 3\n", "run.yaml")
        XCTAssertTrue(tab.description.contains("run.yaml:3:1: not valid YAML"), tab.description)
    }

    func testJSONSyntaxErrorsNameLineAndColumn() throws {
        let error = try loadError("{\n  \"name\": \"x\",,\n  \"steps\": 3\n}\n", "run.json")
        XCTAssertTrue(error.description.contains("run.json:2:15: not valid JSON"), error.description)
        let cut = try loadError("{\"name\": \"é\", \"task\": [", "run.json")
        XCTAssertTrue(cut.description.contains("run.json:1:24: not valid JSON"), cut.description)
    }

    /// Ten thousand seeded mutants each of a YAML and a JSON config: no trap, every failure a
    /// `ConfigError` (or unreadable-file error) naming the file.
    func testMutatedConfigsFailCleanly() throws {
        try assertMutantsFailCleanly(of: yaml, at: write("", "run.yaml"), seed: 41) { url in
            _ = try RunConfig.load(url)
            return []
        }
        let json = try String(decoding: JSONEncoder().encode(RunConfig.load(write(yaml, "run.yaml"))), as: UTF8.self)
        try assertMutantsFailCleanly(of: json, at: write("", "run.json"), seed: 42) { url in
            _ = try RunConfig.load(url)
            return []
        }
    }

    func testEveryCommittedExperimentConfigReads() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("experiments")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        XCTAssertGreaterThanOrEqual(files.count, 6)
        for file in files { XCTAssertNoThrow(try RunConfig.load(folder.appendingPathComponent(file)), file) }
    }
}
