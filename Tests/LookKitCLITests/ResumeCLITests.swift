import Experiments
import Foundation
import Torch
import XCTest

/// `lookkit train … --resume` after a SIGKILL ends with exactly the weights of an uninterrupted run.
final class ResumeCLITests: CLITestCase {
    private func config(_ name: String, data: URL) throws -> URL {
        let url = work.appendingPathComponent("\(name).json")
        try """
        {"name": "\(name)", "task": "embedder", "model": {"architecture": "small_cnn", "embeddingDimension": 16},
         "data": {"root": "\(data.path)", "imageSize": 32, "workers": 2},
         "triplet": {"mining": "batch-all", "classesPerBatch": 3, "imagesPerClass": 4}, "steps": 40, "checkpointEvery": 10,
         "ema": 0.99, "project": "\(work.path)"}
        """.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func testKilledRunResumesToTheUninterruptedWeights() throws {
        let (data, _) = try makeDataset()
        let db = work.appendingPathComponent("runs.db").path
        let straight = try lookkit(["train", "embedder", "--config", config("straight", data: data).path, "--db", db, "--threads", "2"])
        XCTAssertEqual(straight.code, 0, straight.err)

        // Start the same run, SIGKILL it once its first checkpoint exists, then resume.
        let interrupted = try config("interrupted", data: data)
        let process = try start(["train", "embedder", "--config", interrupted.path, "--db", db, "--threads", "2"])
        let checkpoint = work.appendingPathComponent("interrupted/last.safetensors")
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: checkpoint.path), process.isRunning, Date() < deadline { usleep(5_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal, "the run finished before it could be killed")
        let resumed = try lookkit(["train", "embedder", "--config", interrupted.path, "--db", db, "--threads", "2", "--resume"])
        XCTAssertEqual(resumed.code, 0, resumed.err)
        XCTAssertTrue(resumed.out.contains("resumed from"), resumed.out)

        let a = try SafeTensors.read(work.appendingPathComponent("straight/best.safetensors"))
        let b = try SafeTensors.read(work.appendingPathComponent("interrupted/best.safetensors"))
        XCTAssertEqual(a.map(\.0), b.map(\.0))
        for ((name, x), (_, y)) in zip(a, b) { XCTAssertTrue(try x.bytes() == y.bytes(), "\(name) differs after resume") }
        // The killed run is flagged in the log, the resumed one finished.
        let runs = try lookkit(["runs", "list", "--db", db])
        XCTAssertTrue(runs.out.contains("killed"), runs.out)
    }

    func testSIGTERMSavesTheCheckpointMarksTheRunInterruptedAndTheResumeNamesIt() throws {
        let (data, _) = try makeDataset()
        let db = work.appendingPathComponent("runs.db").path
        let config = try config("stopped", data: data)
        // stdout into a file, as a user logging a run does: what was printed must be there.
        let log = work.appendingPathComponent("stdout.txt")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = try start(["train", "embedder", "--config", config.path, "--db", db, "--threads", "2"],
                                stdout: try FileHandle(forWritingTo: log))
        let checkpoint = work.appendingPathComponent("stopped/last.safetensors")
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: checkpoint.path), process.isRunning, Date() < deadline { usleep(5_000) }
        let saved = try Data(contentsOf: checkpoint)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit)
        XCTAssertEqual(process.terminationStatus, 130)
        let printed = try String(contentsOf: log, encoding: .utf8)
        XCTAssertTrue(printed.contains("run folder: "), printed)
        XCTAssertNotEqual(try Data(contentsOf: checkpoint), saved, "the checkpoint of the step it stopped at was written")
        let runs = try RunLog(path: db, create: false).runs()
        XCTAssertEqual(runs.map(\.status), [.interrupted])

        let resumed = try lookkit(["train", "embedder", "--config", config.path, "--db", db, "--threads", "2", "--resume"])
        XCTAssertEqual(resumed.code, 0, resumed.err)
        XCTAssertTrue(resumed.out.contains("(run 1)"), resumed.out)
        let after = try RunLog(path: db, create: false).runs()
        XCTAssertEqual(after.map(\.status), [.interrupted, .finished])
        XCTAssertEqual(after.last?.resumes, 1)
    }

    private func start(_ arguments: [String], stdout: FileHandle = .nullDevice) throws -> Process {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.currentDirectoryURL = Self.root
        process.environment = ProcessInfo.processInfo.environment.merging(["OMP_NUM_THREADS": "2"]) { _, b in b }
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}
