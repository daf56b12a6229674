import Foundation
import LookKitCore

func readFile(_ url: URL) throws -> Data {
    guard FileManager.default.fileExists(atPath: url.path) else { throw SearchError.missingFile(url.path) }
    do { return try Data(contentsOf: url) } catch {
        throw SearchError.corruptFile(url.path, reason: "unreadable: \(error.localizedDescription)")
    }
}

func appendRaw<T: BitwiseCopyable>(_ values: [T], to data: inout Data) {
    values.withUnsafeBytes { data.append(contentsOf: $0) }
}

func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to data: inout Data) {
    withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
}

/// Sequential little-endian reads that throw a `corruptFile` error naming the file when it ends early.
struct ByteReader {
    let data: Data
    let path: String
    private(set) var position = 0

    init(data: Data, path: String) {
        self.data = data
        self.path = path
    }

    var isAtEnd: Bool { position == data.count }

    /// `n` comes from the file: compared with what is left, never added to the position first.
    mutating func bytes(_ n: Int) throws -> [UInt8] {
        guard n >= 0, n <= data.count - position else {
            throw SearchError.corruptFile(path, reason: "ends after \(data.count) bytes")
        }
        defer { position += n }
        let start = data.startIndex + position
        return Array(data[start..<start + n])
    }

    mutating func integer<T: FixedWidthInteger>(_: T.Type) throws -> T {
        try bytes(MemoryLayout<T>.size).reversed().reduce(T(0)) { $0 << 8 | T($1) }
    }

    /// `n` values stored as raw little-endian memory (every platform Swift targets here is little-endian).
    mutating func array<T: BitwiseCopyable>(of _: T.Type, count n: Int) throws -> [T] {
        guard let size = checkedProduct(n, MemoryLayout<T>.stride) else {
            throw SearchError.corruptFile(path, reason: "declares \(n) values, more than any file holds")
        }
        let raw = try bytes(size)
        return raw.withUnsafeBytes { Array($0.bindMemory(to: T.self)) }
    }

    mutating func int64() throws -> Int64 { try integer(Int64.self) }
    mutating func uint32() throws -> UInt32 { try integer(UInt32.self) }
    mutating func uint16() throws -> UInt16 { try integer(UInt16.self) }
}
