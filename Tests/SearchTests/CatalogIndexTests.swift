import Foundation
import TestSupport
import XCTest
@testable import Search

final class CatalogIndexTests: XCTestCase {
    private static let genders = ["Men", "Women", "Unisex", "Boys", "Girls"]
    private static let categories = ["Topwear", "Bottomwear", "Footwear"]

    /// A gallery where some genders are rare (Girls ≈ 2 %), so over-fetching must widen.
    private struct Fixture {
        let dimension = 24
        let gallery: [Float]
        let ids: [Int64]
        var metadata: [ItemMetadata]

        init(count: Int, random: inout SeededRandom) {
            gallery = random.matrix(rows: count, columns: dimension)
            ids = (0..<count).map { Int64($0) * 3 + 1 }
            metadata = (0..<count).map { _ in
                let u = random.uniform()
                let gender = u < 0.45 ? "Men" : u < 0.9 ? "Women" : u < 0.95 ? "Unisex" : u < 0.98 ? "Boys" : "Girls"
                return ["gender": gender, "category": random.pick(CatalogIndexTests.categories)]
            }
        }

        func catalog(_ kind: IndexKind) throws -> CatalogIndex {
            let catalog = try CatalogIndex(kind: kind, dimension: dimension)
            try catalog.add(gallery, ids: ids, metadata: metadata)
            return catalog
        }

        func trueScores(_ queries: [Float], _ q: Int, filter: MetadataFilter) -> [Int64: Double] {
            let all = bruteForceScores(queries[q * dimension..<(q + 1) * dimension], gallery: gallery, ids: ids, dimension: dimension)
            let allowed = Set(zip(ids, metadata).filter { filter.matches($0.1) }.map(\.0))
            return all.filter { allowed.contains($0.key) }
        }
    }

    /// Property test: over many random queries and filters, no result ever has other metadata;
    /// for exact and flat, results are exactly the top-k among the matching items.
    func testFiltersNeverLeakAndAreExactForExhaustiveKinds() throws {
        var random = SeededRandom(seed: 21)
        let fixture = Fixture(count: 2000, random: &random)
        let byID = Dictionary(uniqueKeysWithValues: zip(fixture.ids, fixture.metadata))
        for kind in [IndexKind.exact, .flat, .ivf(nlist: 16, nprobe: 2), .hnsw(m: 8, efSearch: 16)] {
            let catalog = try fixture.catalog(kind)
            for _ in 0..<25 {
                var terms = ["gender=\(random.pick(Self.genders))"]
                if random.uniform() < 0.3 { terms.append("category=\(random.pick(Self.categories))") }
                let filter = try MetadataFilter(parsing: terms)
                let k = random.pick([1, 10, 50])
                let queries = random.matrix(rows: 4, columns: fixture.dimension)
                for (q, hits) in try catalog.search(queries, k: k, filter: filter).enumerated() {
                    let truth = fixture.trueScores(queries, q, filter: filter)
                    XCTAssertTrue(hits.allSatisfy { filter.matches(byID[$0.id]) }, "\(kind) leaked past \(terms)")
                    XCTAssertEqual(hits.count, min(k, truth.count), "\(kind) \(terms) k=\(k)")
                    if kind == .exact || kind == .flat { assertValidTopK(hits, trueScores: truth, k: k) }
                }
            }
        }
    }

    /// A filter matching 3 items out of 2000: IVF with nprobe 1 cannot reach them all, so the
    /// search falls back to scoring the matching items exactly.
    func testSelectiveFilterOnApproximateIndexStillFindsEveryMatch() throws {
        var random = SeededRandom(seed: 22)
        var fixture = Fixture(count: 2000, random: &random)
        var metadata = fixture.metadata.map { $0.merging(["gender": "Men"]) { $1 } }
        for row in [5, 900, 1999] { metadata[row]["gender"] = "Girls" }
        fixture.metadata = metadata
        let filter = MetadataFilter(["gender": ["Girls"]])
        for kind in [IndexKind.ivf(nlist: 32, nprobe: 1), .hnsw(m: 4, efSearch: 4)] {
            let catalog = try fixture.catalog(kind)
            let queries = random.matrix(rows: 6, columns: fixture.dimension)
            for (q, hits) in try catalog.search(queries, k: 10, filter: filter).enumerated() {
                assertValidTopK(hits, trueScores: fixture.trueScores(queries, q, filter: filter), k: 10)
            }
        }
        XCTAssertEqual(try fixture.catalog(.flat).search(random.matrix(rows: 1, columns: 24), k: 5,
                                                          filter: MetadataFilter(["gender": ["Nobody"]])), [[]])
    }

    /// 10 matches in 6,000 items: the flat index's request stops at its 4,096-hit cap and the
    /// queries still short are answered exactly, so results stay the true top-k.
    func testRareLabelBeyondTheFetchCapIsStillExact() throws {
        var random = SeededRandom(seed: 24)
        var fixture = Fixture(count: 6000, random: &random)
        fixture.metadata = (0..<6000).map { ["gender": $0 % 600 == 0 ? "Girls" : "Men"] }
        let filter = MetadataFilter(["gender": ["Girls"]])
        let queries = random.matrix(rows: 8, columns: fixture.dimension)
        for (q, hits) in try fixture.catalog(.flat).search(queries, k: 10, filter: filter).enumerated() {
            assertValidTopK(hits, trueScores: fixture.trueScores(queries, q, filter: filter), k: 10)
        }
    }

    func testSaveLoadKeepsIdsMetadataAndResults() throws {
        var random = SeededRandom(seed: 23)
        let fixture = Fixture(count: 700, random: &random)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let queries = random.matrix(rows: 5, columns: fixture.dimension)
        let filter = MetadataFilter(["gender": ["Women"], "category": ["Footwear", "Topwear"]])
        for kind in [IndexKind.exact, .flat, .ivf(nlist: 8, nprobe: 2), .hnsw(m: 8, efSearch: 32)] {
            let catalog = try fixture.catalog(kind)
            let file = directory.appendingPathComponent("catalog-\(kind.name).index")
            try catalog.save(to: file)
            XCTAssertTrue(FileManager.default.fileExists(atPath: file.path + ".json"))
            let loaded = try CatalogIndex.load(from: file)
            XCTAssertEqual(loaded.kind, kind)
            XCTAssertEqual(loaded.metadata, catalog.metadata)
            XCTAssertEqual(loaded.count, 700)
            XCTAssertEqual(try loaded.search(queries, k: 10), try catalog.search(queries, k: 10))
            XCTAssertEqual(try loaded.search(queries, k: 10, filter: filter), try catalog.search(queries, k: 10, filter: filter))
        }
    }

    func testBadFilesAndInputsAreClearErrors() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try CatalogIndex(kind: .exact, dimension: 3)
        try catalog.add([1, 0, 0, 0, 1, 0], ids: [1, 2], metadata: [["gender": "Men"], ["gender": "Women"]])
        XCTAssertThrowsError(try catalog.add([0, 0, 1], ids: [2])) { XCTAssertTrue($0.localizedDescription.contains("duplicate id 2")) }
        XCTAssertThrowsError(try catalog.add([0, 0, 1, 1, 1, 1], ids: [3, 3]))
        XCTAssertThrowsError(try catalog.add([0, 0, 1], ids: [3], metadata: []))
        XCTAssertThrowsError(try catalog.search([1, 0], k: 1, filter: MetadataFilter(["gender": ["Men"]]))) {
            XCTAssertTrue($0.localizedDescription.contains("expected rows of dimension 3, got 2 values"), $0.localizedDescription)
        }
        XCTAssertThrowsError(try MetadataFilter(parsing: ["gender"]))
        XCTAssertEqual(catalog.count, 2)

        let file = directory.appendingPathComponent("gallery.index")
        XCTAssertThrowsError(try CatalogIndex.load(from: file)) {
            XCTAssertEqual($0 as? SearchError, .missingFile(file.path))
        }
        try catalog.save(to: file)
        try FileManager.default.removeItem(at: CatalogIndex.sidecarURL(for: file))
        XCTAssertThrowsError(try CatalogIndex.load(from: file)) {
            XCTAssertEqual($0 as? SearchError, .missingFile(file.path + ".json"))
        }
        try catalog.save(to: file)
        try Data("LKEXACT1 truncated".utf8).write(to: file)
        XCTAssertThrowsError(try CatalogIndex.load(from: file)) {
            XCTAssertTrue($0.localizedDescription.hasPrefix(file.path + ": not a valid index file"), $0.localizedDescription)
        }
        try Data("{not json".utf8).write(to: CatalogIndex.sidecarURL(for: file))
        XCTAssertThrowsError(try CatalogIndex.load(from: file)) {
            XCTAssertTrue($0.localizedDescription.contains(file.path + ".json"), $0.localizedDescription)
        }
        try FileManager.default.removeItem(at: file)
        try catalog.save(to: file)
        try FileManager.default.removeItem(at: file)
        XCTAssertThrowsError(try CatalogIndex.load(from: file)) { XCTAssertEqual($0 as? SearchError, .missingFile(file.path)) }
    }

    func testFilterParsing() throws {
        let filter = try MetadataFilter(parsing: ["gender=Men", "gender=Boys", "category=Top=wear"])
        XCTAssertEqual(filter.allowed, ["gender": ["Men", "Boys"], "category": ["Top=wear"]])
        XCTAssertTrue(filter.matches(["gender": "Boys", "category": "Top=wear", "colour": "Red"]))
        XCTAssertFalse(filter.matches(["gender": "Women", "category": "Top=wear"]))
        XCTAssertFalse(filter.matches(["gender": "Men"]))
        XCTAssertFalse(filter.matches(nil))
    }
}
