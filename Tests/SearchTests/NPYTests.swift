import Foundation
import TestSupport
import XCTest
@testable import Search

final class NPYTests: XCTestCase {
    func testRoundTripAndNumpyAgreement() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let ours = directory.appendingPathComponent("ours.npy")
        let matrix = NPY.Matrix(values: [1.5, -2, 3.25, 0, 1e-7, 7], rows: 2, columns: 3)
        try NPY.write(matrix, to: ours)
        XCTAssertEqual(try NPY.read(ours), matrix)
        XCTAssertEqual(try Data(contentsOf: ours).count % 64, 24, "header padded to 64 bytes, then 24 data bytes")

        // NumPy reads our file, and writes float64 and float32 files we read back.
        let f64 = directory.appendingPathComponent("f64.npy"), f32 = directory.appendingPathComponent("f32.npy")
        let output = try ReferencePython.run(code: """
        import sys, numpy as np
        a = np.load(sys.argv[1]); print(a.dtype, a.shape, a.sum())
        np.save(sys.argv[2], np.arange(12, dtype=np.float64).reshape(4, 3) / 4)
        np.save(sys.argv[3], np.arange(6, dtype=np.float32).reshape(2, 3))
        """, [ours.path, f64.path, f32.path])
        XCTAssertTrue(output.hasPrefix("float32 (2, 3) 9.75"), output)
        XCTAssertEqual(try NPY.read(f64), NPY.Matrix(values: (0..<12).map { Float($0) / 4 }, rows: 4, columns: 3))
        XCTAssertEqual(try NPY.read(f32), NPY.Matrix(values: [0, 1, 2, 3, 4, 5], rows: 2, columns: 3))
    }

    func testBadFilesNameTheFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("missing.npy")
        XCTAssertThrowsError(try NPY.read(missing)) { XCTAssertEqual($0 as? SearchError, .missingFile(missing.path)) }

        let good = directory.appendingPathComponent("good.npy")
        try NPY.write(.init(values: [1, 2, 3, 4], rows: 2, columns: 2), to: good)
        let bytes = try Data(contentsOf: good)
        let cases: [(String, Data)] = [
            ("not-npy", Data("hello world, this is text".utf8)),
            ("truncated", bytes.prefix(bytes.count - 3)),
            ("three-d", Data(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "(2, 2)", with: "(1,2,2)").utf8)),
            ("int", Data(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "<f4", with: "<i4").utf8)),
        ]
        for (name, data) in cases {
            let file = directory.appendingPathComponent("\(name).npy")
            try data.write(to: file)
            XCTAssertThrowsError(try NPY.read(file), name) { error in
                XCTAssertTrue(error.localizedDescription.hasPrefix(file.path + ":"), error.localizedDescription)
            }
        }
    }
}
