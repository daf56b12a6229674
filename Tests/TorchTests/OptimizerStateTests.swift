import LookKitCore
import XCTest
@testable import Torch

/// Optimizer state is saved and loaded by parameter path, so it can never land on another tensor.
final class OptimizerStateTests: TorchTestCase {
    /// Gives every parameter of `optimizer` a random gradient and steps.
    private func randomStep(_ optimizer: Optimizer) throws {
        for p in optimizer.parameters { try p.setGrad(Tensor.randn(p.shape)) }
        try optimizer.step()
    }

    func testStateIsKeyedByParameterPath() throws {
        let sgd = try SGD(ParameterGroup.yoloStyle(TinyNet(), weightDecay: 1e-3), learningRate: 0.01, momentum: 0.9)
        try sgd.setLearningRate(0.1, group: "biases")
        try randomStep(sgd)
        let keys = try sgd.stateDict().map(\.0)
        XCTAssertEqual(keys, ["learning_rate", "group.biases.learning_rate",
                              "state.features.0.weight.momentum_buffer", "state.classifier.weight.momentum_buffer",
                              "state.features.1.weight.momentum_buffer", "state.features.0.bias.momentum_buffer",
                              "state.features.1.bias.momentum_buffer", "state.classifier.bias.momentum_buffer"])

        let adam = try Adam(TinyNet().namedTrainableParameters())
        try randomStep(adam)
        let state = Dictionary(uniqueKeysWithValues: try adam.stateDict())
        XCTAssertEqual(try state["state.classifier.bias.step"]?.item(), 1)
        XCTAssertEqual(state["state.classifier.weight.exp_avg_sq"]?.shape, [5, 128])
    }

    /// Group rates and per-parameter state come back; a fresh optimizer then steps as the saved one.
    func testLoadRestoresRatesAndStateByPath() throws {
        let model = TinyNet()
        let saved = try SGD(ParameterGroup.yoloStyle(model, weightDecay: 1e-3), learningRate: 0.01, momentum: 0.9)
        try saved.setLearningRate(0.1, group: "biases")
        try randomStep(saved)
        let restored = try SGD(ParameterGroup.yoloStyle(model, weightDecay: 1e-3), learningRate: 0.5, momentum: 0.9)
        try restored.load(stateDict: saved.stateDict())
        XCTAssertEqual(restored.learningRate, 0.01)
        XCTAssertEqual(try restored.learningRate(group: "biases"), 0.1)
        XCTAssertEqual(try restored.learningRate(group: "weights"), 0.01)
        for ((key, a), (_, b)) in zip(try saved.stateDict(), try restored.stateDict()) {
            XCTAssertEqual(try a.doubles(), try b.doubles(), key)
        }
    }

    /// State saved with every parameter trainable does not fit once the backbone is frozen: the
    /// error names the keys of the parameters this optimizer no longer has.
    func testStateOfOtherParametersIsRefusedNamingTheKeys() throws {
        let model = TinyNet()
        let full = try Adam(model.namedTrainableParameters())
        try randomStep(full)
        try model.freeze(["features"])
        let head = try Adam(model.namedTrainableParameters())
        XCTAssertThrowsError(try head.load(stateDict: full.stateDict())) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("state.features.0.weight.exp_avg"), message)
            XCTAssertFalse(message.contains("state.classifier"), message)
            XCTAssertEqual((error as? TorchError)?.category, .badInput)
        }
        // Index-keyed state from before paths is refused too, with a hint.
        XCTAssertThrowsError(try head.load(stateDict: [("state.0.exp_avg", Tensor.zeros([5, 128]))])) { error in
            XCTAssertTrue("\(error)".contains("older LookKit"), "\(error)")
        }
        // A wrong shape is named as well.
        XCTAssertThrowsError(try head.load(stateDict: [("state.classifier.bias.exp_avg", Tensor.zeros([3]))])) { error in
            XCTAssertTrue("\(error)".contains("state.classifier.bias.exp_avg has shape [3]"), "\(error)")
        }
    }

    /// State saved while the backbone was frozen loads onto the same head tensors once it is trainable
    /// again; the backbone starts fresh instead of inheriting the head's state.
    func testStateSavedWhileFrozenLandsOnTheSameParameters() throws {
        let model = TinyNet()
        try model.freeze(["features"])
        let head = try Adam(model.namedTrainableParameters())
        try randomStep(head)
        try model.unfreeze()
        let all = try Adam(model.namedTrainableParameters())
        try all.load(stateDict: head.stateDict())
        let saved = try head.stateDict(), loaded = try all.stateDict()
        XCTAssertEqual(loaded.map(\.0), saved.map(\.0))
        XCTAssertTrue(saved.contains { $0.0 == "state.classifier.weight.exp_avg" })
        for ((key, a), (_, b)) in zip(saved, loaded) { XCTAssertEqual(try a.doubles(), try b.doubles(), key) }
    }

    func testGroupMistakesAreConfigErrors() throws {
        let named = TinyNet().namedParameters()
        XCTAssertThrowsError(try SGD([ParameterGroup("a", named), ParameterGroup("b", [named[0]])], learningRate: 0.1)) { error in
            XCTAssertTrue("\(error)".contains("'features.0.weight' is in more than one group"), "\(error)")
            XCTAssertEqual((error as? TorchError)?.category, .badConfig)
        }
        let sgd = try SGD(named, learningRate: 0.1)
        XCTAssertThrowsError(try sgd.setLearningRate(0.1, group: "biases")) { error in
            XCTAssertTrue("\(error)".contains("no parameter group 'biases'"), "\(error)")
            XCTAssertEqual((error as? TorchError)?.category, .badConfig)
        }
    }
}
