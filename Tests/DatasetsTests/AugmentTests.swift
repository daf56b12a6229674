import Foundation
import LookKitCore
import XCTest
@testable import Datasets

/// The bounding box of pixels whose red channel is over 127, in continuous pixel coordinates.
func brightRegion(_ image: Image) -> Box? {
    var (x1, y1, x2, y2) = (Int.max, Int.max, -1, -1)
    for y in 0..<image.height { for x in 0..<image.width where image.pixel(x: x, y: y).0 > 127 {
        (x1, y1, x2, y2) = (min(x1, x), min(y1, y), max(x2, x), max(y2, y))
    } }
    return x2 < 0 ? nil : Box(x1: Double(x1), y1: Double(y1), x2: Double(x2 + 1), y2: Double(y2 + 1))
}

/// A black image with a white rectangle covering exactly `box` (integer corners).
func imageWithRectangle(width: Int, height: Int, box: Box) throws -> Image {
    var image = try Image(width: width, height: height, fill: (0, 0, 0))
    let white = try Image(width: Int(box.width), height: Int(box.height), fill: (255, 255, 255))
    try image.paste(white, x: Int(box.x1), y: Int(box.y1))
    return image
}

final class AugmentTests: XCTestCase {
    func testLetterboxRoundTripsBoxesWithinHalfAPixel() throws {
        for (w, h) in [(277, 416), (400, 300), (123, 77)] {
            let box = Box(x1: Double(w) * 0.2, y1: Double(h) * 0.3, x2: Double(w) * 0.7, y2: Double(h) * 0.9)
            let pixelBox = Box(x1: box.x1.rounded(), y1: box.y1.rounded(), x2: box.x2.rounded(), y2: box.y2.rounded())
            let image = try imageWithRectangle(width: w, height: h, box: pixelBox)
            let (boxed, letterbox) = try image.letterboxed(width: 416, height: 416)
            XCTAssertEqual(boxed.width, 416)
            let moved = letterbox.apply(pixelBox)
            // The transformed box sits where the rectangle's pixels went…
            XCTAssertLessThanOrEqual(try XCTUnwrap(brightRegion(boxed)).maxCornerDistance(to: moved), 1.0, "\(w)x\(h)")
            // …and maps back onto the original within half a pixel.
            XCTAssertLessThanOrEqual(letterbox.invert(moved).maxCornerDistance(to: pixelBox), 0.5)
            // Padding is centred: 277 wide -> 277 px content, 69 px each side.
            if w == 277 {
                XCTAssertEqual(letterbox.offsetX, 69)
                XCTAssertEqual(letterbox.offsetY, 0)
                XCTAssertTrue(boxed.pixel(x: 68, y: 0) == (114, 114, 114) && boxed.pixel(x: 69, y: 0) == (0, 0, 0))
            }
        }
    }

    func testAffineRotationMovesBoxesWithThePixels() throws {
        let box = Box(x1: 10, y1: 20, x2: 30, y2: 30)
        let image = try imageWithRectangle(width: 60, height: 40, box: box)
        // 90° counter-clockwise about the centre of a 60×40 image, into a 40×60 canvas.
        let turn = AffineTransform.translation(-30, -20).then(.rotation(degrees: 90, center: (0, 0))).then(.translation(20, 30))
        let (rotated, boxes) = try image.warped(by: turn, boxes: [box], width: 40, height: 60, fill: 0)
        let moved = try XCTUnwrap(boxes[0])
        XCTAssertEqual(moved.x1, 20, accuracy: 1e-9) // x' = y, y' = 60 - x under this turn
        XCTAssertEqual(moved.y1, 30, accuracy: 1e-9)
        XCTAssertLessThanOrEqual(try XCTUnwrap(brightRegion(rotated)).maxCornerDistance(to: moved), 1.0)
        XCTAssertLessThanOrEqual(turn.inverted.apply(moved).maxCornerDistance(to: box), 1e-9)
        let (_, gone) = try image.warped(by: .translation(100, 0), boxes: [box], width: 60, height: 40)
        XCTAssertNil(gone[0])
    }

    func testHSVGainOnKnownColours() throws {
        var image = try Image(width: 2, height: 1, pixels: [0, 255, 0, 200, 0, 0])
        try image.applyHSVGain(hue: 2, saturation: 1, value: 1) // green (hue 60) -> blue (hue 120); red stays
        XCTAssertEqual(image.pixels, [0, 0, 255, 200, 0, 0])
        try image.applyHSVGain(hue: 1, saturation: 1, value: 0.5)
        XCTAssertEqual(image.pixels, [0, 0, 128, 100, 0, 0])
        var generator = SeededGenerator(seed: 1)
        let a = try image.randomHSV(using: &generator)
        generator = SeededGenerator(seed: 1)
        XCTAssertEqual(try image.randomHSV(using: &generator), a)
    }

    func testPasteBlendsAndClipsAtTheEdges() throws {
        var canvas = try Image(width: 4, height: 3, fill: (0, 0, 0))
        let tile = try Image(width: 2, height: 2, fill: (200, 100, 50))
        try canvas.paste(tile, x: -1, y: 2, opacity: 0.5)
        XCTAssertTrue(canvas.pixel(x: 0, y: 2) == (100, 50, 25))
        XCTAssertTrue(canvas.pixel(x: 1, y: 2) == (0, 0, 0))
        XCTAssertTrue(canvas.pixel(x: 0, y: 1) == (0, 0, 0))
        try canvas.paste(tile, x: 3, y: 0)
        XCTAssertTrue(canvas.pixel(x: 3, y: 1) == (200, 100, 50))
    }

    func testDrawBoxAndText() throws {
        var image = try Image(width: 40, height: 30, fill: (0, 0, 0))
        try image.draw(Box(x1: 5, y1: 5, x2: 20, y2: 15), color: (0, 255, 0), thickness: 1)
        XCTAssertTrue(image.pixel(x: 12, y: 5) == (0, 255, 0))
        XCTAssertTrue(image.pixel(x: 12, y: 10) == (0, 0, 0))
        try image.draw(text: "A", x: 22, y: 25, scale: 0.6, color: (255, 255, 255))
        XCTAssertNotNil(brightRegion(image).map { $0.x2 > 22 })
    }

    func testRandomResizedCropIsSeededAndWithinBounds() throws {
        let image = try gradientImage(width: 250, height: 200)
        var first = SeededGenerator(seed: 7), second = SeededGenerator(seed: 7)
        for _ in 0..<20 {
            let (crop, rect) = try image.randomResizedCrop(width: 64, height: 48, using: &first)
            let (_, again) = try image.randomResizedCrop(width: 64, height: 48, using: &second)
            XCTAssertEqual(rect, again)
            XCTAssertEqual(crop.width, 64)
            XCTAssertTrue(rect.x >= 0 && rect.y >= 0 && rect.x + rect.width <= 250 && rect.y + rect.height <= 200)
            let share = Double(rect.width * rect.height) / 50000
            XCTAssertTrue(share >= 0.07 && share <= 1.01, "\(share)")
            // Red encodes x and green y: output pixel (32, 24) samples the source at the crop's matching point.
            let sourceX = Double(rect.x) + 32.5 * Double(rect.width) / 64 - 0.5
            let sourceY = Double(rect.y) + 24.5 * Double(rect.height) / 48 - 0.5
            XCTAssertEqual(Double(crop.pixel(x: 32, y: 24).0), sourceX, accuracy: 1)
            XCTAssertEqual(Double(crop.pixel(x: 32, y: 24).1), sourceY, accuracy: 1)
        }
    }

    func testMosaicBoxesFollowTheirImages() throws {
        // Four images, each a black frame with one white box; after the mosaic every kept box
        // must cover white pixels only where its image landed.
        let box = LabeledBox(classID: 3, box: Box(x1: 0.25, y1: 0.25, x2: 0.75, y2: 0.75))
        let tile = try imageWithRectangle(width: 80, height: 80, box: Box(x1: 20, y1: 20, x2: 60, y2: 60))
        var generator = SeededGenerator(seed: 3)
        let (image, boxes) = try mosaic(Array(repeating: (tile, [box]), count: 4), size: 160, using: &generator)
        XCTAssertFalse(boxes.isEmpty)
        for b in boxes {
            let pixels = b.box.inPixels(imageWidth: 160, imageHeight: 160)
            let inside = image.pixel(x: Int((pixels.x1 + pixels.x2) / 2), y: Int((pixels.y1 + pixels.y2) / 2))
            XCTAssertEqual(inside.0, 255)
            XCTAssertEqual(b.classID, 3)
        }
    }
}
