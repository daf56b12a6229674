import Foundation

/// Decoded images kept in RAM after their first use, so later epochs skip JPEG decoding.
/// Shared by loader workers; decoding happens outside the lock.
public final class ImageCache: @unchecked Sendable {
    private let lock = NSLock()
    private var images: [URL: Image] = [:]
    private var bytes = 0
    public let byteLimit: Int
    public private(set) var hits = 0, misses = 0

    /// Stops adding images once `byteLimit` bytes of pixels are held.
    public init(byteLimit: Int = 2 << 30) { self.byteLimit = byteLimit }

    public func image(at url: URL, decode: (URL) throws -> Image = { try Image(contentsOf: $0) }) throws -> Image {
        if let cached = lock.withLock({ images[url] }) {
            lock.withLock { hits += 1 }
            return cached
        }
        let image = try decode(url)
        lock.withLock {
            misses += 1
            if bytes + image.pixels.count <= byteLimit, images.updateValue(image, forKey: url) == nil { bytes += image.pixels.count }
        }
        return image
    }
}
