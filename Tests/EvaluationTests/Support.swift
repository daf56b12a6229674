import Foundation
import XCTest

/// Package root derived from this file's location (Tests/EvaluationTests/Support.swift).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// LOOKKIT_PYTHON, else <root>/.venv/bin/python; skips the test when neither exists.
func referencePython() throws -> URL {
    let candidates = [ProcessInfo.processInfo.environment["LOOKKIT_PYTHON"], packageRoot.path + "/.venv/bin/python"]
    guard let path = candidates.compactMap({ $0 }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        throw XCTSkip("no Python reference: set LOOKKIT_PYTHON or run `make setup` to create .venv")
    }
    return URL(fileURLWithPath: path)
}

/// Runs a Python script from this folder and returns its stdout; fails on a non-zero exit.
func runPython(_ script: String, _ arguments: [String]) throws -> Data {
    let process = Process()
    process.executableURL = try referencePython()
    process.arguments = [packageRoot.appendingPathComponent("Tests/EvaluationTests/\(script)").path] + arguments
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw NSError(domain: "python", code: Int(process.terminationStatus),
                      userInfo: [NSLocalizedDescriptionKey: "\(script) exited with \(process.terminationStatus)"])
    }
    return data
}

/// Small deterministic generator (SplitMix64) so fixtures are the same on every machine.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func temporaryDirectory(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
