import Foundation
import XCTest

/// The project venv's Python (torch, numpy, pillow), which the reference checks compare against.
/// Tests that need it skip with a clear message where it is absent.
public enum ReferencePython {
    /// The package root (this file is Tests/TestSupport/ReferencePython.swift).
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// LOOKKIT_PYTHON, else <root>/.venv/bin/python.
    public static func executable() throws -> URL {
        let candidates = [ProcessInfo.processInfo.environment["LOOKKIT_PYTHON"], packageRoot.path + "/.venv/bin/python"]
        guard let path = candidates.compactMap({ $0 }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("no Python reference: set LOOKKIT_PYTHON or run `make setup` to create .venv")
        }
        return URL(fileURLWithPath: path)
    }

    /// Runs Python with `arguments`; returns its stdout, or throws with its stderr on failure.
    @discardableResult
    public static func run(_ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        (process.standardOutput, process.standardError) = (output, errors)
        try process.run()
        // Read stderr on its own thread so neither pipe fills up and blocks the child.
        var message = Data()
        let reader = Thread { message = errors.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while reader.isExecuting || !reader.isFinished { usleep(1000) }
        guard process.terminationStatus == 0 else {
            throw Failure(description: "python \(arguments.first ?? "") exited with \(process.terminationStatus): "
                + String(decoding: message, as: UTF8.self))
        }
        return data
    }

    /// Runs a snippet (`python -c`) and returns its stdout as text.
    public static func run(code: String, _ arguments: [String] = []) throws -> String {
        String(decoding: try run(["-c", code] + arguments), as: UTF8.self)
    }

    /// Runs a script given relative to the package root.
    @discardableResult
    public static func run(script: String, _ arguments: [String] = []) throws -> Data {
        try run([packageRoot.appendingPathComponent(script).path] + arguments)
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }
}
