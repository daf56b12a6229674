import Datasets
import Foundation
import XCTest

final class CatalogCSVReaderTests: XCTestCase {
    func testGoodRowsReadAndEveryBadRowIsNamedWithItsLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-csv-\(UUID().uuidString)")
        let images = folder.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for id in ["10", "11", "12"] { try Image(width: 4, height: 4, fill: (200, 10, 10)).write(to: images.appendingPathComponent("\(id).jpg")) }
        let csv = folder.appendingPathComponent("styles.csv")
        try """
            id,gender,masterCategory,articleType,productDisplayName
            10,Men,Apparel,Tshirts,"Blue, plain tee"
            99,Women,Apparel,Tops,no photo
            11,,Apparel,Jeans,no gender
            12,Unisex,Footwear,Casual Shoes,shoes
            12,Men,Footwear,Heels,same id again

            """.write(to: csv, atomically: true, encoding: .utf8)
        let loaded = try CatalogCSVReader.read(csv, images: images)
        XCTAssertEqual(loaded.records, [
            CatalogRecord(id: "10", image: images.appendingPathComponent("10.jpg"), gender: "Men", category: "Tshirts"),
            CatalogRecord(id: "12", image: images.appendingPathComponent("12.jpg"), gender: "Unisex", category: "Casual Shoes"),
        ])
        XCTAssertEqual(loaded.issues.map(\.line), [3, 4, 6])
        XCTAssertEqual(loaded.issues.map(\.file), Array(repeating: csv.path, count: 3))
        XCTAssertTrue(loaded.issues[0].reason.contains("no image named 99"), loaded.issues[0].reason)
        XCTAssertTrue(loaded.issues[1].reason.contains("empty gender"), loaded.issues[1].reason)
        XCTAssertTrue(loaded.issues[2].reason.contains("given twice"), loaded.issues[2].reason)
        XCTAssertThrowsError(try CatalogCSVReader.read(csv, images: images, categoryColumn: "category")) { error in
            XCTAssertTrue("\(error)".contains("missing column 'category'"), "\(error)")
        }
    }
}
