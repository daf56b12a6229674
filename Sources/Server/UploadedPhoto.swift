import Datasets

/// The formats the upload page promises; anything else is refused before OpenCV sees it.
enum PhotoFormat: String {
    case jpeg = "JPEG", png = "PNG", webp = "WebP"

    /// The format a file's first bytes announce, or nil for anything else.
    init?(sniffing bytes: [UInt8]) {
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { self = .jpeg }
        else if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { self = .png }
        else if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) { self = .webp }
        else { return nil }
    }
}

extension PhotoUpload {
    /// The decoded photo: a file that is no image is 415, an image that does not decode
    /// (truncated, corrupt) is 422, each with the reason.
    func decoded() throws -> Image {
        guard let format = PhotoFormat(sniffing: bytes) else {
            throw ServerError(.unsupportedMediaType, "\(filename) is not a JPEG, PNG or WebP image")
        }
        do {
            return try Image(encoded: bytes)
        } catch {
            // The decoder calls in-memory data "<memory>"; the client knows it by its file name.
            let reason = "\(error)".replacingOccurrences(of: "<memory>", with: filename)
            throw ServerError(.unprocessableContent, "could not decode \(format.rawValue): \(reason)")
        }
    }
}
