import Foundation

/// The central directory of a PyTorch zip checkpoint, checked before libtorch sees the bytes:
/// libtorch allocates whatever sizes an entry declares before it notices they are wrong, so a
/// damaged file could make it reserve gigabytes. Every entry must lie inside the file, and stored
/// (uncompressed, as `torch.save` writes) entries must declare equal sizes. ZIP64 records (files
/// over 4 GB) are left to libtorch.
enum ZipDirectory {
    static func check(_ data: Data, file: String) throws {
        func fail(_ reason: String) -> TorchError { TorchError("\(file): not a PyTorch zip checkpoint (\(reason))", category: .badInput) }
        let bytes = [UInt8](data)
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        // The end-of-central-directory record: 22 bytes plus a comment of at most 65,535.
        let minimum = 22
        guard bytes.count >= minimum else { throw fail("\(bytes.count) bytes") }
        guard let end = stride(from: bytes.count - minimum, through: max(0, bytes.count - minimum - 65_535), by: -1)
            .first(where: { u32($0) == 0x0605_4B50 }) else { throw fail("no end of central directory") }
        let (entries, size, offset) = (u16(end + 10), u32(end + 12), u32(end + 16))
        if entries == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF { return }  // ZIP64
        guard offset <= end, size <= end - offset else { throw fail("central directory outside the file") }
        var at = offset
        for entry in 0..<entries {
            guard at + 46 <= offset + size, u32(at) == 0x0201_4B50 else { throw fail("central directory entry \(entry) is damaged") }
            let (method, compressed, uncompressed) = (u16(at + 10), u32(at + 20), u32(at + 24))
            let (nameLength, extraLength, commentLength, local) = (u16(at + 28), u16(at + 30), u16(at + 32), u32(at + 42))
            if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || local == 0xFFFF_FFFF { return }  // ZIP64 entry
            guard local <= offset, compressed <= offset - local else { throw fail("entry \(entry) lies outside the file") }
            guard method != 0 || compressed == uncompressed else { throw fail("entry \(entry) declares \(uncompressed) bytes but stores \(compressed)") }
            at += 46 + nameLength + extraLength + commentLength
        }
    }
}
