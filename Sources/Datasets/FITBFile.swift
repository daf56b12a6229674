import Foundation
import LookKitCore

/// A fill-in-the-blank question as `lookkit eval fitb` reads it, one JSON object per line:
/// `{"context": [ids], "candidates": [ids], "answer": index}`, where an id names `<images>/<id>.jpg`.
public struct FITBFileQuestion: Sendable, Equatable {
    public let line: Int
    public let context: [String], candidates: [String]
    public let answer: Int
}

public enum FITBFile {
    private struct Row: Codable { let context: [String], candidates: [String], answer: Int }

    /// Every question of `url`. A line that is not such an object, or whose answer is not one of its
    /// candidates, is an error naming the line; a question naming a missing image is skipped and returned
    /// as an issue with its line.
    public static func read(_ url: URL, images: URL) throws -> (questions: [FITBFileQuestion], skipped: [DataIssue]) {
        var questions: [FITBFileQuestion] = [], skipped: [DataIssue] = []
        for (line, text) in try numberedLines(of: url) where !text.trimmingCharacters(in: .whitespaces).isEmpty {
            let row: Row
            do { row = try JSONDecoder().decode(Row.self, from: Data(text.utf8)) } catch {
                throw MalformedFile(file: url.path, line: line,
                                    reason: "expected {\"context\": [ids], \"candidates\": [ids], \"answer\": index} (\(error.localizedDescription))")
            }
            guard !row.context.isEmpty, row.candidates.count >= 2 else {
                throw MalformedFile(file: url.path, line: line, reason: "a question needs context items and at least 2 candidates")
            }
            guard row.candidates.indices.contains(row.answer) else {
                throw MalformedFile(file: url.path, line: line, reason: "answer \(row.answer) is not an index of the \(row.candidates.count) candidates")
            }
            if let missing = (row.context + row.candidates).first(where: { !fileExists(image(for: $0, in: images)) }) {
                skipped.append(DataIssue(file: url.path, line: line, reason: "image \(image(for: missing, in: images).path) does not exist; question skipped"))
                continue
            }
            questions.append(FITBFileQuestion(line: line, context: row.context, candidates: row.candidates, answer: row.answer))
        }
        return (questions, skipped)
    }

    public static func image(for id: String, in folder: URL) -> URL { folder.appendingPathComponent("\(id).jpg") }

    /// Writes `questions` as `read` reads them, naming each item by its photo (`<id>.jpg`); returns
    /// the one folder every photo lies in (the `--images` of `lookkit eval fitb`).
    @discardableResult
    public static func write(_ questions: [FITBQuestion], to url: URL) throws -> URL {
        var folders = Set<URL>()
        func id(_ item: OutfitItem) throws -> String {
            guard let photo = item.image, photo.pathExtension.lowercased() == "jpg" else {
                throw VisionError("product \(item.id) has no .jpg photo to name in a FITB file")
            }
            folders.insert(photo.deletingLastPathComponent().standardizedFileURL)
            return photo.deletingPathExtension().lastPathComponent
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let lines = try questions.map { q in
            String(decoding: try encoder.encode(Row(context: try q.context.map(id), candidates: try q.answers.map(id), answer: q.correct)), as: UTF8.self)
        }
        guard folders.count <= 1 else { throw VisionError("the questions' photos lie in \(folders.count) folders; a FITB file names one") }
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return folders.first ?? url.deletingLastPathComponent()
    }
}
