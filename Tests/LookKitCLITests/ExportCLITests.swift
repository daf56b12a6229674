import Foundation
import Search
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

        // The serving path: the file through OpenCV DNN, preprocessed from its metadata, embeds as LookKit does.
        let photos = work.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: probe.path).sorted().prefix(4) {
            try FileManager.default.copyItem(at: probe.appendingPathComponent(name), to: photos.appendingPathComponent(name))
        }
        let served = try lookkit(["embed", "--runtime", "onnx", "--checkpoint", out.path, "--images", photos.path, "--out", work.appendingPathComponent("onnx.npy").path])
        XCTAssertEqual(served.code, 0, served.err)
        let own = try lookkit(["embed", "--backbone", "resnet18", "--size", "64", "--images", photos.path, "--out", work.appendingPathComponent("own.npy").path])
        XCTAssertEqual(own.code, 0, own.err)
        let (a, b) = (try NPY.read(work.appendingPathComponent("onnx.npy")), try NPY.read(work.appendingPathComponent("own.npy")))
        XCTAssertEqual([a.rows, a.columns], [4, 512])
        for row in 0..<a.rows {
            let cosine = (0..<a.columns).reduce(Float(0)) { $0 + a.values[row * a.columns + $1] * b.values[row * b.columns + $1] }
            XCTAssertGreaterThanOrEqual(cosine, 0.9999, "photo \(row)")
        }

        let missing = try lookkit(["export", "--backbone", "resnet18", "--out", work.appendingPathComponent("no/such/dir/m.onnx").path])
        XCTAssertEqual(missing.code, 64)
        XCTAssertTrue(missing.err.contains("does not exist"), missing.err)
        let both = try lookkit(["export", "--backbone", "resnet18", "--checkpoint", "x.safetensors", "--out", out.path])
        XCTAssertEqual(both.code, 64)
    }
}
