import Evaluation
import Foundation
import LookKitCore
import XCTest

/// The shared RFC 4180 reader/writer, and RankingCSV reading ids `lookkit embed` quotes.
final class CSVTests: XCTestCase {
    func testWriterThenReaderRoundTripsNastyFields() throws {
        let records = [
            ["plain", "with,comma", "say \"hi\"", "\"", ""],
            ["two\nlines", "crlf\r\nend", " padded ", "tab\there", "ünï,cødé"],
            ["", "", "", "", "last"],
        ]
        let text = records.map { CSV.line($0) }.joined(separator: "\r\n") + "\r\n"
        let rows = CSV.rows(text) { line, reason in XCTFail("line \(line): \(reason)") }
        XCTAssertEqual(rows.map(\.fields), records)
        XCTAssertEqual(rows.map(\.line), [1, 2, 5], "line breaks inside quotes count towards later rows' lines")
        XCTAssertEqual(CSV.field("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(CSV.field("a\tb", separator: "\t"), "\"a\tb\"")
    }

    func testUnterminatedQuoteCostsOneRow() {
        var bad: [(Int, String)] = []
        let rows = CSV.rows("a,b\n5\" heel,f\n\"open,c\nd,e\n\n") { bad.append(($0, $1)) }
        XCTAssertEqual(bad.map(\.0), [3])
        XCTAssertEqual(bad.first?.1, "unterminated quoted field")
        XCTAssertEqual(rows, [CSV.Row(line: 1, fields: ["a", "b"]), CSV.Row(line: 2, fields: ["5\" heel", "f"]),
                              CSV.Row(line: 4, fields: ["d", "e"])])
    }

    func testRankingCSVReadsQuotedPathIDs() throws {
        let root = try temporaryDirectory("ranking-quoted")
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("results.csv")
        let items = ["shoes/a,b.jpg", "say \"cheese\".jpg", "plain.jpg"]
        let lines = ["query_id,rank,item_id,correct"] + items.enumerated().map { rank, item in
            CSV.line(["q, \"1\"", String(rank + 1), item, rank == 1 ? "1" : "0"])
        }
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let queries = try RankingCSV.read(file)
        XCTAssertEqual(queries.map(\.id), ["q, \"1\""])
        XCTAssertEqual(queries.first?.items, items)
        XCTAssertEqual(queries.first?.list.correct, [false, true, false])

        try "q1,1,\"unterminated,1\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try RankingCSV.read(file)) { XCTAssertEqual("\($0)", "\(file.path):1: unterminated quoted field") }
    }
}
