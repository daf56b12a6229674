import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// The `photo` field of a multipart/form-data upload: its bytes and the file name the client gave.
struct PhotoUpload: Equatable {
    static let field = "photo"

    var bytes: [UInt8]
    /// The part's file name ("photo" when the client sent none); the JSON's "photo" echoes it.
    var filename: String

    /// Reads the `photo` part of `body`, sent with the request's `contentType` header.
    init(body: ByteBuffer, contentType: String?) throws {
        let boundary = try Self.boundary(of: contentType)
        let parts: [MultipartPart]
        do {
            parts = try Self.parts(of: body, boundary: boundary)
        } catch {
            throw ServerError.badRequest("the multipart/form-data body could not be parsed")
        }
        guard let part = parts.first(where: { $0.name == Self.field }) else {
            let names = parts.compactMap(\.name)
            throw ServerError.badRequest("no \"\(Self.field)\" field in the upload"
                + (names.isEmpty ? "" : " (fields: \(names.joined(separator: ", ")))"))
        }
        guard part.body.readableBytes > 0 else { throw ServerError.badRequest("the \"\(Self.field)\" field is empty") }
        bytes = Array(part.body.readableBytesView)
        let name = part.headers.first(name: "Content-Disposition").flatMap { headerParameter($0, "filename") } ?? ""
        // Only the last path component: a client's folder names are none of the response's business.
        filename = name.split(separator: "/").last.map(String.init) ?? Self.field
        if filename.isEmpty { filename = Self.field }
    }

    /// The boundary parameter of a multipart/form-data content type; anything else is 415.
    static func boundary(of contentType: String?) throws -> String {
        let type = (contentType ?? "").split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard type == "multipart/form-data" else {
            throw ServerError(.unsupportedMediaType, "expected a multipart/form-data upload with a \"\(field)\" field, "
                + "got content type \(contentType.map { "\"\($0)\"" } ?? "none")")
        }
        // RFC 2046: 1–70 characters; MultipartKit's parser traps on an empty one.
        if let value = headerParameter(contentType ?? "", "boundary"), (1...70).contains(value.count) { return value }
        throw ServerError.badRequest("multipart/form-data content type without a valid boundary")
    }

    /// Every part of the body; a body that ends before its closing boundary is malformed.
    private static func parts(of body: ByteBuffer, boundary: String) throws -> [MultipartPart] {
        let parser = MultipartParser(boundary: boundary)
        var parts: [MultipartPart] = []
        var headers = HTTPHeaders()
        var partBody = ByteBuffer()
        parser.onHeader = { headers.replaceOrAdd(name: $0, value: $1) }
        parser.onBody = { partBody.writeBuffer(&$0) }
        parser.onPartComplete = {
            parts.append(MultipartPart(headers: headers, body: partBody))
            (headers, partBody) = (HTTPHeaders(), ByteBuffer())
        }
        try parser.execute(body)
        return parts
    }
}

/// A `key=value` parameter of a header such as `multipart/form-data; boundary="x"` (quotes removed).
func headerParameter(_ header: String, _ key: String) -> String? {
    for piece in header.split(separator: ";").dropFirst() {
        let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard pair.count == 2, pair[0].lowercased() == key else { continue }
        return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }
    return nil
}
