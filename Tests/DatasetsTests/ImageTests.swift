import Foundation
import TestSupport
import XCTest
@testable import Datasets

final class ImageTests: XCTestCase {
    func testPNGRoundTripIsLosslessAndKeepsRGBOrder() throws {
        let image = try gradientImage(width: 7, height: 5, step: 30)
        let decoded = try Image(encoded: image.encoded(as: .png))
        XCTAssertEqual(decoded, image)
        XCTAssertEqual(decoded.pixel(x: 3, y: 2).0, 90) // red carries x, so RGB was not swapped to BGR
        XCTAssertEqual(decoded.pixel(x: 3, y: 2).1, 60)
    }

    func testWebPRoundTrip() throws {
        let image = try gradientImage(width: 9, height: 4, step: 25)
        let lossless = try Image(encoded: image.encoded(as: .webp, quality: 101))
        XCTAssertEqual(lossless, image)
    }

    /// Transparent pixels come out over white, partial alpha blended, for RGBA, grey+alpha and
    /// palette-with-transparency PNGs (written by Pillow) and a lossless RGBA WebP.
    func testAlphaIsLaidOverWhite() throws {
        let folder = try temporaryFolder(self)
        // Red opaque, black fully transparent, blue half transparent, grey 200 at alpha 64.
        let rgba: [[Int]] = [[255, 0, 0, 255], [0, 0, 0, 0], [0, 0, 255, 128], [200, 200, 200, 64]]
        try ReferencePython.run(code: """
            import sys
            from PIL import Image
            folder, = sys.argv[1:]
            rgba = [(255, 0, 0, 255), (0, 0, 0, 0), (0, 0, 255, 128), (200, 200, 200, 64)]
            im = Image.new("RGBA", (4, 1)); im.putdata(rgba); im.save(folder + "/rgba.png"); im.save(folder + "/rgba.webp", lossless=True)
            la = Image.new("LA", (4, 1)); la.putdata([(76, 255), (0, 0), (29, 128), (200, 64)]); la.save(folder + "/la.png")
            p = Image.new("P", (2, 1)); p.putpalette([255, 0, 0, 0, 0, 0]); p.putdata([0, 1]); p.save(folder + "/p.png", transparency=1)
            """, [folder.path])
        func over(_ value: Int, _ alpha: Int) -> UInt8 { UInt8((value * alpha + 255 * (255 - alpha) + 127) / 255) }
        let expected = rgba.flatMap { p in (0..<3).map { over(p[$0], p[3]) } }
        XCTAssertEqual(try Image(contentsOf: folder.appendingPathComponent("rgba.png")).pixels, expected)
        XCTAssertEqual(try Image(contentsOf: folder.appendingPathComponent("rgba.webp")).pixels, expected)
        let grey = zip([76, 0, 29, 200], [255, 0, 128, 64]).flatMap { v, a in Array(repeating: over(v, a), count: 3) }
        XCTAssertEqual(try Image(contentsOf: folder.appendingPathComponent("la.png")).pixels, grey)
        XCTAssertEqual(try Image(contentsOf: folder.appendingPathComponent("p.png")).pixels, [255, 0, 0, 255, 255, 255])
        // A product cut out on a transparent background trims to its opaque part.
        XCTAssertEqual(try Image(contentsOf: folder.appendingPathComponent("p.png")).foregroundRect(),
                       PixelRect(x: 0, y: 0, width: 1, height: 1))
    }

    func testDecodesRealJPEGFromFileAndMemoryIdentically() throws {
        let folder = try SharedData.dataset("clothing-dataset-small")
        let url = folder.appendingPathComponent("test/dress/06a00c0f-5f9a-410d-a7da-3881a9df3a71.jpg")
        let fromFile = try Image(contentsOf: url)
        let fromMemory = try Image(encoded: [UInt8](Data(contentsOf: url)))
        XCTAssertEqual(fromFile.width, 400) // README: every image is 400 px wide
        XCTAssertEqual(fromFile, fromMemory)
    }

    func testEXIFOrientationIsApplied() throws {
        // 16×8: left half red, right half blue; EXIF orientation 6 means "rotate 90° clockwise to view".
        var pixels = [UInt8]()
        for _ in 0..<8 { for x in 0..<16 { pixels += x < 8 ? [255, 0, 0] : [0, 0, 255] } }
        let jpeg = try Image(width: 16, height: 8, pixels: pixels).encoded(as: .jpeg, quality: 100)
        let exif: [UInt8] = [0xFF, 0xE1, 0x00, 0x22] + Array("Exif".utf8) + [0, 0, 0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8,
                             0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0]
        let rotated = try Image(encoded: Array(jpeg[0..<2]) + exif + Array(jpeg[2...]))
        XCTAssertEqual(rotated.width, 8)
        XCTAssertEqual(rotated.height, 16)
        XCTAssertGreaterThan(rotated.pixel(x: 4, y: 3).0, 200) // the left (red) half is now on top
        XCTAssertGreaterThan(rotated.pixel(x: 4, y: 12).2, 200)
    }

    func testTruncatedJPEGIsAnErrorNamingTheFile() throws {
        let folder = try temporaryFolder(self)
        let url = folder.appendingPathComponent("cut.jpg")
        let full = try gradientImage(width: 64, height: 64, step: 4).encoded(as: .jpeg)
        try Data(full.prefix(full.count / 2)).write(to: url)
        XCTAssertThrowsError(try Image(contentsOf: url)) { error in
            XCTAssertTrue("\(error)".contains(url.path), "\(error)")
            XCTAssertTrue("\(error)".contains("truncated"), "\(error)")
        }
        try Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]).write(to: url)
        XCTAssertThrowsError(try Image(contentsOf: url)) { XCTAssertTrue("\($0)".contains(url.path)) }
        XCTAssertThrowsError(try Image(contentsOf: folder.appendingPathComponent("missing.jpg"))) {
            XCTAssertTrue("\($0)".contains("missing.jpg"))
        }
    }

    /// A real photo from the demo set, as its bytes.
    private func demoPhoto() throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("datasets/demo/clothing/train/hat/153a69c6-4c18-49c0-a3d5-8af2ce547fa7.jpg")
        return [UInt8](try Data(contentsOf: url))
    }

    /// libjpeg decodes both with only a warning on stderr and grey or garbled pixels; here they
    /// are errors naming the file, so `data check`, loaders and `embed` all see them.
    func testJPEGCutInHalfWithAnEndMarkerOrZeroedMidScanIsAnErrorNamingTheFile() throws {
        let photo = try demoPhoto()
        let folder = try temporaryFolder(self)
        XCTAssertNoThrow(try Image(encoded: photo, name: "whole.jpg"))
        let halfWithEnd = Array(photo.prefix(photo.count / 2)) + [0xFF, 0xD9]
        var zeroed = photo
        // A short zeroed run can still decode as a consistent bitstream (libjpeg, and so OpenCV,
        // cannot tell); a longer one throws the decoder off and is caught.
        for i in photo.count / 2 ..< photo.count / 2 + 256 { zeroed[i] = 0 }
        for (name, bytes) in [("half.jpg", halfWithEnd), ("zeroed.jpg", zeroed)] {
            let url = folder.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            XCTAssertThrowsError(try Image(contentsOf: url), name) { error in
                XCTAssertTrue(error is VisionError, "\(error)")
                XCTAssertTrue("\(error)".hasPrefix(url.path + ": corrupt JPEG ("), "\(error)")
            }
            XCTAssertThrowsError(try Image(encoded: bytes, name: name)) { XCTAssertTrue("\($0)".hasPrefix(name + ": "), "\($0)") }
        }
    }

    func testAreaResizeAveragesBlocks() throws {
        // 4×2 -> 2×1 with area interpolation: each output pixel is the mean of a 2×2 block.
        let reds: [UInt8] = [10, 20, 100, 200, 30, 40, 0, 100]
        let image = try Image(width: 4, height: 2, pixels: reds.flatMap { [$0, 0, 0] })
        let small = try image.resized(width: 2, height: 1)
        XCTAssertEqual(small.pixels, [25, 0, 0, 100, 0, 0])
    }

    func testCropAndFlipMovePixelsWhereExpected() throws {
        let image = try gradientImage(width: 10, height: 6, step: 10)
        let crop = try image.cropped(to: PixelRect(x: 3, y: 2, width: 4, height: 3))
        XCTAssertEqual(crop.width, 4)
        XCTAssertTrue(crop.pixel(x: 0, y: 0) == (30, 20, 0))
        XCTAssertTrue(crop.pixel(x: 3, y: 2) == (60, 40, 0))
        let mirrored = try image.flipped(.horizontal)
        XCTAssertTrue(mirrored.pixel(x: 0, y: 1) == (90, 10, 0))
        let upsideDown = try image.flipped(.vertical)
        XCTAssertTrue(upsideDown.pixel(x: 2, y: 0) == (20, 50, 0))
        XCTAssertThrowsError(try image.cropped(to: PixelRect(x: 8, y: 0, width: 4, height: 2)))
    }

    func testBatchTensorIsNCHWNormalisedWithImageNetStatistics() throws {
        let a = try Image(width: 2, height: 1, pixels: [255, 0, 51, 0, 255, 102])
        let b = try Image(width: 2, height: 1, fill: (0, 0, 0))
        let tensor = try imageBatchTensor([a, b])
        XCTAssertEqual(tensor.shape, [2, 3, 1, 2])
        let values = try tensor.floats()
        // Hand-computed: (v/255 - mean) / std.
        let expected: [Float] = [(1 - 0.485) / 0.229, (0 - 0.485) / 0.229,
                                 (0 - 0.456) / 0.224, (1 - 0.456) / 0.224,
                                 (0.2 - 0.406) / 0.225, (0.4 - 0.406) / 0.225,
                                 -0.485 / 0.229, -0.485 / 0.229, -0.456 / 0.224, -0.456 / 0.224,
                                 -0.406 / 0.225, -0.406 / 0.225]
        for (value, want) in zip(values, expected) { XCTAssertEqual(value, want, accuracy: 1e-5) }
        XCTAssertThrowsError(try imageBatchTensor([a, try Image(width: 1, height: 2, fill: (0, 0, 0))]))
    }
}
