import Foundation
import TestSupport
import XCTest
@testable import Search

/// Cosine of every gallery row with `query`, in Double, computed independently of the library.
func bruteForceScores(_ query: ArraySlice<Float>, gallery: [Float], ids: [Int64], dimension: Int) -> [Int64: Double] {
    let q = Array(query).map(Double.init)
    let qNorm = q.reduce(0) { $0 + $1 * $1 }.squareRoot()
    var scores: [Int64: Double] = [:]
    for (row, id) in ids.enumerated() {
        var dot = 0.0, norm = 0.0
        for c in 0..<dimension {
            let g = Double(gallery[row * dimension + c])
            dot += g * q[c]
            norm += g * g
        }
        scores[id] = dot / (norm.squareRoot() * qNorm)
    }
    return scores
}

/// `hits` is a correct top-k over `trueScores` (the allowed items only): the right count, unique
/// allowed ids, scores equal to the true cosines, best first, and nothing left out that scores
/// higher than the worst hit (up to float rounding, so near-ties may come in either order).
func assertValidTopK(_ hits: [SearchHit], trueScores: [Int64: Double], k: Int, tolerance: Double = 1e-5,
                     file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(hits.count, min(k, trueScores.count), "result count", file: file, line: line)
    XCTAssertEqual(Set(hits.map(\.id)).count, hits.count, "duplicate ids", file: file, line: line)
    for hit in hits {
        guard let truth = trueScores[hit.id] else { return XCTFail("id \(hit.id) not allowed", file: file, line: line) }
        XCTAssertEqual(Double(hit.score), truth, accuracy: tolerance, "score of \(hit.id)", file: file, line: line)
    }
    XCTAssertEqual(hits.map(\.score), hits.map(\.score).sorted(by: >), "not best first", file: file, line: line)
    let kthBest = trueScores.values.sorted(by: >).prefix(k).last ?? 0
    if let worst = hits.last { XCTAssertGreaterThanOrEqual(Double(worst.score), kthBest - tolerance, file: file, line: line) }
}

/// Fraction of the exact top-k ids that `approximate` also returned, over all queries.
func recall(_ approximate: [[SearchHit]], exact: [[SearchHit]]) -> Double {
    let found = zip(approximate, exact).map { Set($0.map(\.id)).intersection($1.map(\.id)).count }.reduce(0, +)
    return Double(found) / Double(exact.map(\.count).reduce(0, +))
}

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lookkit-search-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

