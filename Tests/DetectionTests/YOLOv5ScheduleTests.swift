import Detection
import Torch
import XCTest

/// train.py's warm-up and decay, checked against values worked out by hand from its code:
/// nw = max(round(warmup_epochs · nb), 100); during warm-up np.interp(ni, [0, nw], …) per group;
/// lf(e) = (1 − e/epochs)(1 − lrf) + lrf, or the cosine one-cycle ((1 − cos(e·π/epochs))/2)(lrf − 1) + 1.
final class YOLOv5ScheduleTests: XCTestCase {
    func testWarmupThenLinearDecayAsTrainPy() throws {
        let schedule = YOLOv5Schedule(hyp: YOLOHyperparameters(), batchesPerEpoch: 120, epochs: 16)
        XCTAssertEqual(schedule.warmupSteps, 360)
        let start = schedule.values(at: 0)
        XCTAssertEqual(start.rate, 0, accuracy: 1e-15)
        XCTAssertEqual(start.biasRate, 0.1, accuracy: 1e-15)
        XCTAssertEqual(start.momentum, 0.8, accuracy: 1e-15)
        // Step 180: epoch 1, lf = (15/16)·0.99 + 0.01 = 0.938125, halfway through the warm-up.
        let mid = schedule.values(at: 180)
        XCTAssertEqual(mid.rate, 0.5 * 0.00938125, accuracy: 1e-15)
        XCTAssertEqual(mid.biasRate, 0.1 + 0.5 * (0.00938125 - 0.1), accuracy: 1e-15)
        XCTAssertEqual(mid.momentum, 0.8 + 0.5 * 0.137, accuracy: 1e-12)
        // Step 400: epoch 3, after the warm-up: every group at lr0 · lf(3) = 0.01 · 0.814375.
        let after = schedule.values(at: 400)
        XCTAssertEqual(after.rate, 0.00814375, accuracy: 1e-15)
        XCTAssertEqual(after.biasRate, after.rate)
        XCTAssertEqual(after.momentum, 0.937)
        // The last epoch ends near lrf · lr0.
        XCTAssertEqual(schedule.values(at: 16 * 120 - 1).rate, 0.01 * ((1 - 15.0 / 16) * 0.99 + 0.01), accuracy: 1e-15)
    }

    func testShortEpochsStillWarmUpForAHundredStepsAndCosineFollowsTheOneCycle() {
        let schedule = YOLOv5Schedule(hyp: YOLOHyperparameters(), batchesPerEpoch: 10, epochs: 20, cosine: true)
        XCTAssertEqual(schedule.warmupSteps, 100)
        XCTAssertEqual(schedule.factor(epoch: 10), (1 - cos(Double.pi / 2)) / 2 * (0.01 - 1) + 1, accuracy: 1e-15)
        XCTAssertEqual(schedule.values(at: 150).rate, 0.01 * ((1 - cos(15 * Double.pi / 20)) / 2 * (0.01 - 1) + 1), accuracy: 1e-15)
    }

    func testAppliedToTheThreeYOLOGroupsAndSGDMomentum() throws {
        let model = Sequential([try Conv2d(3, 4, kernelSize: 3), try BatchNorm2d(4)])
        let optimizer = try SGD(ParameterGroup.yoloStyle(model, weightDecay: 5e-4), learningRate: 0.01, momentum: 0.937, nesterov: true)
        let schedule = YOLOv5Schedule(hyp: YOLOHyperparameters(), batchesPerEpoch: 120, epochs: 16)
        try schedule.apply(to: optimizer, at: 180)
        let v = schedule.values(at: 180)
        XCTAssertEqual(try optimizer.learningRate(group: "weights"), v.rate)
        XCTAssertEqual(try optimizer.learningRate(group: "norm_weights"), v.rate)
        XCTAssertEqual(try optimizer.learningRate(group: "biases"), v.biasRate)
        XCTAssertEqual(optimizer.momentum, v.momentum)
        try schedule.apply(to: optimizer, at: 500)
        XCTAssertEqual(try optimizer.learningRate(group: "biases"), try optimizer.learningRate(group: "weights"))
    }
}
