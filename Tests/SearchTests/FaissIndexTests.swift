import Foundation
import TestSupport
import XCTest
@testable import Search

final class FaissIndexTests: XCTestCase {
    private var random = SeededRandom(seed: 11)

    /// Gaussian clusters, like embeddings of a few hundred product types.
    private func clustered(rows: Int, columns: Int, clusters: Int) -> [Float] {
        let centers = random.matrix(rows: clusters, columns: columns)
        return (0..<rows).flatMap { _ in
            let c = Int(random.next() % UInt64(clusters))
            return (0..<columns).map { centers[c * columns + $0] + 0.35 * random.gaussian() }
        }
    }

    private func built(_ kind: IndexKind, _ gallery: [Float], dimension: Int) throws -> any VectorIndex {
        let index = try kind.makeIndex(dimension: dimension)
        try index.add(gallery, ids: (0..<gallery.count / dimension).map { Int64($0) * 10 })
        return index
    }

    func testFlatInnerProductEqualsExact() throws {
        let dimension = 32
        let gallery = random.matrix(rows: 1500, columns: dimension), queries = random.matrix(rows: 40, columns: dimension)
        let exact = try built(.exact, gallery, dimension: dimension).search(queries, k: 10)
        let flat = try built(.flat, gallery, dimension: dimension).search(queries, k: 10)
        for (f, e) in zip(flat, exact) {
            XCTAssertEqual(f.map(\.id), e.map(\.id))
            for (a, b) in zip(f, e) { XCTAssertEqual(a.score, b.score, accuracy: 1e-5) }
        }
    }

    func testApproximateRecallAgainstExact() throws {
        let dimension = 32
        let gallery = clustered(rows: 4000, columns: dimension, clusters: 64)
        let queries = clustered(rows: 100, columns: dimension, clusters: 64)
        let exact = try built(.exact, gallery, dimension: dimension).search(queries, k: 10)
        let ivf = try built(.ivf(nlist: 32, nprobe: 12), gallery, dimension: dimension).search(queries, k: 10)
        let hnsw = try built(.hnsw(m: 16, efSearch: 200), gallery, dimension: dimension).search(queries, k: 10)
        let (ivfRecall, hnswRecall) = (recall(ivf, exact: exact), recall(hnsw, exact: exact))
        print("recall@10 vs exact on 4000 × 32 clustered vectors: IVF(32, nprobe 12) \(ivfRecall), HNSW(16, ef 200) \(hnswRecall)")
        XCTAssertGreaterThan(ivfRecall, 0.9)
        XCTAssertGreaterThan(hnswRecall, 0.95)
    }

    func testRecallOnUnstructuredRandomVectors() throws {
        let dimension = 16
        let gallery = random.matrix(rows: 3000, columns: dimension), queries = random.matrix(rows: 100, columns: dimension)
        let exact = try built(.exact, gallery, dimension: dimension).search(queries, k: 10)
        let ivfIndex = try built(.ivf(nlist: 16, nprobe: 4), gallery, dimension: dimension) as! FaissIndex
        let hnsw = try built(.hnsw(m: 16, efSearch: 128), gallery, dimension: dimension).search(queries, k: 10)
        let narrow = recall(try ivfIndex.search(queries, k: 10), exact: exact)
        try ivfIndex.setSearchBreadth(16)
        let everyList = recall(try ivfIndex.search(queries, k: 10), exact: exact)
        print("recall@10 vs exact on 3000 × 16 Gaussian vectors: IVF nprobe 4 \(narrow), nprobe 16 \(everyList), HNSW \(recall(hnsw, exact: exact))")
        XCTAssertGreaterThan(narrow, 0.6)
        XCTAssertEqual(everyList, 1, accuracy: 1e-9, "probing every list is exhaustive")
        XCTAssertGreaterThan(recall(hnsw, exact: exact), 0.9)
    }

    /// LookKit's HNSW and IVF search loops against FAISS's own search on the same index: the same
    /// algorithms, so the same results but where two scores differ by float rounding (the kernels
    /// sum in another order). Dimensions that are not a multiple of the vector width, k past the
    /// gallery, and batches (split over threads) against one query per call.
    func testOwnSearchLoopsReturnWhatFAISSReturns() throws {
        for (dimension, kind) in [(128, IndexKind.hnsw(m: 16, efSearch: 32)), (37, .hnsw(m: 8, efSearch: 16, efConstruction: 40)),
                                  (128, .ivf(nlist: 64, nprobe: 8)), (37, .ivf(nlist: 16, nprobe: 5))] {
            let gallery = clustered(rows: 3000, columns: dimension, clusters: 40)
            let queries = clustered(rows: 64, columns: dimension, clusters: 40)
            let index = try built(kind, gallery, dimension: dimension) as! FaissIndex
            let (own, faiss) = (try index.search(queries, k: 10), try index.searchByFAISS(queries, k: 10))
            var (sameRanks, ranks) = (0, 0)
            for (mine, theirs) in zip(own, faiss) {
                XCTAssertEqual(mine.count, 10)
                XCTAssertEqual(mine.count, theirs.count)
                for (a, b) in zip(mine, theirs) {
                    ranks += 1
                    if a.id == b.id { sameRanks += 1 }
                    XCTAssertEqual(a.score, b.score, accuracy: 1e-5, "\(kind), dimension \(dimension)")
                }
            }
            print("\(kind), dimension \(dimension): \(sameRanks) of \(ranks) ranks hold the same id as FAISS's search")
            XCTAssertGreaterThanOrEqual(Double(sameRanks) / Double(ranks), 0.99, "\(kind), dimension \(dimension)")
            let oneByOne = try (0..<64).map { try index.search(Array(queries[$0 * dimension..<($0 + 1) * dimension]), k: 10)[0] }
            XCTAssertEqual(oneByOne, own, "a batch split over threads equals one query per call")
        }
        let small = try built(.hnsw(m: 4, efSearch: 8), random.matrix(rows: 5, columns: 16), dimension: 16) as! FaissIndex
        let query = random.matrix(rows: 1, columns: 16)
        let (mine, theirs) = (try small.search(query, k: 9)[0], try small.searchByFAISS(query, k: 9)[0])
        XCTAssertEqual(mine.map(\.id), theirs.map(\.id))
        XCTAssertEqual(mine.count, 5, "k past the gallery gives the whole gallery")
    }

    func testSaveLoadRoundTripKeepsKindIdsAndResults() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let dimension = 16
        let gallery = random.matrix(rows: 600, columns: dimension), queries = random.matrix(rows: 10, columns: dimension)
        for kind in [IndexKind.flat, .ivf(nlist: 8, nprobe: 3), .hnsw(m: 8, efSearch: 24, efConstruction: 17)] {
            let index = try built(kind, gallery, dimension: dimension) as! FaissIndex
            let file = directory.appendingPathComponent("\(kind.name).faiss")
            try index.save(to: file)
            let loaded = try FaissIndex.load(from: file)
            XCTAssertEqual(try loaded.kind, kind)
            XCTAssertEqual(loaded.count, 600)
            XCTAssertEqual(loaded.dimension, dimension)
            XCTAssertEqual(try loaded.search(queries, k: 7), try index.search(queries, k: 7), "\(kind)")
            XCTAssertEqual(try loaded.vectors(of: [40, 5990]), try index.vectors(of: [40, 5990]))
        }
    }

    func testVectorsAreStoredNormalised() throws {
        let index = try FaissIndex(dimension: 2, kind: .ivf(nlist: 1, nprobe: 1))
        try index.add([3, 4, 0, 2], ids: [7, 9])
        XCTAssertEqual(try index.vectors(of: [9, 7]), [0, 1, 0.6, 0.8])
        XCTAssertEqual(try index.search([1, 1], k: 5)[0].map(\.id), [7, 9])
    }

    func testErrorsAreThrownNotCrashes() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let index = try FaissIndex(dimension: 8, kind: .flat)
        XCTAssertThrowsError(try index.add([Float](repeating: 1, count: 12), ids: [1])) { error in
            XCTAssertTrue(error.localizedDescription.contains("FaissIndex.add vectors: expected rows of dimension 8, got 12 values"), error.localizedDescription)
        }
        XCTAssertThrowsError(try index.search([1, 2, 3], k: 2))
        XCTAssertThrowsError(try index.vectors(of: [42])) { error in
            XCTAssertTrue(error.localizedDescription.hasPrefix("FAISS:"), error.localizedDescription)
        }
        // IVF cannot train 3 points into 10 cells: FAISS's exception becomes a Swift error.
        let ivf = try FaissIndex(dimension: 8, kind: .ivf(nlist: 10, nprobe: 1))
        XCTAssertThrowsError(try ivf.add([Float](repeating: 1, count: 24), ids: [1, 2, 3]))
        XCTAssertThrowsError(try FaissIndex(dimension: -1, kind: .flat))

        let missing = directory.appendingPathComponent("missing.faiss")
        XCTAssertThrowsError(try FaissIndex.load(from: missing)) { error in
            XCTAssertEqual(error as? SearchError, .missingFile(missing.path))
        }
        let corrupt = directory.appendingPathComponent("corrupt.faiss")
        try Data("IxM2 this is not an index".utf8).write(to: corrupt)
        XCTAssertThrowsError(try FaissIndex.load(from: corrupt)) { error in
            XCTAssertTrue(error.localizedDescription.contains(corrupt.path), error.localizedDescription)
        }
    }
}
