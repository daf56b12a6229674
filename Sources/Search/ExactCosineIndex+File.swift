import Foundation
import LookKitCore

/// File format: "LKEXACT1", dimension and count as little-endian Int64, the ids (Int64), then the
/// normalised vectors row by row (Float32).
extension ExactCosineIndex {
    private static let magic = Array("LKEXACT1".utf8)

    public func save(to url: URL) throws {
        var data = Data(Self.magic)
        appendLittleEndian(Int64(dimension), to: &data)
        appendLittleEndian(Int64(count), to: &data)
        appendRaw(ids, to: &data)
        appendRaw(storedRows(), to: &data)
        try OutputFile.write(data, toPath: url.path)
    }

    public static func load(from url: URL) throws -> ExactCosineIndex {
        let data = try readFile(url)
        var reader = ByteReader(data: data, path: url.path)
        guard try reader.bytes(magic.count) == magic else {
            throw SearchError.corruptFile(url.path, reason: "missing LKEXACT1 header")
        }
        let dimension = Int(try reader.int64()), count = Int(try reader.int64())
        guard dimension > 0, count >= 0, data.count == magic.count + 16 + count * 8 + count * dimension * 4 else {
            throw SearchError.corruptFile(url.path, reason: "size does not match dimension \(dimension) × count \(count)")
        }
        let ids = try reader.array(of: Int64.self, count: count)
        let vectors = try reader.array(of: Float.self, count: count * dimension)
        let index = try ExactCosineIndex(dimension: dimension)
        index.appendNormalized(vectors, ids: ids)
        return index
    }
}
