import Foundation
import LookKitCore
import Search
import TestSupport
import XCTest

/// Metadata files as `lookkit embed` writes them (quoted paths with commas and quotes) read back
/// field for field; a short row names its line.
final class ItemMetadataCSVTests: XCTestCase {
    private func file(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("meta-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testQuotedPathsKeepTheirCommasAndQuotes() throws {
        let url = try file("id,path,label\n7,\"shoes/red, size 9.jpg\",shoes\n3,\"pants/\"\"wide\"\".jpg\",pants\n")
        let (ids, items) = try ItemMetadataCSV.read(url, rows: 2)
        XCTAssertEqual(ids, [7, 3])
        XCTAssertEqual(items, [["path": "shoes/red, size 9.jpg", "label": "shoes"], ["path": "pants/\"wide\".jpg", "label": "pants"]])
    }

    func testRowsWithoutIdsAreNumberedAndBadRowsNamed() throws {
        let (ids, _) = try ItemMetadataCSV.read(try file("label\nshoes\npants\n"), rows: 2)
        XCTAssertEqual(ids, [0, 1])
        let short = try file("id,label\n0,shoes\n1\n")
        XCTAssertThrowsError(try ItemMetadataCSV.read(short, rows: 2)) { error in
            XCTAssertEqual(error as? MalformedFile, MalformedFile(file: short.path, line: 3, reason: "1 fields, header has 2"))
            XCTAssertEqual((error as? LookKitError)?.category.exitCode, 2, "a malformed file, not an invalid value")
        }
        XCTAssertThrowsError(try ItemMetadataCSV.read(short, rows: 5)) { error in
            XCTAssertEqual("\(error)", "\(short.path): 2 metadata rows for 5 vectors")
        }
    }

    /// Ten thousand seeded mutants of `lookkit embed`'s metadata: no trap, every failure names the file.
    func testMutantsFailCleanly() throws {
        let url = try file("")
        try assertMutantsFailCleanly(of: "id,path,label\n7,\"shoes/red, size 9.jpg\",shoes\n3,\"pants/\"\"wide\"\".jpg\",pants\n",
                                     at: url, seed: 31) { url in
            _ = try ItemMetadataCSV.read(url, rows: 2)
            return []
        }
    }
}
