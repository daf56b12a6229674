import Foundation
import LookKitCore

/// A vector index plus metadata per item, saved together (the index file and a JSON sidecar at
/// `<path>.json`). Filtered searches never return an item whose metadata does not match.
public final class CatalogIndex {
    public let index: any VectorIndex
    public let kind: IndexKind
    /// Metadata of every stored id (empty for items added without any).
    public private(set) var metadata: [Int64: ItemMetadata]

    public var count: Int { index.count }
    public var dimension: Int { index.dimension }

    public init(kind: IndexKind, dimension: Int) throws {
        self.kind = kind
        index = try kind.makeIndex(dimension: dimension)
        metadata = [:]
    }

    init(restoring index: any VectorIndex, kind: IndexKind, metadata: [Int64: ItemMetadata]) {
        self.index = index
        self.kind = kind
        self.metadata = metadata
    }

    /// Adds vectors (row-major) under unique `ids`, with optional metadata per item.
    public func add(_ vectors: [Float], ids: [Int64], metadata items: [ItemMetadata]? = nil) throws {
        if let items, items.count != ids.count {
            throw SearchError.invalidArgument("\(ids.count) ids but \(items.count) metadata entries")
        }
        var seen = Set<Int64>()
        for id in ids where metadata[id] != nil || !seen.insert(id).inserted {
            throw SearchError.invalidArgument("duplicate id \(id)")
        }
        try index.add(vectors, ids: ids)
        for (i, id) in ids.enumerated() { metadata[id] = items?[i] ?? [:] }
    }

    /// The metadata keys any item has, sorted: the columns a filter can name.
    public var metadataColumns: [String] { Set(metadata.values.flatMap(\.keys)).sorted() }

    /// The best `k` hits for each row of `queries` (read from `source`), whose rows must be as wide
    /// as the index's vectors: rows of another width must not be re-split into other queries.
    public func search(_ queries: NPY.Matrix, from source: String, k: Int, filter: MetadataFilter? = nil) throws -> [[SearchHit]] {
        guard queries.columns == dimension else {
            throw SearchError.queryWidth(source: source, rows: queries.rows, columns: queries.columns, dimension: dimension)
        }
        return try search(queries.values, k: k, filter: filter)
    }

    /// The best `k` hits per query; with a filter, the best `k` among the matching items
    /// (exact for the exact and flat kinds, approximate for IVF and HNSW). A filter naming a key
    /// no item has is an error, not an empty answer.
    public func search(_ queries: [Float], k: Int, filter: MetadataFilter? = nil) throws -> [[SearchHit]] {
        guard let filter, !filter.allowed.isEmpty else { return try index.search(queries, k: k) }
        try checkK(k)
        try checkColumns(of: filter)
        let isAllowed = { (id: Int64) in filter.matches(self.metadata[id]) }
        if let exact = index as? ExactCosineIndex { return try exact.search(queries, k: k, where: isAllowed) }
        return try overFetchingSearch(queries, k: k, isAllowed: isAllowed)
    }

    /// Asks the index for more hits than wanted and drops the non-matching ones, widening the
    /// request until every query has k matches or the request reaches its cap (the whole gallery,
    /// or a few thousand hits per query to bound memory); queries still short then (IVF and HNSW may
    /// not reach every item, rare labels need deep requests) are answered exactly over the matches.
    private func overFetchingSearch(_ queries: [Float], k: Int, isAllowed: (Int64) -> Bool) throws -> [[SearchHit]] {
        let nq = try rowCount(queries, dimension: dimension, context: "CatalogIndex.search queries")
        let matchingIDs = metadata.keys.filter(isAllowed).sorted()
        let wanted = min(k, matchingIDs.count)
        var results = Array(repeating: [SearchHit](), count: nq)
        guard wanted > 0 else { return results }
        var pending = Array(0..<nq)
        // Expect the matches at their share of the gallery, with a margin.
        let cap = min(count, max(4096, 8 * k))
        var fetch = min(cap, max(2 * k, Int((Double(k) * Double(count) / Double(matchingIDs.count) * 2).rounded(.up))))
        while !pending.isEmpty {
            let hits = try index.search(rows(pending, of: queries), k: fetch)
            var stillShort: [Int] = []
            for (q, queryHits) in zip(pending, hits) {
                results[q] = Array(queryHits.filter { isAllowed($0.id) }.prefix(k))
                if results[q].count < wanted { stillShort.append(q) }
            }
            pending = stillShort
            if fetch == cap { break }
            fetch = min(cap, fetch * 4)
        }
        if !pending.isEmpty {
            let exact = try ExactCosineIndex(dimension: dimension)
            try exact.add(try index.vectors(of: matchingIDs), ids: matchingIDs)
            for (q, hits) in zip(pending, try exact.search(rows(pending, of: queries), k: k)) { results[q] = hits }
        }
        return results
    }

    private func checkColumns(of filter: MetadataFilter) throws {
        let columns = metadataColumns
        guard let unknown = filter.allowed.keys.sorted().first(where: { !columns.contains($0) }) else { return }
        throw ConfigError("filter column '\(unknown)' is not in the index's metadata ("
            + (columns.isEmpty ? "the index has none; build it with --metadata" : "columns: \(columns.joined(separator: ", "))") + ")")
    }

    private func rows(_ selected: [Int], of matrix: [Float]) -> [Float] {
        selected.flatMap { matrix[$0 * dimension..<($0 + 1) * dimension] }
    }
}
