import Foundation
import XCTest

/// Seeded mutations of a valid binary file, for property tests of its reader: bit flips, truncations,
/// inserted and deleted bytes, huge or negative little-endian integers written over 1–8 bytes (binary
/// length, offset and shape fields), and huge decimal numbers written over a run of ASCII digits
/// (the same fields in JSON or Python-dict headers). Mutation `i` of a seed is the same everywhere.
public struct BinaryMutations {
    public let original: Data
    public let seed: UInt64

    public init(of original: Data, seed: UInt64) {
        (self.original, self.seed) = (original, seed)
    }

    /// The `index`th mutant and what was done to it (for failure messages): one to three mutations.
    public func mutant(_ index: Int) -> (data: Data, description: String) {
        var random = SeededRandom(seed: seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        var bytes = [UInt8](original)
        var steps: [String] = []
        for _ in 0 ... Int(random.next() % 3) { steps.append(Self.mutate(&bytes, &random)) }
        return (Data(bytes), "mutant \(index) (seed \(seed)): " + steps.joined(separator: ", "))
    }

    /// Integers that overflow sizes and offsets when added or multiplied, and negatives read as unsigned.
    static let hugeIntegers: [UInt64] = [
        .max, .max - 7, 1 << 63, (1 << 63) - 1, (1 << 63) - 8, 1 << 62, 1 << 32, (1 << 32) - 1, 1 << 31, (1 << 31) - 1, 1 << 16, 0xFFFF,
    ]
    static let hugeDecimals = [
        "9223372036854775807", "9223372036854775808", "9223372036854775000", "18446744073709551615", "4294967296",
        "4611686018427387904", "-1", "-9223372036854775808", "1e300", "99999999999999999999999999", "0",
    ]

    private static func mutate(_ bytes: inout [UInt8], _ random: inout SeededRandom) -> String {
        func position(_ limit: Int) -> Int { limit <= 0 ? 0 : Int(random.next() % UInt64(limit)) }
        switch random.next() % 6 {
        case 0 where !bytes.isEmpty:
            let flips = 1 + position(8)
            for _ in 0 ..< flips { bytes[position(bytes.count)] ^= 1 << UInt8(position(8)) }
            return "\(flips) bit flips"
        case 1:
            let length = position(bytes.count)
            bytes.removeSubrange(length...)
            return "truncated to \(length) bytes"
        case 2:
            let at = position(bytes.count + 1), inserted = (0 ..< 1 + position(16)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            bytes.insert(contentsOf: inserted, at: at)
            return "\(inserted.count) bytes inserted at \(at)"
        case 3 where !bytes.isEmpty:
            let at = position(bytes.count), length = min(1 + position(16), bytes.count - at)
            bytes.removeSubrange(at ..< at + length)
            return "\(length) bytes deleted at \(at)"
        case 4 where !bytes.isEmpty:
            let width = random.pick([1, 2, 4, 8]), value = random.pick(hugeIntegers)
            let at = position(max(bytes.count - width, 0) + 1)
            for k in 0 ..< min(width, bytes.count - at) { bytes[at + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(k))) }
            return "integer \(value) written over \(width) bytes at \(at)"
        default:
            return writeDecimal(&bytes, from: position(bytes.count), random.pick(hugeDecimals))
        }
    }

    /// Replaces the first run of ASCII digits at or after `start` (wrapping round) with `number`.
    private static func writeDecimal(_ bytes: inout [UInt8], from start: Int, _ number: String) -> String {
        let isDigit = { (byte: UInt8) in (0x30 ... 0x39).contains(byte) }
        guard let first = bytes[start...].firstIndex(where: isDigit) ?? bytes.firstIndex(where: isDigit) else {
            return "no digits to replace"
        }
        let end = bytes[first...].firstIndex { !isDigit($0) } ?? bytes.count
        bytes.replaceSubrange(first ..< end, with: Array(number.utf8))
        return "\(number) written over the number at \(first)"
    }
}

/// Feeds `count` seeded mutants of `original` to `read`: each must return or throw an error whose
/// text names `file` (a trap ends the test run, which is the failure this guards against).
/// Returns how many were rejected, so a test can check the mutations reach the reader's checks.
@discardableResult
public func assertMutantsReadOrThrowNaming(_ file: String, original: Data, count: Int = 10_000, seed: UInt64 = 1,
                                           read: (Data) throws -> Void,
                                           sourceFile: StaticString = #filePath, line: UInt = #line) -> Int {
    let mutations = BinaryMutations(of: original, seed: seed)
    var rejected = 0
    for index in 0 ..< count {
        let (data, description) = mutations.mutant(index)
        do { try read(data) } catch {
            rejected += 1
            let text = String(describing: error)
            if !text.contains(file) {
                XCTFail("\(description): error does not name \(file): \(text)", file: sourceFile, line: line)
                return rejected
            }
        }
    }
    return rejected
}
