@testable import Experiments
import Foundation
import XCTest

/// Commands that only read the run log open it read-only: they never create, migrate, switch to
/// WAL or mark runs, and they refuse a database LookKit did not write.
final class ReadOnlyRunLogTests: XCTestCase {
    /// Bytes of the file and whether SQLite left WAL files beside it.
    private func snapshot(_ path: String) throws -> (Data, Bool) {
        (try Data(contentsOf: URL(fileURLWithPath: path)), FileManager.default.fileExists(atPath: path + "-wal"))
    }

    func testAnotherApplicationsDatabaseIsRefusedAndLeftUntouched() throws {
        let path = try temporaryDatabase("foreign")
        defer { removeDatabase(path) }
        try SQLiteConnection(path: path, create: true).execute("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')")
        let before = try snapshot(path)
        for readOnly in [true, false] {
            XCTAssertThrowsError(try RunLog(path: path, create: false, readOnly: readOnly)) {
                XCTAssertEqual($0 as? RunLogError, .notARunLog(path: path, tables: ["notes"]))
                XCTAssertEqual("\($0)", "\(path) is not a LookKit run log (it holds other tables: notes); "
                    + "pass --db with a run log that lookkit train wrote")
                XCTAssertEqual(($0 as? RunLogError)?.category, .badInput)
            }
        }
        let after = try snapshot(path)
        XCTAssertEqual(after.0, before.0, "no LookKit tables added")
        XCTAssertFalse(after.1, "not switched to WAL")
        XCTAssertEqual(try SQLiteConnection(path: path, create: false).query("PRAGMA journal_mode"), [[.text("delete")]])
    }

    func testEmptyAndOlderLogsAreRefusedReadOnly() throws {
        let path = try temporaryDatabase("empty")
        defer { removeDatabase(path) }
        FileManager.default.createFile(atPath: path, contents: Data())
        XCTAssertThrowsError(try RunLog(path: path, readOnly: true)) {
            XCTAssertEqual($0 as? RunLogError, .notARunLog(path: path, tables: []))
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)).count, 0)
        let old = try SQLiteConnection(path: path, create: false)
        try Schema.migrate(old, to: 1)
        XCTAssertThrowsError(try RunLog(path: path, readOnly: true)) {
            XCTAssertEqual($0 as? RunLogError, .olderSchema(path: path, version: 1, current: Schema.currentVersion))
        }
        XCTAssertEqual(try old.query("PRAGMA user_version"), [[.integer(1)]], "not migrated")
    }

    /// A read-only log reads everything, reports a dead writer's run as killed without marking it,
    /// and a write through it fails naming the whole statement.
    func testReadOnlyLogReadsWithoutWriting() throws {
        let path = try temporaryDatabase("readonly")
        defer { removeDatabase(path) }
        let writer = try RunLog(path: path)
        let run = try writer.startRun(name: "gone", kind: "train")
        try run.logResult(dataset: "d", split: "val", metric: "mAP@10", value: 0.5)
        try writer.connection.query("UPDATE runs SET pid = 999999999 WHERE id = ?", [.integer(run.id)])

        let reader = try RunLog(path: path, readOnly: true)
        XCTAssertEqual(try reader.runs().map(\.status), [.killed])
        XCTAssertEqual(try reader.results(run: run.id).map(\.value), [0.5])
        XCTAssertEqual(try writer.connection.query("SELECT status FROM runs"), [[.text("running")]], "not marked by the reader")
        XCTAssertThrowsError(try reader.startRun(name: "sneaky", kind: "train")) {
            let message = "\($0)"
            XCTAssertTrue(message.contains("attempt to write a readonly database"), message)
            XCTAssertTrue(message.hasSuffix("(in: INSERT INTO runs (name, kind, status, config, git_commit, device, started_at, "
                + "host, pid, process_start, resumes) VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?))"), message)
        }
        XCTAssertEqual(try writer.runs().count, 1)
    }
}
