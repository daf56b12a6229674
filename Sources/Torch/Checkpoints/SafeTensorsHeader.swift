import Foundation

/// A safetensors header with every field checked against the file before a byte is read through it:
/// the header length, offsets and shapes come from the file and can be any number.
struct SafeTensorsHeader {
    struct Entry {
        let name: String
        let dtype: DType
        let shape: [Int]
        /// Where the tensor's bytes lie in the file's `Data`.
        let bytes: Range<Int>
    }

    /// In the order of their data in the file.
    let entries: [Entry]
    let metadata: [String: String]

    init(_ data: Data, file: String) throws {
        let fail = { (reason: String) in TorchError("\(file): not a valid safetensors file: \(reason)", category: .badInput) }
        guard data.count >= 8 else { throw fail("shorter than its 8-byte header length") }
        let declared = data.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard declared <= UInt64(data.count - 8) else {
            throw fail("header length \(declared) exceeds the file's \(data.count) bytes")
        }
        let headerEnd = data.startIndex + 8 + Int(declared)
        guard let json = try? JSONSerialization.jsonObject(with: data[data.startIndex + 8 ..< headerEnd]) as? [String: Any] else {
            throw fail("header is not a JSON object")
        }
        let payload = headerEnd ..< data.endIndex
        metadata = json["__metadata__"] as? [String: String] ?? [:]
        entries = try json.filter { $0.key != "__metadata__" }
            .map { try Self.entry($0.key, $0.value, payload: payload, file: file, fail: fail) }
            .sorted { $0.bytes.lowerBound < $1.bytes.lowerBound }
    }

    private static func entry(_ name: String, _ value: Any, payload: Range<Int>, file: String,
                              fail: (String) -> TorchError) throws -> Entry {
        guard let info = value as? [String: Any], let dtypeName = info["dtype"] as? String,
              let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int], offsets.count == 2
        else { throw fail("tensor '\(name)' lacks dtype, shape or data_offsets") }
        guard let dtype = DType(safetensorsName: dtypeName) else {
            throw TorchError("\(file): tensor '\(name)' has dtype \(dtypeName), which LookKit does not support "
                + "(supported: \(DType.allCases.map(\.safetensorsName).joined(separator: ", ")))", category: .badInput)
        }
        // Compared with the payload's size before any addition, so no offset can overflow.
        guard offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= payload.count else {
            throw fail("tensor '\(name)' has data_offsets \(offsets) outside the \(payload.count)-byte data section")
        }
        let length = offsets[1] - offsets[0]
        guard Tensor.byteCount(shape: shape, dtype: dtype) == length else {
            throw fail("tensor '\(name)' of shape \(shape) and dtype \(dtypeName) does not fit its \(length) bytes")
        }
        return Entry(name: name, dtype: dtype, shape: shape, bytes: payload.lowerBound + offsets[0] ..< payload.lowerBound + offsets[1])
    }
}
