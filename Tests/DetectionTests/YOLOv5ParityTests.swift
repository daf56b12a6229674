import Detection
import Foundation
import TestSupport
import Torch
import XCTest

/// YOLOv5 in Swift against the `yolov5` PyPI package (ultralytics v7.0): the package's own state
/// dict loads strictly, and the outputs (decoded boxes, raw maps in eval and training mode, batch
/// norm's running statistics after a training-mode pass) agree.
final class YOLOv5ParityTests: XCTestCase {
    private func assertClose(_ a: Tensor, _ b: Tensor, tolerance: Float, _ what: String) throws {
        XCTAssertEqual(a.shape, b.shape, what)
        let difference = try (a - b).abs().max().item()
        XCTAssertLessThan(difference, Double(tolerance), "\(what): max difference \(difference)")
    }

    func testYOLOv5nMatchesThePackageOnItsOwnStateDict() throws {
        let reference = try YOLOv5Reference("forward", ["yolov5n", "10"])
        defer { reference.remove() }

        let model = try YOLOv5(.named("yolov5n"), classes: 10)
        let state = try Checkpoint.load(reference.url("state.pt"))
        XCTAssertEqual(state.count, 349)
        XCTAssertEqual(Set(model.stateDict().map(\.0)), Set(state.map(\.0)), "ultralytics' names, every one")
        try model.load(stateDict: state)
        let io = try reference.tensors("io.pt")
        let x = try XCTUnwrap(io["input"])

        model.eval()
        try withoutGrad {
            let raw = try model.rawOutputs(x)
            for level in 0..<3 { try assertClose(raw[level], XCTUnwrap(io["raw\(level)"]), tolerance: 1e-4, "eval raw level \(level)") }
            try assertClose(model.detect.decode(raw), XCTUnwrap(io["decoded"]), tolerance: 1e-3, "decoded boxes (pixels)")
            model.train()
            let trained = try model.rawOutputs(x)
            for level in 0..<3 { try assertClose(trained[level], XCTUnwrap(io["train\(level)"]), tolerance: 1e-4, "train raw level \(level)") }
        }
        let bn = try XCTUnwrap((model.model[0] as? ConvBNSiLU)?.bn)
        try assertClose(XCTUnwrap(bn.runningMean), XCTUnwrap(io["bn0_mean"]), tolerance: 1e-5, "running mean after a step (momentum 0.03)")
        try assertClose(XCTUnwrap(bn.runningVar), XCTUnwrap(io["bn0_var"]), tolerance: 1e-5, "running var after a step")
    }

    func testSizesScaleDepthAndWidthAsUltralytics() throws {
        // Parameter counts of the package's own 80-class models (unfused; ultralytics prints fused counts).
        let reference = try YOLOv5Reference("count", ["yolov5n", "yolov5s", "yolov5m"])
        defer { reference.remove() }
        let counts = reference.output.split(separator: "\n").map { $0.split(separator: " ") }
        XCTAssertEqual(counts.count, 3)
        for row in counts {
            XCTAssertEqual(try YOLOv5(.named(String(row[0])), classes: 80).parameterCount, Int(row[1]), String(row[0]))
        }
        XCTAssertThrowsError(try YOLOv5Spec.named("yolov5q")) { XCTAssertTrue("\($0)".contains("unknown YOLOv5 model 'yolov5q'")) }
    }
}

/// `scripts/convert_yolov5.py` turns a checkpoint as ultralytics saves it (the pickled model, in
/// half precision) into safetensors that load strictly, with its size and classes in the metadata.
final class YOLOv5ConversionTests: XCTestCase {
    func testConvertedCheckpointLoadsStrictlyWithItsSizeAndClasses() throws {
        let reference = try YOLOv5Reference("checkpoint")
        defer { reference.remove() }
        let converted = reference.url("best.safetensors")
        try ReferencePython.run(script: "scripts/convert_yolov5.py", [reference.url("best.pt").path, converted.path])
        let metadata = try SafeTensors.metadata(converted)
        XCTAssertEqual(metadata["model"], "yolov5n")
        XCTAssertEqual(metadata["classes"], "10")
        XCTAssertEqual(try JSONDecoder().decode([String].self, from: Data(try XCTUnwrap(metadata["names"]).utf8)).last, "garment9")
        let model = try YOLOv5(.named(XCTUnwrap(metadata["model"])), classes: Int(XCTUnwrap(metadata["classes"]))!)
        try model.load(from: converted)
        let expected = try reference.tensors("expected.pt")
        XCTAssertEqual(expected.count, 349)
        for (name, tensor) in model.stateDict() {
            XCTAssertEqual(try tensor.to(dtype: .float64).floats(), try XCTUnwrap(expected[name], name).to(dtype: .float64).floats(), name)
        }
    }
}
