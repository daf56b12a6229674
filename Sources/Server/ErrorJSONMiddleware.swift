import Foundation
import Hummingbird
import LookKitCore
import NIOCore

/// Turns every error a route throws (ours, Hummingbird's 404, an oversized body, a recommender
/// failure) into `{"error": "..."}` with a fitting status, so clients parse one shape and a bad
/// request never surfaces as an empty 500.
struct ErrorJSONMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxUploadBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (status, message) = describe(error, request: request)
            if status.code >= 500 { context.logger.error("\(request.method) \(request.uri.path): \(message)") }
            return jsonResponse(ErrorBody(error: message), status: status)
        }
    }

    private func describe(_ error: any Error, request: Request) -> (HTTPResponse.Status, String) {
        switch error {
        case let error as ServerError:
            return (error.status, error.message)
        case is NIOTooManyBytesError:
            return (.contentTooLarge, "upload is larger than the limit of \(byteCount(maxUploadBytes))")
        case let error as HTTPError where error.status == .notFound:
            return (.notFound, "no route for \(request.method) \(request.uri.path)")
        case let error as HTTPError:
            return (error.status, error.body ?? error.status.reasonPhrase)
        // A recommender's LookKitError says what was wrong with this photo or request.
        case let error as any LookKitError where error.category != .runtime:
            return (.unprocessableContent, error.description)
        default:
            return (.internalServerError, "internal error: \(error)")
        }
    }
}

/// A JSON response; encoding our own Codable values cannot fail, but if it did the client still gets JSON.
func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
    let body = (try? JSONEncoder().encode(value)) ?? Data(#"{"error":"response could not be encoded"}"#.utf8)
    return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(bytes: body)))
}

/// "10 MiB", "512 KiB" or "300 bytes", for limits in messages.
func byteCount(_ bytes: Int) -> String {
    if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
    if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
    return "\(bytes) bytes"
}
