import Foundation
import LookKitCore
import XCTest

/// Seeded damage to a valid text file (CSV, YOLO rows, JSON, YAML, JSONL): bit flips, cuts, huge
/// and non-finite numbers, inserted separators and bytes, invalid UTF-8. The same seed gives the
/// same mutants on every machine, so a failing one reproduces from its index.
public struct TextMutations {
    private var random: SeededRandom
    private let valid: [UInt8]

    public init(of valid: String, seed: UInt64) {
        (self.valid, random) = (Array(valid.utf8), SeededRandom(seed: seed))
    }

    /// Numbers and fragments that stress parsers: overflow, non-finite, negative, empty.
    static let fragments = ["1e309", "-1e309", "99999999999999999999999999", "-0", "nan", "inf", "-1", "0", "",
                            "1e-320", "\"", "\"\"", ",", "\t", "\n", "\r\n", " ", "{", "}", "[", "]", ":", "- ", "#",
                            "&a", "*a", "!!binary", "\u{0}", "é", "👗", "\u{FEFF}"].map { Array($0.utf8) }
    /// Byte sequences that are not UTF-8: a stray continuation, a cut sequence, an overlong form,
    /// a lone surrogate and bytes no UTF-8 uses.
    static let invalidUTF8: [[UInt8]] = [[0x80], [0xC3], [0xE2, 0x82], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xFF], [0xFE, 0xFF]]

    /// The next mutant: one to three damages applied to the valid bytes.
    public mutating func next() -> [UInt8] {
        var bytes = valid
        for _ in 0 ..< 1 + Int(random.next() % 3) { damage(&bytes) }
        return bytes
    }

    private mutating func position(in bytes: [UInt8]) -> Int { Int(random.next() % UInt64(bytes.count + 1)) }

    private mutating func damage(_ bytes: inout [UInt8]) {
        let at = position(in: bytes)
        switch random.next() % 7 {
        case 0 where !bytes.isEmpty: // bit flip
            bytes[min(at, bytes.count - 1)] ^= 1 << UInt8(random.next() % 8)
        case 1: // truncation
            bytes.removeSubrange(at...)
        case 2: // a number or fragment inserted
            bytes.insert(contentsOf: random.pick(Self.fragments), at: at)
        case 3: // a field replaced by a huge or odd number
            let end = bytes[at...].firstIndex { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\n") }
            bytes.replaceSubrange(at ..< (end ?? bytes.count), with: random.pick(Array(Self.fragments.prefix(10))))
        case 4: // invalid UTF-8
            bytes.insert(contentsOf: random.pick(Self.invalidUTF8), at: at)
        case 5: // random bytes
            bytes.insert(contentsOf: (0 ..< 1 + random.next() % 8).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: at)
        default: // a span deleted or repeated
            let end = min(bytes.count, at + Int(random.next() % 24))
            let span = Array(bytes[at ..< end])
            if random.next() % 2 == 0 { bytes.removeSubrange(at ..< end) } else { bytes.insert(contentsOf: span, at: at) }
        }
    }
}

/// Feeds `count` seeded mutants of `valid` to `read` through one reused file at `file` (mutated in
/// memory, written over the same path): every call must return or throw a `LookKitError` naming
/// the file, and every issue (skipped row) `read` returns must name the file and a line. A trap
/// would end the test process, so finishing is the no-trap half of the property.
public func assertMutantsFailCleanly(of valid: String, at file: URL, count: Int = 10_000, seed: UInt64 = 1,
                                     read: (URL) throws -> [MalformedFile], line: UInt = #line) throws {
    try Data(valid.utf8).write(to: file)
    let issues = try read(file)
    XCTAssertEqual(issues, [], "the valid file should read cleanly", line: line)
    var mutations = TextMutations(of: valid, seed: seed)
    var failures = 0
    for index in 0 ..< count {
        let bytes = mutations.next()
        try Data(bytes).write(to: file)
        let context = "mutant \(index) (seed \(seed)): \(String(decoding: bytes.prefix(120), as: UTF8.self).debugDescription)"
        do {
            for issue in try read(file) where issue.file != file.path || issue.line == nil {
                XCTFail("issue without file:line: \(issue) — \(context)", line: line)
                failures += 1
            }
        } catch let error as LookKitError {
            if !error.description.contains(file.path) {
                XCTFail("error does not name the file: \(error) — \(context)", line: line)
                failures += 1
            }
        } catch {
            XCTFail("not a LookKitError: \(type(of: error)) \(error) — \(context)", line: line)
            failures += 1
        }
        if failures >= 5 { return } // enough to diagnose; the rest would repeat them
    }
}
