import Datasets
import Foundation
import LookKitCore
import Pipeline
import Server
import TestSupport
import XCTest
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The API over loopback: good uploads, every class of bad upload, and the other routes.
final class ServerTests: ServerTestCase {
    func testHealthzAndUploadPage() async throws {
        try await withServer(try recommender()) { server in
            let health = try await get(server, "/healthz")
            XCTAssertEqual(health.status, 200)
            XCTAssertEqual(String(decoding: health.body, as: UTF8.self), #"{"status":"ok"}"#)
            let page = try await get(server, "/")
            XCTAssertEqual(page.status, 200)
            XCTAssertEqual(page.contentType, "text/html; charset=utf-8")
            let html = String(decoding: page.body, as: UTF8.self)
            for piece in [#"<form id="upload">"#, #"type="file""#, "/api/recommend", "complete_the_look"] {
                XCTAssertTrue(html.contains(piece), "page lacks \(piece)")
            }
            XCTAssertTrue(html.contains(#"value="5""#) && html.contains("<option selected>warn</option>"), "the form starts at the server's defaults")
            // No external assets: the page works offline.
            XCTAssertFalse(html.contains("http://") || html.contains("https://"))
        }
    }

    func testGoodUploadReturnsTheRecommendersAnswerForThatPhoto() async throws {
        let recommender = try recommender()
        let upload = try TestPhotos.jpeg(try TestPhotos.twoTone(top: (200, 30, 30), bottom: (20, 20, 160)), name: "red-over-blue.jpg")
        // What the same recommender says about the same bytes, decoded here.
        let expected = try recommender.recommend(Image(encoded: upload.bytes), name: "red-over-blue.jpg", options: RecommendOptions(k: 3, poseGate: .warn))
        try await withServer(recommender) { server in
            let answer = try decodeRecommendation(try await post(server, upload, query: ["k": "3"]))
            XCTAssertEqual(answer, expected)
            XCTAssertEqual(answer.articles.map(\.class), ["top", "bottom"])
            XCTAssertEqual(answer.articles.map(\.similar.count), [3, 3])
            XCTAssertEqual(answer.gender?.label, "women")  // the double's rule: a redder than blue top
            // The server's default k (5) when the request does not say.
            let defaults = try decodeRecommendation(try await post(server, upload))
            XCTAssertEqual(defaults.completeTheLook.map(\.items.count), [5, 5])
        }
    }

    func testPoseGateFromTheQuery() async throws {
        let landscape = try TestPhotos.jpeg(try TestPhotos.twoTone(top: (90, 90, 90), bottom: (10, 10, 10), width: 120, height: 60), name: "wide.jpg")
        try await withServer(try recommender()) { server in
            let enforced = try decodeRecommendation(try await post(server, landscape, query: ["pose_gate": "enforce"]))
            XCTAssertFalse(enforced.pose.accepted)
            XCTAssertNil(enforced.gender)
            XCTAssertTrue(enforced.articles.isEmpty)
            let warned = try decodeRecommendation(try await post(server, landscape, query: ["pose_gate": "warn"]))
            XCTAssertFalse(warned.pose.accepted)
            XCTAssertEqual(warned.articles.count, 2)
        }
    }

    func testBadQueryValuesAre400() async throws {
        let upload = try TestPhotos.jpeg(try TestPhotos.distinct(1), name: "a.jpg")
        try await withServer(try recommender()) { server in
            assertError(try await post(server, upload, query: ["k": "0"]), 400, mentions: ["k must be", "\"0\""])
            assertError(try await post(server, upload, query: ["k": "many"]), 400, mentions: ["k must be"])
            assertError(try await post(server, upload, query: ["pose_gate": "strict"]), 400, mentions: ["pose_gate", "enforce, warn, off"])
        }
    }

    /// Every class of bad upload gets its 4xx and a message, and the server still answers afterwards.
    func testBadUploadsGetJSONErrorsAndTheServerKeepsServing() async throws {
        let good = try TestPhotos.jpeg(try TestPhotos.distinct(2), name: "good.jpg")
        try await withServer(try recommender()) { server in
            let text = PhotoPost(bytes: Array("just some text, no pixels".utf8), filename: "notes.txt", contentType: "text/plain")
            assertError(try await post(server, text), 415, mentions: ["notes.txt", "not a JPEG, PNG or WebP"])

            let truncated = PhotoPost(bytes: Array(good.bytes.prefix(good.bytes.count / 2)), filename: "cut.jpg")
            assertError(try await post(server, truncated), 422, mentions: ["could not decode JPEG: cut.jpg:", "truncated"])

            let huge = PhotoPost(bytes: [0xFF, 0xD8, 0xFF] + [UInt8](repeating: 7, count: Self.uploadLimit), filename: "huge.jpg")
            assertError(try await post(server, huge), 413, mentions: ["larger than the limit of 256 KiB"])

            let misnamed = PhotoPost(bytes: good.bytes, filename: "good.jpg", field: "image")
            assertError(try await post(server, misnamed), 400, mentions: ["no \"photo\" field", "image"])

            let empty = PhotoPost(bytes: [], filename: "empty.jpg")
            assertError(try await post(server, empty), 400, mentions: ["empty"])

            var json = URLRequest(url: server.appendingPathComponent("api/recommend"))
            (json.httpMethod, json.httpBody) = ("POST", Data(#"{"photo": "x"}"#.utf8))
            json.setValue("application/json", forHTTPHeaderField: "Content-Type")
            assertError(try await session.reply(to: json), 415, mentions: ["multipart/form-data", "application/json"])

            var noBoundary = good.request(to: server)
            noBoundary.setValue("multipart/form-data", forHTTPHeaderField: "Content-Type")
            assertError(try await session.reply(to: noBoundary), 400, mentions: ["boundary"])

            var garbled = good.request(to: server)
            garbled.httpBody = Data("--not the boundary at all\r\n".utf8)
            assertError(try await session.reply(to: garbled), 400, mentions: ["photo"])

            let tiny = try TestPhotos.jpeg(try Image(width: 4, height: 4, fill: (1, 2, 3)), name: "tiny.jpg")
            assertError(try await post(server, tiny), 422, mentions: ["too small"])

            let health = try await get(server, "/healthz")
            XCTAssertEqual(health.status, 200)
            let answer = try decodeRecommendation(try await post(server, good))
            XCTAssertEqual(answer.photo, "good.jpg")
        }
    }

    /// Without Content-Length (chunked transfer), the limit holds while the body is read. Python's
    /// http.client sends it: FoundationNetworking's URLSession does not stream request bodies here.
    func testChunkedUploadOverTheLimitIs413() async throws {
        let code = """
            import http.client, json, sys
            host, port = sys.argv[1], int(sys.argv[2])
            boundary = "b0undary"
            body = (f"--{boundary}\\r\\nContent-Disposition: form-data; name=\\"photo\\"; filename=\\"big.jpg\\"\\r\\n\\r\\n".encode()
                    + b"\\xff\\xd8\\xff" + b"7" * int(sys.argv[3]) + f"\\r\\n--{boundary}--\\r\\n".encode())
            connection = http.client.HTTPConnection(host, port, timeout=30)
            chunks = (body[i:i + 65536] for i in range(0, len(body), 65536))
            connection.request("POST", "/api/recommend", body=chunks, encode_chunked=True,
                               headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
            reply = connection.getresponse()
            print(json.dumps({"status": reply.status, "body": reply.read().decode()}))
            """
        try await withServer(try recommender()) { server in
            let arguments = [server.host ?? "127.0.0.1", "\(server.port ?? 0)", "\(Self.uploadLimit)"]
            let output = try await Task.detached { try ReferencePython.run(code: code, arguments) }.value
            let reply = try JSONDecoder().decode(ChunkedReply.self, from: Data(output.utf8))
            XCTAssertEqual(reply.status, 413, reply.body)
            XCTAssertTrue(reply.body.contains("larger than the limit of 256 KiB"), reply.body)
            let health = try await get(server, "/healthz")
            XCTAssertEqual(health.status, 200)
        }
    }

    struct ChunkedReply: Decodable {
        var status: Int
        var body: String
    }

    func testRecommenderFailuresBecomeJSONErrors() async throws {
        let upload = try TestPhotos.jpeg(try TestPhotos.distinct(3), name: "a.jpg")
        try await withServer(FailingRecommender(error: ConfigError("the catalog has no shoes"))) { server in
            assertError(try await post(server, upload), 422, mentions: ["the catalog has no shoes"])
        }
        struct Crash: Error {}
        try await withServer(FailingRecommender(error: Crash())) { server in
            assertError(try await post(server, upload), 500, mentions: ["internal error", "Crash"])
            let health = try await get(server, "/healthz")
            XCTAssertEqual(health.status, 200)
        }
    }

    func testProductImagesAndUnknownRoutes() async throws {
        let recommender = try recommender()
        let product = try XCTUnwrap(recommender.products.first)
        try await withServer(recommender) { server in
            let image = try await get(server, "/api/products/\(product.id)/image")
            XCTAssertEqual(image.status, 200)
            XCTAssertEqual(image.contentType, "image/jpeg")
            XCTAssertEqual(image.body, try Data(contentsOf: product.url))
            // As the page asks for it: the id percent-encoded into one segment.
            let encoded = try XCTUnwrap(product.id.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            let sameImage = try await get(server, "/api/products/\(encoded)/image")
            XCTAssertEqual(sameImage.body, image.body)
            assertError(try await get(server, "/api/products/no-such-product/image"), 404, mentions: ["unknown product \"no-such-product\""])
            assertError(try await get(server, "/api/products/\(product.id)/thumbnail"), 404, mentions: ["/api/products/ID/image"])
            assertError(try await get(server, "/api/nothing-here"), 404, mentions: ["no route", "/api/nothing-here"])
        }
    }

    func testAPortInUseIsAnErrorNotAHang() async throws {
        let first = try await LookKitServer(recommender: try recommender(), configuration: ServerConfiguration(port: 0)).start()
        do {
            let second = try await LookKitServer(recommender: try recommender(), configuration: ServerConfiguration(port: first.port)).start()
            try await second.stop()
            XCTFail("a second server bound port \(first.port)")
        } catch {
            XCTAssertFalse("\(error)".isEmpty)
        }
        try await first.stop()
        XCTAssertThrowsError(try LookKitServer(recommender: try recommender(), configuration: ServerConfiguration(k: 0)))
    }
}
