import Foundation

/// An output file or folder that cannot be written, found before or while writing it.
public struct OutputFileError: LookKitError, Equatable, Sendable {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) { (self.path, self.reason) = (path, reason) }
    public var category: ErrorCategory { .badInput }
    public var description: String { "cannot write \(path): \(reason)" }
}

/// Outputs that are checked before the work that fills them starts, and that appear whole or not at
/// all: each file is written under a temporary name beside it and renamed into place, so a failure
/// leaves neither a half-written file nor one file of a pair (vectors without their metadata).
public enum OutputFile {
    /// Throws unless a file can be created or replaced at `path`: its folder exists and is writable,
    /// and `path` is not a folder. Commands call it before any long work.
    public static func checkWritable(_ path: String) throws {
        if isFolder(path) == true { throw OutputFileError(path: path, reason: "it is a folder") }
        try checkWritableFolder(URL(fileURLWithPath: path).deletingLastPathComponent().path, of: path, mustExist: true)
    }

    /// Throws unless `path` is a writable folder, or can be created as one (with its parents).
    public static func checkWritableFolder(_ path: String) throws {
        try checkWritableFolder(path, of: path, mustExist: false)
    }

    /// Writes `data` to `path` through a temporary file.
    public static func write(_ data: Data, toPath path: String) throws {
        try writeTogether([(path, { try data.write(to: URL(fileURLWithPath: $0)) })])
    }

    /// Writes files that belong together: each `write` fills the temporary path it is given, and
    /// only once all have succeeded are they renamed into place; on failure the temporaries are
    /// removed and nothing at the final paths changes.
    public static func writeTogether(_ files: [(path: String, write: (String) throws -> Void)]) throws {
        for file in files { try checkWritable(file.path) }
        let temporaries = files.map { temporaryPath(for: $0.path) }
        defer { for temporary in temporaries { unlink(temporary) } }
        for (file, temporary) in zip(files, temporaries) {
            do { try file.write(temporary) } catch let error as any LookKitError {
                throw error
            } catch {
                throw OutputFileError(path: file.path, reason: error.localizedDescription)
            }
        }
        for (file, temporary) in zip(files, temporaries) where rename(temporary, file.path) != 0 {
            throw OutputFileError(path: file.path, reason: String(cString: strerror(errno)))
        }
    }

    /// A hidden name beside `path`, so the rename stays on one file system.
    static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).partial").path
    }

    /// Walks up to the nearest existing ancestor (only `folder` itself when `mustExist`) and checks it.
    private static func checkWritableFolder(_ folder: String, of path: String, mustExist: Bool) throws {
        var current = URL(fileURLWithPath: folder.isEmpty ? "." : folder).standardizedFileURL
        while isFolder(current.path) == nil {
            guard !mustExist else { throw OutputFileError(path: path, reason: "folder \(current.path) does not exist") }
            current = current.deletingLastPathComponent()
        }
        guard isFolder(current.path) == true else { throw OutputFileError(path: path, reason: "\(current.path) is not a folder") }
        guard access(current.path, W_OK) == 0 else {
            throw OutputFileError(path: path, reason: "folder \(current.path) is not writable")
        }
    }

    /// true for a folder, false for another file, nil when nothing is there.
    private static func isFolder(_ path: String) -> Bool? {
        var folder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &folder) else { return nil }
        return folder.boolValue
    }
}
