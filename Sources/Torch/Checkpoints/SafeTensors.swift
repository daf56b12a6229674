import Foundation

/// The safetensors format (8-byte little-endian header length, JSON header, raw little-endian data),
/// read and written in Swift. Names keep their order in the file.
public enum SafeTensors {
    public static func write(_ tensors: [(String, Tensor)], to url: URL, metadata: [String: String] = [:]) throws {
        var header: [String: Any] = [:]
        var payload = Data()
        for (name, tensor) in tensors {
            let bytes = try tensor.bytes()
            header[name] = ["dtype": tensor.dtype.safetensorsName, "shape": tensor.shape,
                            "data_offsets": [payload.count, payload.count + bytes.count]]
            payload.append(contentsOf: bytes)
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
        json.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8))
        var file = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(json)
        file.append(payload)
        try Checkpoint.writeAtomically(file, to: url)
    }

    /// The file's `__metadata__` strings (LookKit stores the run config there).
    public static func metadata(_ url: URL) throws -> [String: String] {
        try header(Checkpoint.contents(of: url), url).json["__metadata__"] as? [String: String] ?? [:]
    }

    private static func header(_ data: Data, _ url: URL) throws -> (json: [String: Any], length: Int) {
        let fail = { (reason: String) in TorchError("\(url.path): not a valid safetensors file: \(reason)", category: .badInput) }
        guard data.count >= 8 else { throw fail("shorter than its 8-byte header length") }
        let headerLength = data.prefix(8).withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
        guard headerLength <= data.count - 8 else { throw fail("header length \(headerLength) exceeds the file") }
        let headerData = data.subdata(in: 8 ..< 8 + headerLength)
        guard let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any] else { throw fail("header is not a JSON object") }
        return (header, headerLength)
    }

    public static func read(_ url: URL) throws -> [(String, Tensor)] {
        let data = try Checkpoint.contents(of: url)
        let fail = { (reason: String) in TorchError("\(url.path): not a valid safetensors file: \(reason)", category: .badInput) }
        let (header, headerLength) = try header(data, url)
        let base = 8 + headerLength
        var entries: [(offset: Int, name: String, tensor: Tensor)] = []
        for (name, value) in header where name != "__metadata__" {
            guard let info = value as? [String: Any], let dtypeName = info["dtype"] as? String,
                  let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int], offsets.count == 2
            else { throw fail("entry '\(name)' lacks dtype, shape or data_offsets") }
            guard let dtype = DType(safetensorsName: dtypeName) else {
                throw TorchError("\(url.path): tensor '\(name)' has dtype \(dtypeName), which LookKit does not support "
                    + "(supported: \(DType.allCases.map(\.safetensorsName).joined(separator: ", ")))", category: .badInput)
            }
            let (start, end) = (base + offsets[0], base + offsets[1])
            guard offsets[0] >= 0, start <= end, end <= data.count else { throw fail("entry '\(name)' points outside the file") }
            let tensor = try data[start ..< end].withUnsafeBytes { try Tensor(bytes: $0, shape: shape, dtype: dtype) }
            entries.append((offsets[0], name, tensor))
        }
        return entries.sorted { $0.offset < $1.offset }.map { ($0.name, $0.tensor) }
    }
}
