import Crypto
import Foundation

/// SHA-256 of artifact files (swift-crypto), as lowercase hex.
public enum FileDigest {
    /// Reads the file in chunks (1 MiB by default) so multi-GB checkpoints hash in constant memory.
    public static func sha256Hex(ofFile url: URL, chunkSize: Int = 1 << 20) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
