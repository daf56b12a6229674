import Foundation
import Search
import XCTest

/// `lookkit index` refuses inputs that used to give silent wrong answers, with the README's exit codes.
final class IndexCLITests: CLITestCase {
    /// A rows × columns .npy of small distinct values, `edit` applied first.
    private func vectors(_ name: String, rows: Int, columns: Int, edit: (inout [Float]) -> Void = { _ in }) throws -> String {
        var values = (0..<rows * columns).map { Float(($0 * 7919) % 101) / 101 - 0.5 }
        edit(&values)
        let url = work.appendingPathComponent(name)
        try NPY.write(NPY.Matrix(values: values, rows: rows, columns: columns), to: url)
        return url.path
    }

    private func buildIndex(_ name: String = "catalog.index", metadata: String? = nil) throws -> String {
        let index = work.appendingPathComponent(name).path
        let build = try lookkit(["index", "build", "--vectors", try vectors("gallery.npy", rows: 20, columns: 64), "--out", index]
            + (metadata.map { ["--metadata", $0] } ?? []))
        XCTAssertEqual(build.code, 0, build.err)
        return index
    }

    func testQueriesOfAnotherWidthExit4NamingBothDimensions() throws {
        let index = try buildIndex()
        let queries = try vectors("queries.npy", rows: 3, columns: 128)
        let query = try lookkit(["index", "query", "--index", index, "--vectors", queries, "--k", "5"])
        XCTAssertEqual(query.code, 4, query.err)
        XCTAssertEqual(query.err, "error: \(queries): 3 query vectors of dimension 128, but the index holds vectors of dimension 64\n")
        XCTAssertEqual(query.out, "")
        let one = try lookkit(["index", "query", "--index", index, "--vector", Array(repeating: "0.5", count: 128).joined(separator: ",")])
        XCTAssertEqual(one.code, 4, one.err)
        XCTAssertTrue(one.err.contains("--vector: 1 query vectors of dimension 128, but the index holds vectors of dimension 64"), one.err)
        let right = try lookkit(["index", "query", "--index", index, "--vectors", try vectors("right.npy", rows: 3, columns: 64), "--k", "2"])
        XCTAssertEqual(right.code, 0, right.err)
        XCTAssertEqual(right.out.components(separatedBy: "query ").count - 1, 3, right.out)
    }

    func testUnknownFilterColumnExits64ListingTheColumns() throws {
        let metadata = work.appendingPathComponent("items.csv")
        try (["id,gender,category"] + (0..<20).map { "\($0),\($0 % 2 == 0 ? "Men" : "Women"),Topwear" })
            .joined(separator: "\n").write(to: metadata, atomically: true, encoding: .utf8)
        let index = try buildIndex(metadata: metadata.path)
        let bare = try buildIndex("bare.index")
        let vector = Array(repeating: "0.5", count: 64).joined(separator: ",")
        for (catalog, term, columns) in [(index, "color=red", "columns: category, gender"), (index, "Gender=Men", "columns: category, gender"),
                                         (bare, "gender=Men", "the index has none; build it with --metadata")] {
            let query = try lookkit(["index", "query", "--index", catalog, "--vector", vector, "--filter", term])
            XCTAssertEqual(query.code, 64, query.err)
            XCTAssertEqual(query.err, "error: filter column '\(term.split(separator: "=")[0])' is not in the index's metadata (\(columns))\n")
        }
    }

    func testNonFiniteRowsAreRefusedAtBuild() throws {
        let gallery = try vectors("nan.npy", rows: 100, columns: 8) { $0[4 * 8 + 1] = .nan; $0[70 * 8] = -.infinity }
        for kind in ["exact", "ivf"] {
            let out = work.appendingPathComponent("\(kind).index").path
            let build = try lookkit(["index", "build", "--vectors", gallery, "--kind", kind, "--out", out])
            XCTAssertEqual(build.code, 4, build.err)
            XCTAssertEqual(build.err, "error: \(gallery): rows 4, 70 (from 0) hold NaN or infinite values\n")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        }
    }

    func testVectorsFileGivenAsAnIndexSaysSo() throws {
        let gallery = try vectors("gallery.npy", rows: 4, columns: 8)
        let query = try lookkit(["index", "query", "--index", gallery, "--vector", "1,2,3,4,5,6,7,8"])
        XCTAssertEqual(query.code, 2, query.err)
        XCTAssertTrue(query.err.contains("\(gallery): not a valid index file (it is a .npy vectors file; index it first with "
            + "`lookkit index build --vectors \(gallery) --out catalog.index`)"), query.err)
    }
}
