import Datasets
import Foundation
import Server
import TestSupport
import XCTest

/// The upload page in headless Chromium: pick a photo, press Recommend, and the boxes, verdict
/// and thumbnail rows render. Skips where Debian's `chromium` is not installed (`apt-get install chromium`).
final class UploadPageBrowserTests: ServerTestCase {
    static let screenshot = ReferencePython.packageRoot.appendingPathComponent("Tests/ServerTests/Screenshots/upload-result.png")

    func testUploadFormRendersTheRecommendation() async throws {
        guard let browser = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("chromium not installed (apt-get install -y chromium): the upload page was not driven")
        }
        // A fixed file name: the page shows it, and the committed screenshot should not change per run.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lookkit-look-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let photo = folder.appendingPathComponent("look.jpg")
        try Self.lookPhoto().write(to: photo)
        try FileManager.default.createDirectory(at: Self.screenshot.deletingLastPathComponent(), withIntermediateDirectories: true)

        try await withServer(try recommender()) { server in
            let script = "Tests/ServerTests/drive_upload_page.py"
            // Off the test's thread: the server answering the browser runs in this process.
            let output = try await Task.detached {
                try ReferencePython.run(script: script, [browser, server.absoluteString + "/", photo.path, Self.screenshot.path])
            }.value
            let summary = try JSONDecoder().decode(PageSummary.self, from: output)
            XCTAssertEqual(summary.state, "done", summary.error)
            XCTAssertTrue(summary.photoLoaded)
            XCTAssertEqual(summary.boxes.count, 2)
            XCTAssertTrue(summary.boxes[0].hasPrefix("top"))
            XCTAssertEqual(summary.rows.count, 4)  // top, bottom, shoes, hat
            XCTAssertEqual(summary.thumbnails, 20)
            XCTAssertEqual(summary.thumbnailsLoaded, 20, "product thumbnails did not load")
            XCTAssertTrue(summary.facts.contains("pose accepted"), summary.facts)
            XCTAssertTrue(summary.facts.contains("gender:"), summary.facts)
        }
        let png = try Data(contentsOf: Self.screenshot)
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        XCTAssertGreaterThan(png.count, 20_000, "screenshot looks blank")
        print("screenshot: \(Self.screenshot.path)")
    }

    /// A "full shot" from the demo catalog's training photos: a t-shirt above trousers, enlarged.
    static func lookPhoto() throws -> Image {
        let train = ReferencePython.packageRoot.appendingPathComponent("datasets/demo/clothing/train")
        func first(_ category: String) throws -> Image {
            let folder = train.appendingPathComponent(category)
            let file = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().first)
            return try Image(contentsOf: folder.appendingPathComponent(file)).resized(width: 240, height: 240)
        }
        let top = try first("t-shirt"), bottom = try first("pants")
        return try Image(width: 240, height: 480, pixels: top.pixels + bottom.pixels)
    }

    struct PageSummary: Decodable {
        var state: String
        var error: String
        var photoLoaded: Bool
        var boxes: [String]
        var rows: [String]
        var thumbnails: Int
        var thumbnailsLoaded: Int
        var facts: String

        enum CodingKeys: String, CodingKey {
            case state, error, boxes, rows, thumbnails, facts
            case photoLoaded = "photo_loaded"
            case thumbnailsLoaded = "thumbnails_loaded"
        }
    }
}
