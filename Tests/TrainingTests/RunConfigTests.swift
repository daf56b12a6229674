import Foundation
import LookKitCore
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

    func testUnknownMiningFailsNamingTheKeyAndTheAllowedValues() throws {
        let error = try loadError(yaml.replacingOccurrences(of: "mining: batch-all", with: "mining: batch-hardest"), "run.yaml")
        XCTAssertTrue(error.description.contains("triplet.mining: unknown value 'batch-hardest' (allowed: batch-hard, batch-all, random)"),
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
        XCTAssertTrue(misspelt.description.contains("triplet.minning: unknown key"), misspelt.description)
        let missing = try loadError(yaml.replacingOccurrences(of: "steps: 40", with: ""), "run.yaml")
        XCTAssertTrue(missing.description.contains("missing key 'steps'"), missing.description)
        let task = try loadError(yaml.replacingOccurrences(of: "task: embedder", with: "task: detector2"), "run.yaml")
        XCTAssertTrue(task.description.contains("task: unknown value 'detector2' (allowed: embedder, autoencoder, gender)"), task.description)
    }

    func testEveryCommittedExperimentConfigReads() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("experiments")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        XCTAssertGreaterThanOrEqual(files.count, 6)
        for file in files { XCTAssertNoThrow(try RunConfig.load(folder.appendingPathComponent(file)), file) }
    }
}
