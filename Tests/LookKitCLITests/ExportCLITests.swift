import Foundation
import TestSupport
import XCTest

/// `lookkit export` from the command line: a checked file with its metadata, and bad --out caught first.
final class ExportCLITests: CLITestCase {
    func testBackboneFeaturesExportAndBadOutFolders() throws {
        let out = work.appendingPathComponent("features.onnx")
        let probe = try SharedData.dataset("clothing-dataset-small").appendingPathComponent("validation/pants")
        let photo = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: probe.path).sorted().first)
        let result = try lookkit(["export", "--backbone", "resnet18", "--img", "64", "--dynamic-batch", "--out", out.path,
                                  "--probe", probe.appendingPathComponent(photo).path])
        XCTAssertEqual(result.code, 0, result.err)
        XCTAssertTrue(result.out.contains("OpenCV DNN agrees with LookKit"), result.out)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.path))

        let missing = try lookkit(["export", "--backbone", "resnet18", "--out", work.appendingPathComponent("no/such/dir/m.onnx").path])
        XCTAssertEqual(missing.code, 64)
        XCTAssertTrue(missing.err.contains("does not exist"), missing.err)
        let both = try lookkit(["export", "--backbone", "resnet18", "--checkpoint", "x.safetensors", "--out", out.path])
        XCTAssertEqual(both.code, 64)
    }
}
