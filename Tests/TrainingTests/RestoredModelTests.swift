import Foundation
import Torch
import Training
import XCTest

/// What eval and embed say when given the wrong kind of checkpoint.
final class RestoredModelTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("restored-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    func testATrainingCheckpointSaysSoAndNamesBestSafetensors() throws {
        let model = Sequential(try Linear(3, 2))
        var options = TrainerOptions(totalSteps: 1)
        options.checkpointDirectory = directory
        let trainer = try Trainer(model: model, optimizer: Adam.adamW(model.namedTrainableParameters(), learningRate: 1e-2),
                                  schedule: CosineSchedule(base: 1e-2, totalSteps: 1), options: options)
        try trainer.saveCheckpoint()
        let last = try XCTUnwrap(trainer.lastCheckpoint)
        XCTAssertThrowsError(try RestoredModel(checkpoint: last, for: .embedding)) {
            XCTAssertEqual("\($0)", "\(last.path): is a training checkpoint (the state `lookkit train --resume` continues from), "
                + "not trained weights; use the run's best.safetensors (\(directory.path)/best.safetensors)")
            XCTAssertEqual(($0 as? TorchError)?.category, .badInput)
        }
    }

    func testARunFolderGivenAsTheCheckpointSaysItIsADirectory() {
        XCTAssertThrowsError(try RestoredModel(checkpoint: directory, for: .embedding)) {
            XCTAssertEqual("\($0)", "\(directory.path): is a directory, not a checkpoint file")
        }
    }
}
