import Foundation
import TestSupport
import XCTest

/// `lookkit val detector` and `lookkit detect` on a plain ultralytics state dict that the `yolov5`
/// package saved, as a user coming from ultralytics runs them, and their answers to bad input.
final class DetectorCLITests: CLITestCase {
    func testValAndDetectOnAnUltralyticsStateDict() throws {
        let data = try SharedData.detectionSubset(12, in: work)
        let reference = work.appendingPathComponent("reference")
        try FileManager.default.createDirectory(at: reference, withIntermediateDirectories: true)
        try ReferencePython.run(script: "Tests/DetectionTests/yolov5_reference.py",
                                    ["forward", reference.path, "yolov5n", "10"])
        let weights = ["--weights", reference.appendingPathComponent("state.pt").path, "--model", "yolov5n", "--classes", "10", "--img", "128"]

        let val = try lookkit(["val", "detector"] + weights + ["--data", data.path, "--json"])
        XCTAssertEqual(val.code, 0, val.err)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(val.out.utf8)) as? [String: Any])
        for key in ["mAP50", "mAP50_95", "precision", "recall", "classes", "images"] { XCTAssertNotNil(report[key], key) }
        XCTAssertEqual(report["images"] as? Int, 12)

        let out = work.appendingPathComponent("detect")
        let detect = try lookkit(["detect"] + weights + ["--source", data.appendingPathComponent("images").path, "--out", out.path,
                                                         "--save-txt", "--conf", "0.001", "--iou", "0.6", "--multi-label"])
        XCTAssertEqual(detect.code, 0, detect.err)
        let drawn = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".jpg") }
        XCTAssertEqual(drawn.count, 12)
        let scored = try lookkit(["eval", "detections", "--labels", data.appendingPathComponent("labels").path,
                                  "--predictions", out.appendingPathComponent("labels").path, "--json"])
        XCTAssertEqual(scored.code, 0, scored.err)
        let fromFiles = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(scored.out.utf8)) as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(fromFiles["mAP50"] as? Double), try XCTUnwrap(report["mAP50"] as? Double), accuracy: 0.005)

        // The same weights exported and validated through OpenCV DNN score as LookKit's own model.
        let file = work.appendingPathComponent("yolov5n.onnx")
        let exported = try lookkit(["export"] + weights + ["--out", file.path])
        XCTAssertEqual(exported.code, 0, exported.err)
        let served = try lookkit(["val", "detector", "--runtime", "onnx", "--checkpoint", file.path, "--data", data.path, "--json"])
        XCTAssertEqual(served.code, 0, served.err)
        let onnx = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(served.out.utf8)) as? [String: Any])
        XCTAssertEqual(onnx["images"] as? Int, 12)
        for key in ["mAP50", "mAP50_95"] {
            XCTAssertEqual(try XCTUnwrap(onnx[key] as? Double), try XCTUnwrap(report[key] as? Double), accuracy: 1e-3, key)
        }
    }

    func testBadInputIsNamedWithItsExitCode() throws {
        let missing = work.appendingPathComponent("nowhere")
        let noClasses = try lookkit(["val", "detector", "--weights", "w.pt", "--data", missing.path])
        XCTAssertEqual(noClasses.code, 64)
        XCTAssertTrue(noClasses.err.contains("--weights needs --classes"), noClasses.err)
        let badSize = try lookkit(["detect", "--weights", "w.pt", "--classes", "3", "--img", "100", "--source", ".", "--out", work.path])
        XCTAssertEqual(badSize.code, 64)
        XCTAssertTrue(badSize.err.contains("multiple of 32"), badSize.err)
        let noWeights = try lookkit(["detect", "--weights", missing.appendingPathComponent("w.pt").path, "--model", "yolov5n", "--classes", "3",
                                     "--source", missing.path, "--out", work.path])
        XCTAssertNotEqual(noWeights.code, 0)
        XCTAssertTrue(noWeights.err.contains(missing.path), noWeights.err)
    }
}
