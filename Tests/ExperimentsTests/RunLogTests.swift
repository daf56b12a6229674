@testable import Experiments
import Foundation
import XCTest

final class RunLogTests: XCTestCase {
    struct Config: Encodable { var lr = 0.01; var batch = 16; var backbone = "resnet18" }

    func testRoundTrip() throws {
        let path = try temporaryDatabase()
        defer { removeDatabase(path) }
        let log = try RunLog(path: path)
        let run = try log.startRun(name: "baseline", kind: "train", config: Config(), device: "cpu", gitCommit: "abc123")
        for step in 0..<5 { try run.logMetrics(step: step, epoch: step / 2, ["loss": 1 / Double(step + 1), "lr": 0.01]) }
        try run.logResult(dataset: "df", split: "val", metric: "mAP@10", value: 0.25)
        try run.logResult(dataset: "df", split: "val", metric: "mAP@10", value: 0.5)
        let artifact = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("weights.bin")
        try Data("abc".utf8).write(to: artifact)
        try run.addArtifact(path: artifact.path, kind: "checkpoint")
        try run.logCurve(name: "PR@0.5", series: "shirt", points: [(0, 1), (0.5, 0.8), (1, 0)])
        try run.finish()

        let reopened = try RunLog(path: path)
        let record = try reopened.record(run.id)
        XCTAssertEqual(record.status, .finished)
        XCTAssertEqual(record.config, #"{"backbone":"resnet18","batch":16,"lr":0.01}"#)
        XCTAssertEqual(record.flatConfig["backbone"], "\"resnet18\"")
        XCTAssertEqual(record.gitCommit, "abc123")
        XCTAssertNotNil(record.endedAt)
        let losses = try reopened.metrics(run: run.id).filter { $0.name == "loss" }
        XCTAssertEqual(losses.map(\.step), [0, 1, 2, 3, 4])
        XCTAssertEqual(losses.map(\.epoch), [0, 0, 1, 1, 2])
        XCTAssertEqual(losses[3].value, 0.25)
        XCTAssertEqual(try reopened.results(run: run.id), [ResultRecord(dataset: "df", split: "val", metric: "mAP@10", value: 0.5)])
        let artifacts = try reopened.artifacts(run: run.id)
        XCTAssertEqual(artifacts.first?.size, 3)
        XCTAssertEqual(artifacts.first?.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(try artifacts.first?.fileIsUnchanged(), true)
        try Data("abd".utf8).write(to: artifact)
        XCTAssertEqual(try artifacts.first?.fileIsUnchanged(), false, "overwritten since it was logged")
        try FileManager.default.removeItem(at: artifact)
        XCTAssertEqual(try artifacts.first?.fileIsUnchanged(), false, "deleted since it was logged")
        XCTAssertEqual(try reopened.curves(run: run.id), [Curve(name: "PR@0.5", series: "shirt", points: [(0, 1), (0.5, 0.8), (1, 0)])])
        XCTAssertEqual(try reopened.schemaVersion, Schema.currentVersion)
        XCTAssertThrowsError(try run.finish(status: .failed)) { XCTAssertEqual($0 as? RunLogError, .runNotRunning(run.id, .finished)) }
    }

    func testBadInputGivesClearErrors() throws {
        let path = try temporaryDatabase()
        defer { removeDatabase(path) }
        let log = try RunLog(path: path)
        let run = try log.startRun(name: "nan", kind: "train")
        try run.logMetric(step: 0, name: "loss", value: 1)
        XCTAssertThrowsError(try run.logMetrics(step: 1, ["acc": 0.5, "loss": .nan])) { error in
            XCTAssertEqual("\(error)", "metric 'loss' is nan; only finite values can be logged")
        }
        XCTAssertEqual(try log.metrics(run: run.id).count, 1, "a refused call writes nothing")
        XCTAssertThrowsError(try log.record(99)) { XCTAssertEqual("\($0)", "unknown run id 99 (see `lookkit runs list`)") }
        XCTAssertThrowsError(try log.metrics(run: 99)) { XCTAssertEqual($0 as? RunLogError, .unknownRun(99)) }
        XCTAssertThrowsError(try RunLog(path: path + ".missing", create: false)) {
            XCTAssertEqual($0 as? RunLogError, .missingDatabase(path: path + ".missing"))
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        XCTAssertThrowsError(try RunLog(path: folder)) { error in
            XCTAssert("\(error)".hasPrefix("cannot open run log at \(folder)"), "\(error)")
        }
    }

    /// FIPS 180-2 vectors, hashed from files in chunks smaller than the input so blocks span reads.
    func testFileDigestKnownVectors() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("digest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let vectors = [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
            (String(repeating: "a", count: 1_000_000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
        ]
        for (index, (text, digest)) in vectors.enumerated() {
            let file = folder.appendingPathComponent("\(index)")
            try Data(text.utf8).write(to: file)
            XCTAssertEqual(try FileDigest.sha256Hex(ofFile: file, chunkSize: 4099), digest)
            XCTAssertEqual(try FileDigest.sha256Hex(ofFile: file), digest)
        }
    }

    /// A database created by schema 1 (no owner columns, duplicate results allowed) migrates:
    /// data kept, duplicates collapsed to the last value, an unowned running run marked killed.
    func testOlderSchemaMigrates() throws {
        let path = try temporaryDatabase()
        defer { removeDatabase(path) }
        do {
            let old = try SQLiteConnection(path: path, create: true)
            try Schema.migrate(old, to: 1)
            try old.execute("""
                INSERT INTO runs (name, kind, status, config, started_at) VALUES ('old', 'train', 'running', '{"lr":0.1}', 100);
                INSERT INTO runs (name, kind, status, config, started_at, ended_at) VALUES ('done', 'eval', 'finished', '{}', 50, 60);
                INSERT INTO metrics VALUES (1, 0, 0, 'loss', 2.0, 101), (1, 1, 0, 'loss', 1.5, 102);
                INSERT INTO results VALUES (2, 'df', 'test', 'mAP', 0.1, 61), (2, 'df', 'test', 'mAP', 0.3, 62);
                """)
            XCTAssertEqual(try old.query("PRAGMA user_version").first?.first, .integer(1))
        }
        let log = try RunLog(path: path)
        XCTAssertEqual(try log.schemaVersion, 3)
        let old = try log.record(1)
        XCTAssertEqual(old.status, .killed)
        XCTAssertEqual(old.endedAt, Date(timeIntervalSince1970: 102), "ends at its last metric")
        XCTAssertEqual(try log.metrics(run: 1).map(\.value), [2.0, 1.5])
        XCTAssertEqual(try log.results(run: 2).map(\.value), [0.3])
        XCTAssertEqual(try log.record(2).status, .finished)
        // The migrated log takes new-style runs.
        let run = try log.startRun(name: "new", kind: "train")
        try run.logCurve(name: "PR", series: "all", points: [(0, 1)])
        XCTAssertEqual(run.id, 3)
        // Schema 3: a run can be interrupted, and a resumed run names the one it continues.
        try run.finish(status: .interrupted)
        let resumed = try log.startRun(name: "new", kind: "train", resumes: run.id)
        XCTAssertEqual(try log.record(3).status, .interrupted)
        XCTAssertEqual(try log.record(resumed.id).resumes, 3)
        XCTAssertNil(try log.record(1).resumes)
        XCTAssertEqual(try log.metrics(run: 1).count, 2, "metrics still belong to their rebuilt run row")
    }

    func testNewerSchemaIsRefused() throws {
        let path = try temporaryDatabase()
        defer { removeDatabase(path) }
        _ = try RunLog(path: path)
        try SQLiteConnection(path: path, create: false).execute("PRAGMA user_version = 99")
        XCTAssertThrowsError(try RunLog(path: path)) {
            XCTAssertEqual($0 as? RunLogError, .newerSchema(path: path, version: 99, supported: Schema.currentVersion))
        }
    }

    /// A writer thread and a reader thread on separate connections: the reader never fails and
    /// sees a growing, gap-free prefix of the steps.
    func testConcurrentWriterAndReader() throws {
        let path = try temporaryDatabase()
        defer { removeDatabase(path) }
        let writerLog = try RunLog(path: path)
        let run = try writerLog.startRun(name: "concurrent", kind: "train")
        let steps = 1_500
        let writer = Thread {
            for step in 0..<steps { try! run.logMetrics(step: step, ["loss": Double(step), "acc": 0.5]) }
        }
        let readerLog = try RunLog(path: path)
        writer.start()
        var seen: [Int] = []
        let started = Date()
        repeat {
            let steps = try readerLog.metrics(run: run.id).filter { $0.name == "loss" }.map(\.step)
            XCTAssertEqual(steps, Array(0..<steps.count), "reader sees a gap-free prefix")
            seen.append(steps.count)
        } while seen.last! < steps && Date().timeIntervalSince(started) < 60
        XCTAssertEqual(seen.last, steps)
        XCTAssertEqual(seen, seen.sorted(), "counts never go backwards")
        XCTAssertGreaterThan(Set(seen).count, 2, "reads interleaved with writes: \(seen.count) reads")
        let perCall = Date().timeIntervalSince(started) / Double(steps)
        print("concurrent: \(seen.count) reads while writing \(steps) steps; \(String(format: "%.0f", perCall * 1e6)) µs per logMetrics call incl. reader contention")
    }
}
