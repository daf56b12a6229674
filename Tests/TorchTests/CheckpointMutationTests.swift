import Foundation
import TestSupport
import XCTest
@testable import Torch

/// Checkpoint readers given damaged files: never a trap, every failure an error naming the file.
final class CheckpointMutationTests: TorchTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("lookkit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    /// A small checkpoint with several dtypes and ranks, saved in the format `name`'s extension says.
    private func savedCheckpoint(_ name: String) throws -> (url: URL, data: Data) {
        let url = directory.appendingPathComponent(name)
        try Checkpoint.save([("weight", try Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])),
                             ("steps", try Tensor([7, 8] as [Int64])), ("mask", try Tensor([true, false, true]))],
                            to: url, metadata: ["config": "{\"seed\": 1}"])
        return (url, try Data(contentsOf: url))
    }

    private func safeTensors(header: String, payload: Int = 0) -> Data {
        var data = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        return data + Data(header.utf8) + Data(count: payload)
    }

    private func assertRejected(_ data: Data, mentioning reason: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try SafeTensors.read(data, file: "bad.safetensors"), file: file, line: line) { error in
            XCTAssertTrue("\(error)".hasPrefix("bad.safetensors: "), "\(error)", file: file, line: line)
            XCTAssertTrue("\(error)".contains(reason), "\(error)", file: file, line: line)
            XCTAssertEqual((error as? TorchError)?.category, .badInput, file: file, line: line)
        }
    }

    func testHugeSafetensorsHeaderLengthIsAnError() {
        assertRejected(Data(repeating: 0xFF, count: 8) + Data("{}".utf8), mentioning: "header length 18446744073709551615")
    }

    func testSafetensorsOffsetsNearIntMaxAreAnError() {
        let header = #"{"t": {"dtype": "F32", "shape": [1], "data_offsets": [9223372036854775800, 9223372036854775804]}}"#
        assertRejected(safeTensors(header: header, payload: 4), mentioning: "tensor 't' has data_offsets")
    }

    func testSafetensorsShapeWhoseSizeOverflowsIsAnError() {
        let header = #"{"t": {"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 4]}}"#
        assertRejected(safeTensors(header: header, payload: 4), mentioning: "tensor 't' of shape [4294967296, 4294967296]")
    }

    func testSafetensorsShapeThatDoesNotFitItsBytesNamesTheTensor() {
        let header = #"{"t": {"dtype": "F32", "shape": [-1, -4], "data_offsets": [0, 16]}}"#
        assertRejected(safeTensors(header: header, payload: 16), mentioning: "tensor 't' of shape [-1, -4] and dtype F32")
    }

    func testADirectoryGivenAsACheckpointSaysSo() throws {
        let run = directory.appendingPathComponent("run-1")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        try Data().write(to: run.appendingPathComponent("best.safetensors"))
        XCTAssertThrowsError(try Checkpoint.load(run)) {
            XCTAssertEqual("\($0)", "\(run.path): is a directory, not a checkpoint file; its trained weights are \(run.path)/best.safetensors")
        }
        XCTAssertThrowsError(try SafeTensors.metadata(run)) { XCTAssertTrue("\($0)".contains("is a directory"), "\($0)") }
    }

    func testSafetensorsMutationsNeverTrap() throws {
        let (_, original) = try savedCheckpoint("best.safetensors")
        let rejected = assertMutantsReadOrThrowNaming("m.safetensors", original: original) {
            _ = try SafeTensors.read($0, file: "m.safetensors")
        }
        XCTAssertGreaterThan(rejected, 5_000, "most mutants should be caught by the reader's checks")
    }

    func testPyTorchZipMutationsNeverTrap() throws {
        let (_, original) = try savedCheckpoint("weights.pt")
        let rejected = assertMutantsReadOrThrowNaming("m.pt", original: original) {
            _ = try Checkpoint.load($0, file: "m.pt")
        }
        XCTAssertGreaterThan(rejected, 1_000)
    }

    func testValidFilesStillReadThroughTheDataEntryPoints() throws {
        for name in ["best.safetensors", "weights.pt"] {
            let (url, data) = try savedCheckpoint(name)
            let fromFile = try Checkpoint.load(url), fromData = try Checkpoint.load(data, file: url.path)
            XCTAssertEqual(fromFile.map(\.0), fromData.map(\.0))
            XCTAssertEqual(try fromData.first { $0.0 == "weight" }?.1.floats(), [1, 2, 3, 4, 5, 6])
        }
    }
}
