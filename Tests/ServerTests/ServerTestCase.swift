import Datasets
import Foundation
import Pipeline
import Server
import XCTest
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Starts a real server on a free loopback port per test and talks HTTP to it.
class ServerTestCase: XCTestCase {
    /// Small enough that a test can exceed it cheaply.
    static let uploadLimit = 256 << 10
    let session = URLSession.loadTesting(connections: 8)

    /// The demo catalog's recommender, built once (decoding 120 thumbnails) for every test.
    static let colourRecommender = Result { try ColourRecommender(catalog: ColourRecommender.demoCatalog) }

    func recommender() throws -> ColourRecommender { try Self.colourRecommender.get() }

    func withServer<T>(_ recommender: any Recommending, _ body: (URL) async throws -> T) async throws -> T {
        let configuration = ServerConfiguration(port: 0, maxUploadBytes: Self.uploadLimit, workers: 2)
        let server = try await LookKitServer(recommender: recommender, configuration: configuration).start()
        do {
            let result = try await body(server.baseURL)
            try await server.stop()
            return result
        } catch {
            try? await server.stop()
            throw error
        }
    }

    func get(_ server: URL, _ path: String) async throws -> HTTPReply {
        try await session.reply(to: URLRequest(url: URL(string: path, relativeTo: server)!))
    }

    func post(_ server: URL, _ upload: PhotoPost, query: [String: String] = [:]) async throws -> HTTPReply {
        try await session.reply(to: upload.request(to: server, query: query))
    }

    func decodeRecommendation(_ reply: HTTPReply, file: StaticString = #filePath, line: UInt = #line) throws -> Recommendation {
        XCTAssertEqual(reply.status, 200, String(decoding: reply.body, as: UTF8.self), file: file, line: line)
        return try JSONDecoder().decode(Recommendation.self, from: reply.body)
    }

    /// Asserts an error reply: the status, JSON `{"error": ...}` and words the message must contain.
    func assertError(_ reply: HTTPReply, _ status: Int, mentions words: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(reply.status, status, String(decoding: reply.body, as: UTF8.self), file: file, line: line)
        XCTAssertEqual(reply.contentType?.hasPrefix("application/json"), true, file: file, line: line)
        guard let message = reply.errorMessage else { return XCTFail("no error message in \(String(decoding: reply.body, as: UTF8.self))", file: file, line: line) }
        for word in words { XCTAssertTrue(message.contains(word), "\"\(message)\" does not mention \(word)", file: file, line: line) }
    }
}

/// Photos made in the test: two flat colours, one above the other, so each half has a known colour.
enum TestPhotos {
    static func twoTone(top: (UInt8, UInt8, UInt8), bottom: (UInt8, UInt8, UInt8), width: Int = 48, height: Int = 96) throws -> Image {
        var pixels = [UInt8]()
        pixels.reserveCapacity(width * height * 3)
        for y in 0..<height {
            let (r, g, b) = y < height / 2 ? top : bottom
            for _ in 0..<width { pixels += [r, g, b] }
        }
        return try Image(width: width, height: height, pixels: pixels)
    }

    /// The `index`-th of many distinct photos (colours spread over the cube).
    static func distinct(_ index: Int) throws -> Image {
        let level = { (n: Int) in UInt8((n * 97) % 256) }
        return try twoTone(top: (level(index * 3), level(index * 5 + 40), level(index * 7 + 80)),
                           bottom: (level(index * 11 + 20), level(index * 13 + 60), level(index * 2 + 100)),
                           width: 40 + index % 9, height: 80 + index % 13)
    }

    static func jpeg(_ image: Image, name: String) throws -> PhotoPost {
        PhotoPost(bytes: try image.encoded(as: .jpeg, quality: 90), filename: name)
    }
}
