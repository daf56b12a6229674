import Foundation

func temporaryDatabase(_ name: String = "runs") throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lookkit-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.appendingPathComponent("runs.db").path
}

func removeDatabase(_ path: String) {
    try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent())
}
