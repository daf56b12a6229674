import Datasets
import Foundation
import Pipeline
import Server
import XCTest

/// Many clients at once: each gets the answer for its own photo, and a bounded load has no errors.
final class ConcurrencyTests: ServerTestCase {
    func testConcurrentClientsEachGetTheirOwnAnswer() async throws {
        let recommender = try recommender()
        let uploads = try (0..<24).map { try TestPhotos.jpeg(try TestPhotos.distinct($0), name: "photo-\($0).jpg") }
        let expected = try uploads.map { try recommender.recommend(Image(encoded: $0.bytes), name: $0.filename, options: RecommendOptions()) }
        XCTAssertEqual(Set(expected.map { $0.articles.map(\.similar.first?.id) }).count > 4, true, "the photos should get different answers")
        try await withServer(recommender) { server in
            // 8 at a time: the ninth request starts when one of the first eight finishes.
            let answers = try await withThrowingTaskGroup(of: (Int, Recommendation).self) { group in
                var answers = [Int: Recommendation](), next = 0
                while next < 8 { let i = next; group.addTask { (i, try self.decodeRecommendation(try await self.post(server, uploads[i]))) }; next += 1 }
                while let (i, answer) = try await group.next() {
                    answers[i] = answer
                    if next < uploads.count { let j = next; group.addTask { (j, try self.decodeRecommendation(try await self.post(server, uploads[j]))) }; next += 1 }
                }
                return answers
            }
            for (i, answer) in answers { XCTAssertEqual(answer, expected[i], "photo \(i) got another photo's answer") }
            XCTAssertEqual(answers.count, uploads.count)
        }
    }

    /// 40 requests, 8 at a time (LOOKKIT_LOAD_REQUESTS=200 for the figures the README quotes).
    func testBoundedLoadHasNoErrors() async throws {
        let requests = Int(ProcessInfo.processInfo.environment["LOOKKIT_LOAD_REQUESTS"] ?? "") ?? 40
        let uploads = try (0..<8).map { try TestPhotos.jpeg(try TestPhotos.distinct($0), name: "load-\($0).jpg") }
        try await withServer(try recommender()) { server in
            let report = try await LoadTest(server: server, photos: uploads, requests: requests, concurrency: 8).run()
            print("load test (ColourRecommender double): \(report.summary)")
            XCTAssertEqual(report.requests, requests)
            XCTAssertEqual(report.errors, 0, report.sampleErrors.joined(separator: "\n"))
            XCTAssertLessThanOrEqual(report.p50Milliseconds, report.p99Milliseconds)
        }
    }
}
