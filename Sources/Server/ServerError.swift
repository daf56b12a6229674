import Hummingbird
import LookKitCore

/// A request the server refuses or could not answer: the HTTP status and a message for the client.
/// Every error response has one JSON shape, `{"error": "..."}` (see `ErrorJSONMiddleware`).
public struct ServerError: LookKitError, Sendable, Equatable {
    public let status: HTTPResponse.Status
    public let message: String

    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }

    /// Client mistakes are bad input; the server's own failures are runtime errors.
    public var category: ErrorCategory { status.code < 500 ? .badInput : .runtime }

    static func badRequest(_ message: String) -> ServerError { ServerError(.badRequest, message) }
}

/// The body of every error response.
struct ErrorBody: Codable, Equatable {
    var error: String
}
