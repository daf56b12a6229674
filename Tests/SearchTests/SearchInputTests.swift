import Foundation
import LookKitCore
import TestSupport
import XCTest
@testable import Search

/// Inputs that used to give silent wrong answers: queries of another width, filters on columns
/// the index lacks, NaN rows, a vectors file given as an index, and outputs that cannot be written.
final class SearchInputTests: XCTestCase {
    private func catalog(_ kind: IndexKind = .exact, dimension: Int = 64, rows: Int = 200,
                         metadata: Bool = true) throws -> CatalogIndex {
        var random = SeededRandom(seed: 7)
        let catalog = try CatalogIndex(kind: kind, dimension: dimension)
        try catalog.add(random.matrix(rows: rows, columns: dimension), ids: (0..<rows).map(Int64.init),
                        metadata: metadata ? (0..<rows).map { ["gender": $0 % 2 == 0 ? "Men" : "Women", "category": "Topwear"] } : nil)
        return catalog
    }

    func testQueryRowsOfAnotherWidthAreRefusedNamingBothDimensions() throws {
        var random = SeededRandom(seed: 1)
        let queries = NPY.Matrix(values: random.matrix(rows: 3, columns: 128), rows: 3, columns: 128)
        XCTAssertThrowsError(try catalog().search(queries, from: "queries.npy", k: 5)) { error in
            XCTAssertEqual(error as? SearchError, .queryWidth(source: "queries.npy", rows: 3, columns: 128, dimension: 64))
            XCTAssertEqual("\(error)", "queries.npy: 3 query vectors of dimension 128, but the index holds vectors of dimension 64")
            XCTAssertEqual((error as? any LookKitError)?.category, .invalidValue)
        }
        let right = NPY.Matrix(values: random.matrix(rows: 3, columns: 64), rows: 3, columns: 64)
        XCTAssertEqual(try catalog().search(right, from: "queries.npy", k: 5).count, 3)
    }

    func testUnknownFilterColumnIsAnErrorListingTheColumns() throws {
        for kind in [IndexKind.exact, .flat] {
            let catalog = try catalog(kind)
            for term in ["color=red", "Gender=Men"] {
                XCTAssertThrowsError(try catalog.search([Float](repeating: 1, count: 64), k: 5,
                                                        filter: MetadataFilter(parsing: [term]))) { error in
                    let column = term.split(separator: "=")[0]
                    XCTAssertEqual("\(error)", "filter column '\(column)' is not in the index's metadata (columns: category, gender)")
                    XCTAssertEqual((error as? any LookKitError)?.category, .badConfig)
                }
            }
            // A known column with a value no item has is a legitimate empty answer.
            XCTAssertEqual(try catalog.search([Float](repeating: 1, count: 64), k: 5,
                                              filter: MetadataFilter(parsing: ["gender=Girls"])), [[]])
        }
        XCTAssertThrowsError(try catalog(metadata: false).search([Float](repeating: 1, count: 64), k: 5,
                                                                 filter: MetadataFilter(parsing: ["gender=Men"]))) {
            XCTAssertEqual("\($0)", "filter column 'gender' is not in the index's metadata (the index has none; build it with --metadata)")
        }
    }

    func testNonFiniteRowsAreRefusedNamingTheRows() throws {
        var random = SeededRandom(seed: 3)
        var values = random.matrix(rows: 50, columns: 8)
        values[2 * 8 + 3] = .nan
        values[5 * 8] = .infinity
        XCTAssertThrowsError(try NPY.Matrix(values: values, rows: 50, columns: 8).checkFinite(source: "g.npy")) {
            XCTAssertEqual("\($0)", "g.npy: rows 2, 5 (from 0) hold NaN or infinite values")
            XCTAssertEqual(($0 as? any LookKitError)?.category, .invalidValue)
        }
        let ids = (0..<50).map { Int64($0) + 100 }
        for kind in [IndexKind.exact, .flat, .ivf(nlist: 2, nprobe: 2), .hnsw(m: 8, efSearch: 16)] {
            let catalog = try CatalogIndex(kind: kind, dimension: 8)
            XCTAssertThrowsError(try catalog.add(values, ids: ids), "\(kind)") {
                XCTAssertTrue("\($0)".hasSuffix("rows 2 (id 102), 5 (id 105) (from 0) hold NaN or infinite values"), "\($0)")
            }
            XCTAssertEqual(catalog.count, 0, "nothing added")
        }
        let catalog = try catalog(dimension: 8, rows: 20)
        XCTAssertThrowsError(try catalog.search([1, 2, 3, .nan, 5, 6, 7, 8], k: 3)) {
            XCTAssertTrue("\($0)".hasSuffix("queries: row 0 (from 0) holds NaN or infinite values"), "\($0)")
        }
    }

    func testVectorsFileGivenAsAnIndexSaysSo() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let vectors = directory.appendingPathComponent("gallery.npy")
        try NPY.write(NPY.Matrix(values: [1, 2, 3, 4], rows: 2, columns: 2), to: vectors)
        XCTAssertThrowsError(try CatalogIndex.load(from: vectors)) {
            XCTAssertTrue("\($0)".contains("\(vectors.path): not a valid index file (it is a .npy vectors file; index it first"), "\($0)")
            XCTAssertEqual(($0 as? any LookKitError)?.category, .badInput)
        }
    }

    func testOutputsInAMissingFolderAreRefusedBeforeWriting() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("nodir/x.index")
        XCTAssertThrowsError(try CatalogIndex.checkCanSave(to: missing)) {
            XCTAssertEqual($0 as? OutputFileError,
                           OutputFileError(path: missing.path, reason: "folder \(directory.path)/nodir does not exist"))
        }
        XCTAssertThrowsError(try NPY.write(NPY.Matrix(values: [1], rows: 1, columns: 1), to: directory.appendingPathComponent("nodir/g.npy"))) {
            XCTAssertEqual(($0 as? any LookKitError)?.category, .badInput)
        }
    }

    /// The sidecar cannot be written (a folder is in its place): neither file appears, no temporary is left.
    func testIndexAndSidecarAreWrittenTogetherOrNotAtAll() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for kind in [IndexKind.exact, .flat] {
            let url = directory.appendingPathComponent("\(kind.name).index")
            try FileManager.default.createDirectory(at: CatalogIndex.sidecarURL(for: url), withIntermediateDirectories: false)
            XCTAssertThrowsError(try catalog(kind).save(to: url)) {
                XCTAssertEqual($0 as? OutputFileError, OutputFileError(path: url.path + ".json", reason: "it is a folder"))
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: url.path), "no index without its sidecar")
            try FileManager.default.removeItem(at: CatalogIndex.sidecarURL(for: url))
            try catalog(kind).save(to: url)
            XCTAssertEqual(try CatalogIndex.load(from: url).count, 200)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(),
                       ["exact.index", "exact.index.json", "flat.index", "flat.index.json"], "no temporaries left")
    }

    /// A failure while writing the second file of a pair leaves neither, and no temporary.
    func testAFailedWriteLeavesNeitherFileOfAPair() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let vectors = directory.appendingPathComponent("g.npy").path, metadata = directory.appendingPathComponent("g.csv").path
        struct DiskFull: Error {}
        XCTAssertThrowsError(try OutputFile.writeTogether([
            (vectors, { try Data([1, 2, 3]).write(to: URL(fileURLWithPath: $0)) }),
            (metadata, { _ in throw DiskFull() }),
        ])) { XCTAssertEqual(($0 as? OutputFileError)?.path, metadata) }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), [])
    }
}
