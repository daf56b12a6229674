import Foundation
import Models
import Training
import Torch
import XCTest

/// A run interrupted and resumed from its checkpoint ends with exactly the weights, optimizer state
/// and EMA of an uninterrupted run: data order, dropout and flips all continue where they stopped.
final class TrainerResumeTests: XCTestCase {
    struct Interrupted: Error {}

    private func makeModel() throws -> Sequential {
        Sequential(try Conv2d(3, 8, kernelSize: 3, padding: 1), try BatchNorm2d(8), Activation.relu, Dropout(0.3),
                   AdaptiveAvgPool2d(1), Flatten(), try Linear(8, 4))
    }

    private func train(_ model: Sequential, data: LabeledTensors, directory: URL, resume: Bool, stopAt: Int? = nil) throws -> Trainer {
        var options = TrainerOptions(totalSteps: 12)
        (options.checkpointEvery, options.checkpointDirectory, options.emaDecay, options.gradientClipNorm, options.seed) =
            (5, directory, 0.9, 1.0, 7)
        let trainer = try Trainer(model: model, optimizer: Adam.adamW(model.namedTrainableParameters(), learningRate: 1e-2),
                                  schedule: CosineSchedule(base: 1e-2, totalSteps: 12), options: options)
        if resume { try trainer.resume(from: XCTUnwrap(trainer.lastCheckpoint)) }
        try trainer.run(batches: { epoch, skip in
            try data.batches(epoch: epoch, skip: skip, batchSize: 16, seed: 3, device: .cpu)
        }, loss: { batch in
            let x = try Tensor.rand([]).item() < 0.5 ? try batch.images.flipped([3]) : batch.images
            return BatchLoss(try Loss.crossEntropy(model(x), batch.labels))
        }, onStep: { record in
            if record.step == stopAt { throw Interrupted() }
        })
        return trainer
    }

    func testResumedRunMatchesUninterruptedRunBitForBit() throws {
        Torch.threads = 2
        Torch.manualSeed(1)
        let data = LabeledTensors(images: try Tensor.randn([64, 3, 8, 8]), labels: try Tensor.randint(0, 4, [64]))
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("resume-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }

        Torch.manualSeed(2)
        let straightModel = try makeModel()
        let straight = try train(straightModel, data: data, directory: root.appendingPathComponent("a"), resume: false)

        Torch.manualSeed(2)
        let interruptedModel = try makeModel()
        XCTAssertThrowsError(try train(interruptedModel, data: data, directory: root.appendingPathComponent("b"), resume: false, stopAt: 7))
        Torch.manualSeed(99)  // the resumed process starts from a different random state
        let resumedModel = try makeModel()
        let resumed = try train(resumedModel, data: data, directory: root.appendingPathComponent("b"), resume: true)

        XCTAssertEqual(resumed.step, 12)
        XCTAssertEqual(straight.epoch, 2)
        for ((name, a), (_, b)) in zip(straightModel.stateDict(), resumedModel.stateDict()) {
            XCTAssertEqual(try a.doubles(), try b.doubles(), "\(name) differs after resume")
        }
        for ((name, a), (_, b)) in zip(try XCTUnwrap(straight.ema).state, try XCTUnwrap(resumed.ema).state) {
            XCTAssertEqual(try a.doubles(), try b.doubles(), "EMA \(name) differs after resume")
        }
        // And the run really moved: the weights are not the initial ones.
        Torch.manualSeed(2)
        let initial = try makeModel()
        XCTAssertNotEqual(try initial.stateDict()[0].1.doubles(), try straightModel.stateDict()[0].1.doubles())
    }
}
