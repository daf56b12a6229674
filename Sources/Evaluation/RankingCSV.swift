import Foundation
import LookKitCore

/// Ranked results from any system as CSV rows `query_id,rank,item_id,correct` (header optional;
/// rank 0- or 1-based, only the order matters; correct is 1/0 or true/false). Ids may be quoted
/// (RFC 4180), as `lookkit embed` writes paths holding commas or quotes.
public enum RankingCSV {
    public struct Query: Sendable, Equatable {
        public var id: String
        public var items: [String]
        public var list: RankedList
    }

    /// Queries in order of first appearance, each sorted by rank.
    public static func read(_ url: URL) throws -> [Query] {
        var order: [String] = []
        var rows: [String: [(rank: Int, item: String, correct: Bool)]] = [:]
        var rankLines: [String: [Int: Int]] = [:]
        let table = try CSV.rows(try readText(url)) { line, reason in
            throw MalformedFile(file: url.path, line: line, reason: reason)
        }
        for (index, row) in table.enumerated() {
            let (number, fields) = (row.line, row.fields.map { $0.trimmingCharacters(in: .whitespaces) })
            if index == 0, fields.first?.lowercased() == "query_id" { continue }
            guard fields.count == 4 else {
                throw MalformedFile(file: url.path, line: number, reason: "expected 4 fields query_id,rank,item_id,correct, found \(fields.count)")
            }
            guard let rank = Int(fields[1]) else {
                throw MalformedFile(file: url.path, line: number, reason: "rank '\(fields[1])' is not an integer")
            }
            let correct: Bool
            switch fields[3].lowercased() {
            case "1", "true": correct = true
            case "0", "false": correct = false
            default:
                throw MalformedFile(file: url.path, line: number, reason: "correct '\(fields[3])' is not 1/0/true/false")
            }
            if rows[fields[0]] == nil { order.append(fields[0]) }
            if let first = rankLines[fields[0], default: [:]].updateValue(number, forKey: rank) {
                throw MalformedFile(file: url.path, line: number, reason: "query '\(fields[0])' repeats rank \(rank) (first on line \(first))")
            }
            rows[fields[0], default: []].append((rank, fields[2], correct))
        }
        return order.map { id in
            let ranked = rows[id]!.sorted { $0.rank < $1.rank }
            return Query(id: id, items: ranked.map(\.item), list: RankedList(correct: ranked.map(\.correct)))
        }
    }
}
