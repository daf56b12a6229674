import Foundation

/// One search result: the item's id and its cosine similarity to the query.
public struct SearchHit: Equatable, Hashable, Sendable {
    public let id: Int64
    public let score: Float

    public init(id: Int64, score: Float) {
        self.id = id
        self.score = score
    }
}

/// A cosine-similarity index over row-major `[Float]` matrices (rows × `dimension`).
/// Vectors and queries are L2-normalised on the way in, so scores are cosines in [-1, 1].
public protocol VectorIndex: AnyObject {
    var dimension: Int { get }
    var count: Int { get }
    /// Adds `ids.count` vectors stored row by row in `vectors`.
    func add(_ vectors: [Float], ids: [Int64]) throws
    /// The best `k` hits per query, highest score first (fewer when the index holds fewer items,
    /// or when an approximate index reaches fewer).
    func search(_ queries: [Float], k: Int) throws -> [[SearchHit]]
    /// The stored (normalised) vectors of `ids`, row by row.
    func vectors(of ids: [Int64]) throws -> [Float]
    func save(to url: URL) throws
    /// Reads an index `save(to:)` wrote; a missing or malformed file throws an error naming it.
    static func load(from url: URL) throws -> Self
}

/// Rows in a row-major matrix, or a thrown error when its size is not a multiple of `dimension`.
func rowCount(_ values: [Float], dimension: Int, context: String) throws -> Int {
    guard values.count % dimension == 0 else {
        throw SearchError.dimensionMismatch(expected: dimension, got: values.count, context: context)
    }
    return values.count / dimension
}

/// Throws unless every value is finite, naming the offending rows (from 0) through `name`: NaN or
/// infinite rows can never rank (exact search never returns them, FAISS's IVF k-means asserts).
func checkFinite(_ values: [Float], dimension: Int, context: String, name: (Int) -> String = { String($0) }) throws {
    var bad: [Int] = []
    values.withUnsafeBufferPointer { buffer in
        for start in stride(from: 0, to: buffer.count, by: dimension)
        where buffer[start..<min(start + dimension, buffer.count)].contains(where: { !$0.isFinite }) {
            bad.append(start / dimension)
        }
    }
    guard !bad.isEmpty else { return }
    let listed = bad.prefix(10).map(name).joined(separator: ", ") + (bad.count > 10 ? " and \(bad.count - 10) more" : "")
    throw SearchError.invalidArgument("\(context): \(bad.count == 1 ? "row" : "rows") \(listed) (from 0) "
        + "\(bad.count == 1 ? "holds" : "hold") NaN or infinite values")
}

/// Each row scaled to unit length; all-zero rows stay zero (they score 0 against everything).
func l2Normalized(_ values: [Float], dimension: Int) -> [Float] {
    var out = values
    out.withUnsafeMutableBufferPointer { buffer in
        for start in stride(from: 0, to: buffer.count, by: dimension) {
            var sum: Float = 0
            for i in start..<start + dimension { sum += buffer[i] * buffer[i] }
            guard sum > 0 else { continue }
            let scale = 1 / sum.squareRoot()
            for i in start..<start + dimension { buffer[i] *= scale }
        }
    }
    return out
}

/// Hits ordered best first; equal scores by increasing id so results are deterministic.
func rankedBestFirst(_ hits: [SearchHit]) -> [SearchHit] {
    hits.sorted { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
}

func checkK(_ k: Int) throws {
    guard k > 0 else { throw SearchError.invalidArgument("k must be positive, got \(k)") }
}
