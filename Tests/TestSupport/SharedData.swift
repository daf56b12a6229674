import Foundation
import XCTest

/// The real datasets in `../shared/data` beside the checkout. CI has them; a machine without them
/// skips the tests that need them, saying where it looked.
public enum SharedData {
    public static let root = ReferencePython.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")

    /// `../shared/data/<relative>`, whether or not it exists (for tests with a fallback).
    public static func path(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// `../shared/data/<relative>`, or a skip when it is absent on this machine.
    public static func dataset(_ relative: String) throws -> URL {
        let url = path(relative)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("shared dataset \(url.path) is absent on this machine")
        }
        return url
    }
}
