import Foundation

/// Decoded images kept after their first use, so later epochs skip JPEG decoding: in RAM up to
/// `byteLimit`, and optionally as raw pixel files in `directory` (kept across runs, like
/// ultralytics' .npy cache; an entry is keyed by path, size and modification time, so an edited
/// image is decoded again). Shared by loader workers; decoding happens outside the lock.
public final class ImageCache: @unchecked Sendable {
    private let lock = NSLock()
    private var images: [URL: Image] = [:]
    private var bytes = 0
    public let byteLimit: Int
    public let directory: URL?
    public private(set) var hits = 0, diskHits = 0, misses = 0

    public init(byteLimit: Int = 2 << 30, directory: URL? = nil) throws {
        self.byteLimit = byteLimit
        self.directory = directory
        if let directory { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
    }

    public func image(at url: URL) throws -> Image {
        if let cached = lock.withLock({ images[url] }) {
            lock.withLock { hits += 1 }
            return cached
        }
        let entry = try diskEntry(for: url)
        let image: Image
        if let entry, let stored = try? readRaw(entry) {
            image = stored
            lock.withLock { diskHits += 1 }
        } else {
            image = try Image(contentsOf: url)
            if let entry { try writeRaw(image, to: entry) }
            lock.withLock { misses += 1 }
        }
        lock.withLock {
            if bytes + image.pixels.count <= byteLimit, images.updateValue(image, forKey: url) == nil { bytes += image.pixels.count }
        }
        return image
    }

    private func diskEntry(for url: URL) throws -> URL? {
        guard let directory else { return nil }
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        let stamp = "\(url.standardizedFileURL.path)|\(attributes[.size] ?? 0)|\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        return directory.appendingPathComponent(String(stableHash(stamp, seed: 0), radix: 16) + ".rgb")
    }

    /// Layout: width and height as little-endian UInt32, then the RGB bytes.
    private func readRaw(_ file: URL) throws -> Image {
        let data = try Foundation.Data(contentsOf: file)
        guard data.count >= 8 else { throw VisionError("\(file.path): cache entry too short") }
        let size = data.prefix(8).withUnsafeBytes { (Int($0.loadUnaligned(as: UInt32.self)), Int($0.loadUnaligned(fromByteOffset: 4, as: UInt32.self))) }
        return try Image(width: size.0, height: size.1, pixels: [UInt8](data.dropFirst(8)))
    }

    private func writeRaw(_ image: Image, to file: URL) throws {
        var data = Foundation.Data(capacity: 8 + image.pixels.count)
        withUnsafeBytes(of: UInt32(image.width).littleEndian) { data.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(image.height).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: image.pixels)
        try data.write(to: file, options: .atomic) // atomic: a reader never sees half an entry
    }
}
