import Foundation
import LookKitCore
import TestSupport
import XCTest
@testable import Torch

/// Bad input becomes a Swift error carrying libtorch's message; the process carries on.
final class ErrorTests: TorchTestCase {
    func testShapeMismatchThrowsWithLibtorchMessage() throws {
        let a = try Tensor.zeros([2, 3]), b = try Tensor.zeros([4, 5])
        XCTAssertThrowsError(try a.matmul(b)) { error in
            XCTAssertTrue("\(error)".contains("cannot be multiplied"), "message was: \(error)")
        }
        XCTAssertThrowsError(try a + Tensor.zeros([3, 2])) { error in
            XCTAssertTrue("\(error)".contains("must match"), "message was: \(error)")
        }
        let conv = try Conv2d(3, 4, kernelSize: 3)
        XCTAssertThrowsError(try conv(Tensor.zeros([1, 5, 8, 8])))
        // Still alive and computing.
        XCTAssertEqual(try (a + 1).sum().item(), 6)
    }

    func testMissingFileThrowsNamingIt() throws {
        let path = "/nonexistent/lookkit/model.pt"
        XCTAssertThrowsError(try Checkpoint.load(URL(fileURLWithPath: path))) { error in
            XCTAssertTrue("\(error)".contains(path), "message was: \(error)")
        }
    }

    func testCorruptCheckpointThrows() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["junk.pt", "junk.safetensors"] {
            let url = dir.appendingPathComponent(name)
            try Data("this is not a checkpoint".utf8).write(to: url)
            XCTAssertThrowsError(try Checkpoint.load(url)) { error in
                XCTAssertTrue("\(error)".contains(url.path), "message was: \(error)")
            }
        }
    }

    func testWrongShapeKeyListsEveryProblem() throws {
        let model = try Linear(4, 2)
        let state: [(String, Tensor)] = [("weight", try Tensor.zeros([3, 4])), ("extra", try Tensor.zeros([1]))]
        XCTAssertThrowsError(try model.load(stateDict: state)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("missing keys: bias"), text)
            XCTAssertTrue(text.contains("unexpected keys: extra"), text)
            XCTAssertTrue(text.contains("wrong shape for weight: model has [2, 4], file has [3, 4]"), text)
        }
    }

    func testBadValuesForShape() {
        XCTAssertThrowsError(try Tensor([1, 2, 3] as [Float], shape: [2, 2]))
        XCTAssertThrowsError(try Device("tpu"))
    }
}

/// A dtype LookKit has no `DType` for is an error naming the file, the tensor and the dtype, never
/// silently read as another type.
final class UnknownDTypeTests: TorchTestCase {
    func testSafetensorsWithUnknownDTypeNamesIt() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("f8-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let header = Data(#"{"scale":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}}"#.utf8)
        var file = Data()
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(header)
        file.append(contentsOf: [0x38, 0x40])
        try file.write(to: url)
        XCTAssertThrowsError(try Checkpoint.load(url)) { error in
            let message = "\(error)"
            for part in [url.path, "'scale'", "F8_E4M3", "F32"] { XCTAssertTrue(message.contains(part), message) }
            XCTAssertEqual((error as? TorchError)?.category, .badInput)
        }
    }

    /// (libtorch cannot unpickle float8 tensors at all, so an int16 one stands for the unsupported dtype.)
    func testTorchFileWithUnknownDTypeNamesIt() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("i16-\(UUID().uuidString).pt")
        defer { try? FileManager.default.removeItem(at: url) }
        try ReferencePython.run(code: "import torch; torch.save({'ok': torch.ones(2), 'scale': torch.zeros(2, dtype=torch.int16)}, '\(url.path)')")
        XCTAssertThrowsError(try Checkpoint.load(url)) { error in
            let message = "\(error)"
            for part in [url.path, "'scale'", "Short"] { XCTAssertTrue(message.contains(part), message) }
            XCTAssertEqual((error as? TorchError)?.category, .badInput)
        }
    }
}
