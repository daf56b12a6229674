import Foundation
import TestSupport
import Torch
import XCTest

/// One run of `yolov5_reference.py COMMAND` in a fresh folder, skipped where the `yolov5` package
/// is not in the venv, and the tensors it saved there.
struct YOLOv5Reference {
    let folder: URL

    init(_ command: String, _ arguments: [String] = []) throws {
        let available = try ReferencePython.run(code: "import importlib.util as u; print(u.find_spec('yolov5') is not None)")
        guard available.contains("True") else { throw XCTSkip("the yolov5 package is not in the venv (make setup installs it)") }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("yolov5-\(command)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        output = String(decoding: try ReferencePython.run(script: "Tests/DetectionTests/yolov5_reference.py",
                                                          [command, folder.path] + arguments), as: UTF8.self)
    }

    /// What the script printed.
    let output: String

    func url(_ file: String) -> URL { folder.appendingPathComponent(file) }

    func tensors(_ file: String) throws -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: try Checkpoint.load(url(file)))
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
