import Foundation
import LookKitCore

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
        try OutputFile.write(file, toPath: url.path)
    }

    /// The file's `__metadata__` strings (LookKit stores the run config there).
    public static func metadata(_ url: URL) throws -> [String: String] {
        try SafeTensorsHeader(Checkpoint.contents(of: url), file: url.path).metadata
    }

    /// The tensors' names, in file order, without reading their data.
    public static func names(_ url: URL) throws -> [String] {
        try SafeTensorsHeader(Checkpoint.contents(of: url), file: url.path).entries.map(\.name)
    }

    public static func read(_ url: URL) throws -> [(String, Tensor)] {
        try read(Checkpoint.contents(of: url), file: url.path)
    }

    /// Reads `data` as the contents of `file`, which errors name (`read(_:)` and tests feeding bytes share it).
    public static func read(_ data: Data, file: String) throws -> [(String, Tensor)] {
        try SafeTensorsHeader(data, file: file).entries.map { entry in
            do {
                return (entry.name, try data[entry.bytes].withUnsafeBytes { try Tensor(bytes: $0, shape: entry.shape, dtype: entry.dtype) })
            } catch let error as TorchError {
                throw TorchError("\(file): tensor '\(entry.name)': \(error.message)", category: .badInput)
            }
        }
    }
}
