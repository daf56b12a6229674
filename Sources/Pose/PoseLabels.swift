import Foundation
import LookKitCore

/// One row of a pose labels CSV (`file,full_shot,front_facing,gender`; datasets/labels/README.md).
public struct PoseLabel: Sendable, Equatable, Codable {
    public var file: String
    public var fullShot: Bool
    public var frontFacing: Bool
    /// Men, Women or unsure; not used by the gate.
    public var gender: String

    public init(file: String, fullShot: Bool, frontFacing: Bool, gender: String = "unsure") {
        (self.file, self.fullShot, self.frontFacing, self.gender) = (file, fullShot, frontFacing, gender)
    }

    /// Which half a photo belongs to: the rules' thresholds are tuned on `tuning` and checked on
    /// `heldOut`. FNV-1a (64-bit) of the file name, even → tuning: stable across runs and machines.
    public enum Half: String, Sendable, Codable, CaseIterable { case tuning, heldOut = "held-out" }

    public var half: Half {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in file.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash % 2 == 0 ? .tuning : .heldOut
    }

    /// Every row of the CSV; any malformed row is an error naming the file and line (the file is small
    /// and hand-made: a typo should be fixed, not skipped).
    public static func read(_ url: URL) throws -> [PoseLabel] {
        let rows = try CSV.rows(readText(url)) { line, reason in throw MalformedFile(file: url.path, line: line, reason: reason) }
        let header = ["file", "full_shot", "front_facing", "gender"]
        guard let first = rows.first, first.fields.map({ $0.trimmingCharacters(in: .whitespaces) }) == header else {
            throw MalformedFile(file: url.path, line: 1, reason: "the header must be \(header.joined(separator: ","))")
        }
        return try rows.dropFirst().map { row in
            let f = row.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            guard f.count == 4 else { throw MalformedFile(file: url.path, line: row.line, reason: "\(f.count) fields, expected 4") }
            func yesNo(_ value: String, _ column: String) throws -> Bool {
                switch value.lowercased() {
                case "yes": return true
                case "no": return false
                default: throw MalformedFile(file: url.path, line: row.line, reason: "\(column) is \"\(value)\", expected yes or no")
                }
            }
            guard !f[0].isEmpty else { throw MalformedFile(file: url.path, line: row.line, reason: "empty file name") }
            guard ["Men", "Women", "unsure"].contains(f[3]) else {
                throw MalformedFile(file: url.path, line: row.line, reason: "gender is \"\(f[3])\", expected Men, Women or unsure")
            }
            return PoseLabel(file: f[0], fullShot: try yesNo(f[1], "full_shot"), frontFacing: try yesNo(f[2], "front_facing"), gender: f[3])
        }
    }
}
