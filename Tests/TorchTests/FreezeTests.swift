import LookKitCore
import XCTest
@testable import Torch

/// Freezing by path prefix works as PyTorch's `requires_grad_(False)`.
final class FreezeTests: TorchTestCase {
    func testFrozenParametersStayBitIdenticalThroughATrainingStep() throws {
        let model = TinyNet()
        try model.freeze(["features.0"])
        XCTAssertEqual(model.namedTrainableParameters().map(\.0),
                       ["features.1.weight", "features.1.bias", "classifier.weight", "classifier.bias"])
        XCTAssertEqual(ParameterGroup.yoloStyle(model, weightDecay: 0.1).flatMap { $0.parameters.map(\.0) },
                       ["classifier.weight", "features.1.weight", "features.1.bias", "classifier.bias"])
        let before = try model.stateDict().map { ($0.0, try $0.1.bytes()) }
        let optimizer = try SGD(model.namedTrainableParameters(), learningRate: 0.1, momentum: 0.9)
        try Loss.crossEntropy(model(Tensor.randn([4, 3, 8, 8])), Tensor.randint(0, 5, [4])).backward()
        XCTAssertNil(model.features.layers[0].parameters()[0].grad)
        try optimizer.step()
        for ((name, old), (_, tensor)) in zip(before, model.stateDict()) {
            if name.hasPrefix("features.0.") {
                XCTAssertEqual(try tensor.bytes(), old, "\(name) is frozen but changed")
            } else {
                XCTAssertNotEqual(try tensor.bytes(), old, "\(name) did not change")
            }
        }
    }

    func testUnknownPrefixIsAConfigErrorNamingIt() throws {
        let model = TinyNet()
        // "feat" is not a path component: prefixes match whole components only.
        XCTAssertThrowsError(try model.freeze(["features.0", "backbone", "feat"])) { error in
            XCTAssertTrue("\(error)".contains("'backbone', 'feat'"), "\(error)")
            XCTAssertFalse("\(error)".contains("features.0"), "\(error)")
            XCTAssertEqual((error as? TorchError)?.category, .badConfig)
        }
        XCTAssertEqual(model.trainableParameters().count, 6, "a failed freeze changes nothing")
        XCTAssertThrowsError(try model.unfreeze(["nope"]))
    }

    /// Frozen stays frozen when tensors are replaced (as `move(to:)` does) or loaded, and frozen
    /// parameters stay in the state dict so checkpoints are complete.
    func testFreezingSurvivesMoveAndLoad() throws {
        let model = TinyNet()
        try model.freeze(["classifier"])
        try model.load(stateDict: TinyNet().stateDict())
        for (_, slot) in model.namedSlots() { slot.set(try slot.tensor?.detached().clone()) }
        try model.move(to: .cpu)
        XCTAssertEqual(model.namedParameters().filter { !$0.1.requiresGrad }.map(\.0), ["classifier.weight", "classifier.bias"])
        XCTAssertTrue(model.stateDict().contains { $0.0 == "classifier.weight" })
        try model.unfreeze()
        XCTAssertEqual(model.trainableParameters().count, 6)
    }

    /// Like PyTorch, freezing leaves buffers alone: a frozen batch norm in training mode still
    /// updates its running statistics (put it in eval mode to stop that).
    func testFreezingLeavesRunningStatisticsToTheTrainingMode() throws {
        let model = TinyNet()
        try model.freeze()
        XCTAssertTrue(model.trainableParameters().isEmpty)
        let mean = { try model.namedBuffers().first { $0.0 == "features.1.running_mean" }!.1.doubles() }
        let before = try mean()
        _ = try model(Tensor.randn([4, 3, 8, 8]))
        XCTAssertNotEqual(try mean(), before)
    }
}
