@testable import Experiments
import Foundation
import XCTest

/// Output locations are checked before any work, and read-only commands never write the run log.
final class OutputsAndRunLogCLITests: CLITestCase {
    func testOutputsInAMissingFolderFailFirstWithExit2() throws {
        let missing = work.appendingPathComponent("nodir").path
        let notFound = "error: cannot write \(missing)/%@: folder \(missing) does not exist\n"
        let cases: [([String], String)] = [
            (["embed", "--checkpoint", "absent.safetensors", "--images", work.path, "--out", "\(missing)/g.npy"], "g.npy"),
            (["embed", "--checkpoint", "absent.safetensors", "--images", work.path, "--out", work.appendingPathComponent("g.npy").path,
              "--metadata", "\(missing)/x.csv"], "x.csv"),
            (["index", "build", "--vectors", "absent.npy", "--out", "\(missing)/x.index"], "x.index"),
            (["report", "1", "--html", "\(missing)/r.html", "--db", "absent.db"], "r.html"),
            (["runs", "export", "1", "--csv", "-o", "\(missing)/m.csv", "--db", "absent.db"], "m.csv"),
        ]
        for (arguments, file) in cases {
            let result = try lookkit(arguments)
            XCTAssertEqual(result.code, 2, "\(arguments) \(result.err)")
            XCTAssertEqual(result.err, String(format: notFound, file), "\(arguments)")
        }
        let file = work.appendingPathComponent("file.txt")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        let boards = try lookkit(["data", "boards", "--styles", "absent.csv", "--out", file.appendingPathComponent("boards").path])
        XCTAssertEqual(boards.code, 2, boards.err)
        XCTAssertEqual(boards.err, "error: cannot write \(file.path)/boards: \(file.path) is not a folder\n")
    }

    func testReadCommandsRefuseAnotherApplicationsDatabaseAndLeaveItUntouched() throws {
        let other = work.appendingPathComponent("other.db").path
        try SQLiteConnection(path: other, create: true).execute("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')")
        let before = try Data(contentsOf: URL(fileURLWithPath: other))
        for arguments in [["runs", "list"], ["runs", "show", "1"], ["runs", "export", "1", "--csv"],
                          ["report", "1", "--html", work.appendingPathComponent("r.html").path]] {
            let result = try lookkit(arguments + ["--db", other])
            XCTAssertEqual(result.code, 2, "\(arguments) \(result.err)")
            XCTAssertEqual(result.err, "error: \(other) is not a LookKit run log (it holds other tables: notes); "
                + "pass --db with a run log that lookkit train wrote\n", "\(arguments)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: other)), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: other + "-wal"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("r.html").path))
    }

    func testReadCommandsReadALogWithoutWritingIt() throws {
        let db = work.appendingPathComponent("runs.db").path
        let log = try RunLog(path: db)
        let run = try log.startRun(name: "gone", kind: "train")
        try run.logMetrics(step: 0, ["loss": 1.5])
        try log.connection.query("UPDATE runs SET pid = 999999999")
        let list = try lookkit(["runs", "list", "--db", db])
        XCTAssertEqual(list.code, 0, list.err)
        XCTAssertTrue(list.out.contains("| 1  | gone | train | killed |") || list.out.contains("| gone | train | killed |"), list.out)
        XCTAssertEqual(try log.connection.query("SELECT status FROM runs"), [[.text("running")]], "runs list marks nothing")
    }
}
