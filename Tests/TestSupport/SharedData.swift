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

    /// A YOLO folder (images/ linked, labels/ copied, classes.txt) of the first `count` Colorful-Fashion
    /// photos under `work/data`, or a skip when the dataset is absent.
    public static func detectionSubset(_ count: Int, in work: URL) throws -> URL {
        let source = try dataset("colorful-fashion-detection-train")
        let root = work.appendingPathComponent("data")
        let fm = FileManager.default
        for sub in ["images", "labels"] { try fm.createDirectory(at: root.appendingPathComponent(sub), withIntermediateDirectories: true) }
        let stems = try fm.contentsOfDirectory(atPath: source.appendingPathComponent("images").path).sorted().prefix(count)
            .map { ($0 as NSString).deletingPathExtension }
        for stem in stems {
            try fm.createSymbolicLink(at: root.appendingPathComponent("images/\(stem).jpg"),
                                      withDestinationURL: source.appendingPathComponent("images/\(stem).jpg"))
            try fm.copyItem(at: source.appendingPathComponent("labels/\(stem).txt"), to: root.appendingPathComponent("labels/\(stem).txt"))
        }
        try fm.copyItem(at: source.appendingPathComponent("classes.txt"), to: root.appendingPathComponent("classes.txt"))
        return root
    }
}
