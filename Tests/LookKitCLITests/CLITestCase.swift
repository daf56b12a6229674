import Foundation
import XCTest

/// Runs the built `lookkit` as a user does, in a scratch folder per test.
class CLITestCase: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var work: URL!

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("lookkit-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: work) }

    /// The built `lookkit`: the test bundle sits beside the built products (Linux reports its folder,
    /// macOS the .xctest).
    func binary() throws -> URL {
        let bundle = Bundle(for: CLITestCase.self).bundleURL
        return try XCTUnwrap([bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("lookkit") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }, "lookkit binary not built beside \(bundle.path)")
    }

    /// Runs the built binary from the package root; returns exit code, stdout and stderr.
    @discardableResult
    func lookkit(_ arguments: [String]) throws -> (code: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.currentDirectoryURL = Self.root
        var environment = ProcessInfo.processInfo.environment
        environment["OMP_NUM_THREADS"] = "2"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        (process.standardOutput, process.standardError) = (out, err)
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    /// A 3-class copy of part of the bundled demo photos, with a labels.csv for the validation photos.
    func makeDataset() throws -> (root: URL, labels: URL) {
        let source = Self.root.appendingPathComponent("datasets/demo/clothing")
        let data = work.appendingPathComponent("data")
        var rows = ["id,label"]
        for split in ["train", "validation"] {
            for label in ["pants", "shoes", "t-shirt"] {
                let folder = data.appendingPathComponent("\(split)/\(label)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                let files = try FileManager.default.contentsOfDirectory(atPath: source.appendingPathComponent("\(split)/\(label)").path).sorted()
                for file in files.prefix(split == "train" ? 12 : 6) {
                    try FileManager.default.copyItem(at: source.appendingPathComponent("\(split)/\(label)/\(file)"),
                                                     to: folder.appendingPathComponent(file))
                    if split == "validation" { rows.append("\(label)/\((file as NSString).deletingPathExtension),\(label)") }
                }
            }
        }
        let labels = work.appendingPathComponent("labels.csv")
        try rows.joined(separator: "\n").write(to: labels, atomically: true, encoding: .utf8)
        return (data, labels)
    }
}
