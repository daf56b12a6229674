import Foundation
import Hummingbird
import NIOCore
import NIOPosix
import Pipeline

/// The server's routes over one shared recommender. Decoding and recommending are CPU-bound and
/// synchronous, so they run on `workers` (a thread pool) and never block an event loop.
struct Routes: Sendable {
    let recommender: any Recommending
    let configuration: ServerConfiguration
    let workers: NIOThreadPool

    func register(on router: Router<BasicRequestContext>) {
        let page = uploadPage(k: configuration.k, poseGate: configuration.poseGate)
        router.get("/") { _, _ in htmlResponse(page) }
        router.get("/healthz") { _, _ in jsonResponse(["status": "ok"]) }
        router.post("/api/recommend") { request, _ in try await recommend(request) }
        // Catalog ids may hold slashes ("train/dress/22cc…"): the id is every segment before the final "image".
        router.get("/api/products/**") { request, context in
            let segments = context.parameters.getCatchAll()
            guard segments.count > 1, segments.last == "image" else {
                throw ServerError(.notFound, "no route for GET \(request.uri.path) (product images are /api/products/ID/image)")
            }
            let id = segments.dropLast().joined(separator: "/")
            return try await productImage(id: id.removingPercentEncoding ?? id)
        }
    }

    func recommend(_ request: Request) async throws -> Response {
        let query = Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }) { first, _ in first }
        let options = try recommendOptions(query)
        let contentType = request.headers[.contentType]
        _ = try PhotoUpload.boundary(of: contentType)  // 415 before reading a body we cannot use
        // Refuse an announced oversized upload before reading it; `collect` enforces the limit either way.
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > configuration.maxUploadBytes {
            throw ServerError(.contentTooLarge, "upload of \(byteCount(length)) is larger than the limit of \(byteCount(configuration.maxUploadBytes))")
        }
        let body = try await request.body.collect(upTo: configuration.maxUploadBytes)
        let recommender = self.recommender
        let recommendation = try await workers.runIfActive {
            let upload = try PhotoUpload(body: body, contentType: contentType)
            return try recommender.recommend(upload.decoded(), name: upload.filename, options: options)
        }
        return jsonResponse(recommendation)
    }

    /// `?k=` and `?pose_gate=`, else the server's defaults; a value out of range is 400, not clamped.
    func recommendOptions(_ query: [String: String]) throws -> RecommendOptions {
        var options = RecommendOptions(k: configuration.k, poseGate: configuration.poseGate)
        if let text = query["k"] {
            guard let k = Int(text), (1...ServerConfiguration.maxK).contains(k) else {
                throw ServerError.badRequest("k must be an integer in 1…\(ServerConfiguration.maxK), got \"\(text)\"")
            }
            options.k = k
        }
        if let text = query["pose_gate"] {
            guard let mode = PoseGateMode(rawValue: text) else {
                throw ServerError.badRequest("pose_gate must be one of \(PoseGateMode.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(text)\"")
            }
            options.poseGate = mode
        }
        return options
    }

    func productImage(id: String) async throws -> Response {
        guard let url = recommender.productImageURL(id: id) else {
            throw ServerError(.notFound, "unknown product \"\(id)\"")
        }
        let bytes = try await workers.runIfActive { try? Data(contentsOf: url) }
        guard let bytes else { throw ServerError(.notFound, "the image of product \"\(id)\" is missing") }
        let type = MediaType.getMediaType(forExtension: url.pathExtension)?.description ?? "application/octet-stream"
        // Catalog images do not change while the server runs: let the browser keep them.
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "max-age=3600"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

func htmlResponse(_ html: String) -> Response {
    Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
}
