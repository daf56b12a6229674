import Detection
import Foundation
import TestSupport
import Torch
import XCTest

/// The YOLOv5 loss against the `yolov5` package's ComputeLoss on the same raw maps and targets
/// (cell borders, image corners, a target no anchor may take, a huge one): the total, the box,
/// objectness and class parts, and the gradient reaching every map.
final class YOLOv5LossTests: XCTestCase {
    func testMatchesComputeLossAndItsGradients() throws {
        let reference = try YOLOv5Reference("loss")
        defer { reference.remove() }
        let saved = try reference.tensors("loss.pt")

        let model = try YOLOv5(.named("yolov5n"), classes: 10)
        XCTAssertEqual(try model.detect.anchors?.floats(), try saved["anchors"]?.floats(), "anchors in grid cells, as the package")
        let maps = try (0..<3).map { level -> Tensor in
            let map = try XCTUnwrap(saved["map\(level)"]).clone()
            map.requiresGrad = true
            return map
        }
        let (total, parts) = try YOLOv5Loss(model.detect)(maps, targets: XCTUnwrap(saved["targets"]))
        let expectedParts = try XCTUnwrap(saved["parts"]).floats().map(Double.init)
        for (name, (mine, theirs)) in zip(["box", "objectness", "class"], zip(parts, expectedParts)) {
            XCTAssertEqual(mine, theirs, accuracy: 1e-5 * max(1, abs(theirs)), "\(name) loss")
        }
        XCTAssertEqual(try total.item(), try XCTUnwrap(saved["total"]).item(), accuracy: 1e-5)
        try total.backward()
        for level in 0..<3 {
            let difference = try (XCTUnwrap(maps[level].grad) - XCTUnwrap(saved["grad\(level)"])).abs().max().item()
            XCTAssertLessThan(difference, 1e-6, "gradient of level \(level)")
        }
    }
}

/// One training step as yolov5's train.py takes it — forward in training mode, ComputeLoss,
/// backward, SGD with smart_optimizer's three groups — leaves the same weights, batch-norm
/// statistics and loss as the package's.
final class YOLOv5TrainStepTests: XCTestCase {
    func testOneSGDStepMatchesThePackage() throws {
        let reference = try YOLOv5Reference("step")
        defer { reference.remove() }
        let saved = try reference.tensors("step.pt")

        let model = try YOLOv5(.named("yolov5n"), classes: 10)
        try model.load(stateDict: Checkpoint.load(reference.url("state.pt")))
        let optimizer = try SGD(ParameterGroup.yoloStyle(model, weightDecay: 5e-4), learningRate: 0.01, momentum: 0.937, nesterov: true)
        model.train()
        let (loss, _) = try YOLOv5Loss(model.detect)(model.rawOutputs(XCTUnwrap(saved["input"])), targets: XCTUnwrap(saved["targets"]))
        XCTAssertEqual(try loss.item(), try XCTUnwrap(saved["loss"]).item(), accuracy: 1e-4)
        try loss.backward()
        try optimizer.step()
        var worst = (name: "", difference: 0.0)
        for (name, tensor) in model.stateDict() {
            let expected = try XCTUnwrap(saved["after.\(name)"], name)
            let difference = try (tensor.to(dtype: .float64) - expected.to(dtype: .float64)).abs().max().item()
            if difference > worst.difference { worst = (name, difference) }
        }
        XCTAssertLessThan(worst.difference, 1e-5, "largest difference after the step: \(worst.name)")
    }
}
