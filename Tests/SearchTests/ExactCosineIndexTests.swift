import Foundation
import TestSupport
import XCTest
@testable import Search

final class ExactCosineIndexTests: XCTestCase {
    /// Gallery sizes around the 16-row block and 4-query group boundaries, k below and above count.
    func testMatchesBruteForceCosine() throws {
        var random = SeededRandom(seed: 1)
        for (count, queries, dimension, k) in [(1, 1, 3, 5), (17, 5, 8, 3), (333, 7, 24, 10), (1000, 13, 64, 50)] {
            let gallery = random.matrix(rows: count, columns: dimension)
            let ids = (0..<count).map { Int64($0 * 7 + 3) }
            let index = try ExactCosineIndex(dimension: dimension)
            try index.add(gallery, ids: ids)
            let query = random.matrix(rows: queries, columns: dimension)
            let results = try index.search(query, k: k)
            XCTAssertEqual(results.count, queries)
            for (q, hits) in results.enumerated() {
                let truth = bruteForceScores(query[q * dimension..<(q + 1) * dimension], gallery: gallery, ids: ids, dimension: dimension)
                assertValidTopK(hits, trueScores: truth, k: k)
            }
        }
    }

    /// Both ways of searching (the scan below FAISS's BLAS threshold of 20 queries, FAISS's BLAS
    /// search from it), on one thread and split over threads (a single query splits the rows), with
    /// and without a filter: each gives the brute-force top-k, and the thread split changes nothing.
    func testScanAndBLASSearchesOnAnyThreadsMatchBruteForce() throws {
        var random = SeededRandom(seed: 6)
        let (count, dimension, k) = (301, 19, 7)
        let gallery = random.matrix(rows: count, columns: dimension), ids = (0..<count).map { Int64($0 * 3 + 1) }
        let index = try ExactCosineIndex(dimension: dimension)
        try index.add(gallery, ids: ids)
        let isAllowed: (Int64) -> Bool = { $0 % 5 != 0 }
        for queries in [1, 2, 19, 20, 45] {
            let query = random.matrix(rows: queries, columns: dimension)
            for filtered in [false, true] {
                var byThreads: [[[Int64]]] = []
                for parallelWork in [Int.max, 0] {
                    index.parallelWork = parallelWork
                    let results = try filtered ? index.search(query, k: k, where: isAllowed) : index.search(query, k: k)
                    XCTAssertEqual(results.count, queries)
                    for (q, hits) in results.enumerated() {
                        let truth = bruteForceScores(query[q * dimension..<(q + 1) * dimension], gallery: gallery, ids: ids, dimension: dimension)
                        assertValidTopK(hits, trueScores: filtered ? truth.filter { isAllowed($0.key) } : truth, k: k)
                    }
                    byThreads.append(results.map { $0.map(\.id) })
                }
                XCTAssertEqual(byThreads[0], byThreads[1], "\(queries) queries, filtered \(filtered): one thread vs all")
            }
        }
    }

    func testAddingInSeveralBatchesEqualsOneBatch() throws {
        var random = SeededRandom(seed: 2)
        let gallery = random.matrix(rows: 50, columns: 16), ids = (0..<50).map(Int64.init)
        let once = try ExactCosineIndex(dimension: 16), inParts = try ExactCosineIndex(dimension: 16)
        try once.add(gallery, ids: ids)
        for range in [0..<9, 9..<10, 10..<33, 33..<50] {
            try inParts.add(Array(gallery[range.lowerBound * 16..<range.upperBound * 16]), ids: Array(ids[range]))
        }
        let query = random.matrix(rows: 6, columns: 16)
        XCTAssertEqual(try once.search(query, k: 8), try inParts.search(query, k: 8))
        XCTAssertEqual(try inParts.vectors(of: [33]), l2Normalized(Array(gallery[33 * 16..<34 * 16]), dimension: 16))
    }

    /// The document's own top hit is itself with cosine 1; scaling a vector does not change its hits.
    func testScoresAreCosines() throws {
        var random = SeededRandom(seed: 3)
        let gallery = random.matrix(rows: 40, columns: 12)
        let index = try ExactCosineIndex(dimension: 12)
        try index.add(gallery, ids: (0..<40).map(Int64.init))
        let seventh = Array(gallery[7 * 12..<8 * 12])
        let hits = try index.search(seventh.map { $0 * 9.5 }, k: 1)[0]
        XCTAssertEqual(hits.first?.id, 7)
        XCTAssertEqual(hits.first?.score ?? 0, 1, accuracy: 1e-6)
        // A zero query scores 0 against everything instead of NaN.
        XCTAssertEqual(try index.search([Float](repeating: 0, count: 12), k: 3)[0].map(\.score), [0, 0, 0])
    }

    func testFilteredSearchIsTopKAmongAllowed() throws {
        var random = SeededRandom(seed: 4)
        let gallery = random.matrix(rows: 300, columns: 10), ids = (0..<300).map(Int64.init)
        let index = try ExactCosineIndex(dimension: 10)
        try index.add(gallery, ids: ids)
        let query = random.matrix(rows: 3, columns: 10)
        let results = try index.search(query, k: 10, where: { $0 % 7 == 0 })
        for (q, hits) in results.enumerated() {
            let truth = bruteForceScores(query[q * 10..<(q + 1) * 10], gallery: gallery, ids: ids, dimension: 10)
            assertValidTopK(hits, trueScores: truth.filter { $0.key % 7 == 0 }, k: 10)
        }
        // Fewer allowed items than k: only those come back, never a filtered-out row.
        let few = try index.search(query, k: 10, where: { [5, 250, 299].contains($0) })
        for (q, hits) in few.enumerated() {
            let truth = bruteForceScores(query[q * 10..<(q + 1) * 10], gallery: gallery, ids: ids, dimension: 10)
            assertValidTopK(hits, trueScores: truth.filter { [5, 250, 299].contains($0.key) }, k: 10)
            XCTAssertEqual(Set(hits.map(\.id)), [5, 250, 299])
        }
    }

    func testMatchesNumpy() throws {
        var random = SeededRandom(seed: 5)
        let (count, dimension, queries, k) = (2000, 32, 20, 10)
        let gallery = random.matrix(rows: count, columns: dimension), query = random.matrix(rows: queries, columns: dimension)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let galleryFile = directory.appendingPathComponent("gallery.npy"), queryFile = directory.appendingPathComponent("queries.npy")
        try NPY.write(.init(values: gallery, rows: count, columns: dimension), to: galleryFile)
        try NPY.write(.init(values: query, rows: queries, columns: dimension), to: queryFile)
        let output = try ReferencePython.run(code: """
        import sys, numpy as np
        g = np.load(sys.argv[1]).astype(np.float64); q = np.load(sys.argv[2]).astype(np.float64)
        s = (q / np.linalg.norm(q, axis=1, keepdims=True)) @ (g / np.linalg.norm(g, axis=1, keepdims=True)).T
        for row in s:
            top = np.argsort(-row, kind="stable")[:\(k)]
            print(" ".join(f"{i}:{row[i]:.9f}" for i in top))
        """, [galleryFile.path, queryFile.path])
        let index = try ExactCosineIndex(dimension: dimension)
        try index.add(gallery, ids: (0..<count).map(Int64.init))
        let results = try index.search(query, k: k)
        let lines = output.split(separator: "\n")
        XCTAssertEqual(lines.count, queries)
        for (hits, line) in zip(results, lines) {
            let numpy = line.split(separator: " ").map { $0.split(separator: ":") }.map { (Int64($0[0])!, Double($0[1])!) }
            XCTAssertEqual(hits.count, k)
            for (i, (hit, reference)) in zip(hits, numpy).enumerated() {
                XCTAssertEqual(Double(hit.score), reference.1, accuracy: 1e-5)
                // Ids must agree unless numpy's neighbours tie within float32 rounding.
                let tied = numpy.indices.contains { $0 != i && abs(numpy[$0].1 - reference.1) < 1e-5 }
                if !tied { XCTAssertEqual(hit.id, reference.0, "rank \(i)") }
            }
        }
    }

    func testBadInputThrows() throws {
        let index = try ExactCosineIndex(dimension: 4)
        XCTAssertThrowsError(try index.add([1, 2, 3, 4, 5], ids: [1])) { error in
            XCTAssertTrue("\(error.localizedDescription)".contains("expected rows of dimension 4, got 5 values"), error.localizedDescription)
        }
        XCTAssertThrowsError(try index.add([1, 2, 3, 4], ids: [1, 2]))
        try index.add([1, 2, 3, 4], ids: [1])
        XCTAssertThrowsError(try index.search([1, 2, 3], k: 1))
        XCTAssertThrowsError(try index.search([1, 2, 3, 4], k: 0))
        XCTAssertThrowsError(try ExactCosineIndex(dimension: 0))
        XCTAssertEqual(index.count, 1, "a rejected add keeps what was stored")
    }
}
