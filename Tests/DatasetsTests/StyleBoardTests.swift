import Foundation
import LookKitCore
import TestSupport
import XCTest
@testable import Datasets

final class StyleBoardTests: XCTestCase {
    /// Solid-colour "products" on white: a 30×50 block inside a 64×64 photo.
    func makeProducts(in folder: URL) throws -> [(image: URL, classID: Int)] {
        let colours: [(UInt8, UInt8, UInt8)] = [(200, 20, 20), (20, 160, 20), (20, 20, 200)]
        return try colours.enumerated().map { i, colour in
            var photo = try Image(width: 64, height: 64, fill: (255, 255, 255))
            try photo.paste(try Image(width: 30, height: 50, fill: colour), x: 10 + i, y: 7)
            let url = folder.appendingPathComponent("product\(i).png")
            try photo.write(to: url)
            return (url, i)
        }
    }

    func testBoxesAreExactlyThePastedProducts() throws {
        let folder = try temporaryFolder(self)
        var composer = try StyleBoardComposer(products: try makeProducts(in: folder), names: ["red", "green", "blue"])
        (composer.width, composer.height, composer.maxOverlap) = (200, 160, 0)
        var checked = 0
        for board in 0..<5 {
            let (image, boxes) = try composer.compose(board: board, seed: 1)
            XCTAssertTrue((1...composer.itemsPerBoard.upperBound).contains(boxes.count))
            for label in boxes {
                let box = label.box.inPixels(imageWidth: 200, imageHeight: 160)
                let rect = PixelRect(x: Int(box.x1.rounded()), y: Int(box.y1.rounded()), width: Int(box.width.rounded()), height: Int(box.height.rounded()))
                let colour = [(200, 20, 20), (20, 160, 20), (20, 20, 200)][label.classID]
                // Every pixel inside is the product's colour (area-resized solid block: exact)…
                for y in rect.y..<rect.y + rect.height { for x in rect.x..<rect.x + rect.width {
                    let p = image.pixel(x: x, y: y)
                    XCTAssertTrue((Int(p.0), Int(p.1), Int(p.2)) == colour, "board \(board) (\(x),\(y))")
                } }
                // …and the ring just outside is background wherever it is on the canvas and no other box touches it.
                for x in rect.x..<rect.x + rect.width where rect.y > 0 {
                    let outside = Box(x1: Double(x), y1: Double(rect.y - 1), x2: Double(x + 1), y2: Double(rect.y))
                    let touched = boxes.contains { other in
                        let o = other.box.inPixels(imageWidth: 200, imageHeight: 160)
                        return o.x1 < outside.x2 && outside.x1 < o.x2 && o.y1 < outside.y2 && outside.y1 < o.y2
                    }
                    if !touched { XCTAssertTrue(image.pixel(x: x, y: rect.y - 1) == (255, 255, 255)) }
                }
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 8)
        let (again, _) = try composer.compose(board: 2, seed: 1)
        XCTAssertEqual(again, try composer.compose(board: 2, seed: 1).0)
    }

    func testWritesAYOLODatasetFromRealProducts() throws {
        let styles = try ProductStylesReader.read(try SharedData.dataset("fashion-product-images-sample").appendingPathComponent("styles.csv")).records
        let products = CoarseFashionClass.products(from: styles)
        XCTAssertEqual(products.filter { $0.classID == 3 }.count, 196) // Bags
        var composer = try StyleBoardComposer(products: products, names: CoarseFashionClass.names)
        (composer.width, composer.height) = (320, 320)
        let folder = try temporaryFolder(self)
        let yaml = try composer.writeDataset(to: folder, count: 5, seed: 3, valEvery: 5, format: .png)
        let dataset = try YOLOReader.read(yaml, onBadRow: .fail)
        XCTAssertEqual(dataset.names, CoarseFashionClass.names)
        XCTAssertEqual(dataset.samples("train").count, 4)
        XCTAssertEqual(dataset.samples("val").count, 1)
        for sample in dataset.allSamples {
            let index = Int(sample.id.dropFirst("board_".count))!
            let (_, boxes) = try composer.compose(board: index, seed: 3)
            XCTAssertEqual(sample.boxes.count, boxes.count)
            for (read, made) in zip(sample.boxes, boxes) {
                XCTAssertEqual(read.classID, made.classID)
                // six decimals in the label file
                XCTAssertLessThanOrEqual(read.box.maxCornerDistance(to: made.box), 1e-6)
            }
        }
    }
}
