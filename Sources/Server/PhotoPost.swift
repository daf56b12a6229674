import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `POST /api/recommend` as a browser sends it: multipart/form-data with the photo in one field.
/// The load test and the tests use it; the server never does.
public struct PhotoPost: Sendable {
    public var bytes: [UInt8]
    public var filename: String
    /// "photo" for a good request; tests send other names to get the missing-field error.
    public var field: String
    public var contentType: String

    public init(bytes: [UInt8], filename: String, field: String = "photo", contentType: String = "image/jpeg") {
        self.bytes = bytes
        self.filename = filename
        self.field = field
        self.contentType = contentType
    }

    /// A boundary that does not occur in the photo (random, so no fixed string can collide).
    static func boundary() -> String { "lookkit-" + UUID().uuidString }

    /// The multipart body and the Content-Type header that names its boundary.
    public func encoded() -> (body: Data, contentType: String) {
        let boundary = Self.boundary()
        var body = Data("--\(boundary)\r\n".utf8)
        body.append(Data("Content-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\n".utf8))
        body.append(Data("Content-Type: \(contentType)\r\n\r\n".utf8))
        body.append(contentsOf: bytes)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        return (body, "multipart/form-data; boundary=\(boundary)")
    }

    /// The request to `<server>/api/recommend` with `query` (e.g. ["k": "3"]).
    public func request(to server: URL, query: [String: String] = [:]) -> URLRequest {
        var components = URLComponents(url: server.appendingPathComponent("api/recommend"), resolvingAgainstBaseURL: false)!
        if !query.isEmpty { components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) } }
        var request = URLRequest(url: components.url!)
        request.httpMethod = "POST"
        let (body, contentType) = encoded()
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        return request
    }
}

/// One HTTP exchange's outcome: status and body (the JSON answer or `{"error": ...}`).
public struct HTTPReply: Sendable {
    public var status: Int
    public var body: Data
    public var contentType: String?

    /// The `error` message of an error reply, or nil.
    public var errorMessage: String? {
        (try? JSONSerialization.jsonObject(with: body) as? [String: Any])?["error"] as? String
    }
}

extension URLSession {
    /// A session for many concurrent requests to one server (the default allows few connections per host).
    public static func loadTesting(connections: Int) -> URLSession {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = max(connections, 1)
        configuration.timeoutIntervalForRequest = 120
        return URLSession(configuration: configuration)
    }

    /// Sends `request` and returns the reply whatever its status; throws only when no reply came.
    public func reply(to request: URLRequest) async throws -> HTTPReply {
        let (data, response) = try await data(for: request)
        let http = response as? HTTPURLResponse
        return HTTPReply(status: http?.statusCode ?? 0, body: data, contentType: http?.value(forHTTPHeaderField: "Content-Type"))
    }
}
