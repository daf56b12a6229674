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
        appendRaw(gallery, to: &data)
        try OutputFile.write(data, toPath: url.path)
    }

    public static func load(from url: URL) throws -> ExactCosineIndex {
        try load(readFile(url), file: url.path)
    }

    /// Reads `data` as the contents of `file`, which errors name.
    public static func load(_ data: Data, file: String) throws -> ExactCosineIndex {
        var reader = ByteReader(data: data, path: file)
        guard try reader.bytes(magic.count) == magic else {
            throw SearchError.corruptFile(file, reason: "missing LKEXACT1 header")
        }
        let dimension = Int(try reader.int64()), count = Int(try reader.int64())
        let sizeMismatch = SearchError.corruptFile(file, reason: "size does not match dimension \(dimension) × count \(count)")
        guard (1 ... maximumDimension).contains(dimension), let values = checkedProduct(count, dimension) else { throw sizeMismatch }
        let ids = try reader.array(of: Int64.self, count: count)
        let vectors = try reader.array(of: Float.self, count: values)
        guard reader.isAtEnd else { throw sizeMismatch }
        let index = try ExactCosineIndex(dimension: dimension)
        index.appendNormalized(vectors, ids: ids)
        return index
    }
}
