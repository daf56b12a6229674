@testable import Experiments
import Foundation
import XCTest

/// A child process (this test binary, running `ChildWriter`) logs metrics until SIGKILLed.
final class KilledProcessTests: XCTestCase {
    func testKilledWriterLeavesMetricsAndIsFlagged() throws {
        let path = try temporaryDatabase("killed")
        defer { removeDatabase(path) }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0])
        child.arguments = ["ExperimentsTests.ChildWriter/testWriteUntilKilled"]
        child.environment = ProcessInfo.processInfo.environment.merging(["LOOKKIT_CHILD_DB": path]) { $1 }
        let output = Pipe()
        child.standardOutput = output
        child.standardError = FileHandle.nullDevice
        try child.run()

        // Wait until the child reports 200 logged steps, reading its log concurrently meanwhile.
        var reported = 0
        var buffer = ""
        let deadline = Date().addingTimeInterval(60)
        while reported < 200, Date() < deadline, child.isRunning {
            buffer += String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
            reported = buffer.split(separator: "\n").compactMap { Int($0.replacingOccurrences(of: "logged ", with: "")) }.max() ?? 0
        }
        XCTAssertGreaterThanOrEqual(reported, 200, "child did not start logging: \(buffer.suffix(500))")
        let runningView = try RunLog(path: path).runs()
        XCTAssertEqual(runningView.map(\.status), [.running], "a live writer's run is not flagged by another process")

        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        XCTAssertEqual(child.terminationReason, .uncaughtSignal)

        let log = try RunLog(path: path)
        let run = try XCTUnwrap(log.runs().first)
        XCTAssertEqual(run.status, .killed)
        XCTAssertNotNil(run.endedAt)
        let steps = try log.metrics(run: run.id).filter { $0.name == "loss" }.map(\.step)
        XCTAssertGreaterThanOrEqual(steps.count, reported, "every metric reported before the kill is readable")
        XCTAssertEqual(steps, Array(0..<steps.count))
        print("killed child: reported \(reported) steps, \(steps.count) readable after SIGKILL")
        XCTAssertEqual(try log.metrics(run: run.id).first { $0.name == "loss" && $0.step == 150 }?.value, 1.0 / 151)
    }
}

/// Only does something when started by `KilledProcessTests` (LOOKKIT_CHILD_DB set).
final class ChildWriter: XCTestCase {
    func testWriteUntilKilled() throws {
        guard let path = ProcessInfo.processInfo.environment["LOOKKIT_CHILD_DB"] else {
            throw XCTSkip("helper for KilledProcessTests; runs only as its child process")
        }
        let run = try RunLog(path: path).startRun(name: "doomed", kind: "train", device: "cpu")
        for step in 0..<1_000_000 {
            try run.logMetrics(step: step, epoch: 0, ["loss": 1 / Double(step + 1), "lr": 0.1])
            FileHandle.standardOutput.write(Data("logged \(step + 1)\n".utf8))  // unbuffered
            if step >= 200 { usleep(1_000) }
        }
    }
}
