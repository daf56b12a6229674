import CVision
import Foundation

/// An 8-bit RGB image, pixels stored row by row (HWC), 3 bytes per pixel.
public struct Image: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) throws {
        guard width > 0, height > 0, pixels.count == width * height * 3 else {
            throw VisionError("image of \(width)x\(height) needs \(max(0, width * height * 3)) bytes, got \(pixels.count)")
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A uniform image, e.g. a grey letterbox canvas or a white style board.
    public init(width: Int, height: Int, fill: (UInt8, UInt8, UInt8)) throws {
        var pixels = [UInt8](repeating: fill.0, count: max(0, width * height * 3))
        if fill.1 != fill.0 || fill.2 != fill.0 {
            for i in stride(from: 0, to: pixels.count, by: 3) { (pixels[i + 1], pixels[i + 2]) = (fill.1, fill.2) }
        }
        try self.init(width: width, height: height, pixels: pixels)
    }

    /// Decodes a JPEG/PNG/WebP file (EXIF orientation applied); errors name the file.
    public init(contentsOf url: URL) throws {
        var buffer = CVBuffer()
        try checkCV(cv_decode_file(url.path, &buffer))
        self.init(taking: &buffer)
    }

    /// Decodes a file for use at `side` pixels: a JPEG at least twice as large on its longer side is
    /// decoded at 1/2, 1/4 or 1/8 scale (never below `side`), so huge photos cost little memory.
    public init(contentsOf url: URL, atLeast side: Int) throws {
        var buffer = CVBuffer()
        try checkCV(cv_decode_file_reduced(url.path, Int32(side), &buffer))
        self.init(taking: &buffer)
    }

    /// Decodes encoded bytes; `name` labels errors (a file name or sample id).
    public init(encoded data: [UInt8], name: String = "<memory>") throws {
        var buffer = CVBuffer()
        let status = data.withUnsafeBufferPointer { cv_decode_memory($0.baseAddress, $0.count, &buffer) }
        try checkCV(status, name == "<memory>" ? nil : name)
        self.init(taking: &buffer)
    }

    private init(taking buffer: inout CVBuffer) {
        defer { cv_buffer_free(&buffer) }
        width = Int(buffer.width)
        height = Int(buffer.height)
        pixels = Array(UnsafeBufferPointer(start: buffer.data, count: buffer.count))
    }

    public func pixel(x: Int, y: Int) -> (UInt8, UInt8, UInt8) {
        let i = (y * width + x) * 3
        return (pixels[i], pixels[i + 1], pixels[i + 2])
    }

    public enum Format: String, Sendable { case jpeg = ".jpg", png = ".png", webp = ".webp" }

    /// Encodes as JPEG or WebP (with `quality`; WebP above 100 is lossless) or lossless PNG.
    public func encoded(as format: Format, quality: Int = 95) throws -> [UInt8] {
        var buffer = CVBuffer()
        let status = pixels.withUnsafeBufferPointer {
            cv_encode($0.baseAddress, Int32(width), Int32(height), 3, format.rawValue, Int32(quality), &buffer)
        }
        try checkCV(status)
        defer { cv_buffer_free(&buffer) }
        return Array(UnsafeBufferPointer(start: buffer.data, count: buffer.count))
    }

    /// Writes the image in the format its extension names (JPEG unless ".png" or ".webp").
    public func write(to url: URL, quality: Int = 95) throws {
        let format = Format(rawValue: "." + url.pathExtension.lowercased()) ?? .jpeg
        try Data(encoded(as: format, quality: quality)).write(to: url)
    }

    /// Runs a CVision call that fills a new image of the given size from this one.
    func producing(width: Int, height: Int, _ body: (UnsafePointer<UInt8>, UnsafeMutablePointer<UInt8>) -> Int32) throws -> Image {
        guard width > 0, height > 0 else { throw VisionError("output size \(width)x\(height) is empty") }
        var out = [UInt8](repeating: 0, count: width * height * 3)
        let status = pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in body(src.baseAddress!, dst.baseAddress!) }
        }
        try checkCV(status)
        return try Image(width: width, height: height, pixels: out)
    }

    /// Runs a CVision call that edits this image's pixels in place.
    mutating func editing(_ body: (UnsafeMutablePointer<UInt8>) -> Int32) throws {
        let status = pixels.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
        try checkCV(status)
    }
}
