import Foundation
import LookKitCore
import TestSupport
import XCTest
@testable import Datasets

final class SceneOutfitReaderTests: XCTestCase {
    func testSTLCategoriesMatchREADME() throws {
        let loaded = try STLReader.readCategories(try SharedData.dataset("stl-shop-the-look").appendingPathComponent("fashion-cat.json"))
        XCTAssertEqual(loaded.issues, [])
        XCTAssertEqual(loaded.records.count, 38111)
        let counts = Dictionary(grouping: loaded.records, by: \.category).mapValues(\.count)
        XCTAssertEqual(counts["Apparel & Accessories|Shoes"], 11780)
        XCTAssertEqual(counts["Apparel & Accessories|Clothing|Pants"], 6553)
    }

    func testSTLPairsFixtureInDocumentedFormat() throws {
        let url = try temporaryFolder(self).appendingPathComponent("fashion.json")
        let (s1, s2, p1, p2, p3) = (String(repeating: "a", count: 32), String(repeating: "b", count: 32),
                                    String(repeating: "1", count: 32), String(repeating: "2", count: 32), String(repeating: "3", count: 32))
        try write("""
            {"product": "\(p1)", "scene": "\(s1)", "bbox": [0.1, 0.2, 0.5, 0.9]}
            {"product": "\(p2)", "scene": "\(s1)", "bbox": [0.5, 0.1, 0.9, 0.4]}
            {"product": "\(p3)", "scene": "\(s2)", "bbox": [0.5, 0.1, 1.4, 0.4]}
            {"product": "xyz", "scene": "\(s2)", "bbox": [0.1, 0.1, 0.2, 0.2]}
            {"product": "\(p3)", "scene": "\(s2)", "bbox": [0.1, 0.1]}
            not json
            {"product": "\(p3)", "scene": "\(s2)", "bbox": [0.3, 0.3, 0.6, 0.7]}
            """, to: url)
        let loaded = try STLReader.readScenes(url, categories: [p1: "Shoes"])
        XCTAssertEqual(loaded.records.map(\.id), [s1, s2])
        XCTAssertEqual(loaded.records[0].items.map(\.category), ["Shoes", "unknown"])
        XCTAssertEqual(loaded.records[0].items[0].box, Box(x1: 0.1, y1: 0.2, x2: 0.5, y2: 0.9))
        XCTAssertEqual(loaded.issues.map(\.description), [
            "\(url.path):3: box outside [0,1]: 0.5,0.1,1.4,0.4",
            "\(url.path):4: missing or bad 'product' signature",
            "\(url.path):5: 'bbox' must be 4 numbers [left, top, right, bottom]",
            "\(url.path):6: not a JSON object",
        ])
    }

    /// An inverted box (right of its left edge, negative width) is not called "zero-sized".
    func testNegativeBoxSizeIsNamedAsSuch() throws {
        let url = try temporaryFolder(self).appendingPathComponent("fashion.json")
        let (s1, p1) = (String(repeating: "a", count: 32), String(repeating: "1", count: 32))
        try write("""
            {"product": "\(p1)", "scene": "\(s1)", "bbox": [0.5, 0.25, 0.25, 0.75]}
            {"product": "\(p1)", "scene": "\(s1)", "bbox": [0.5, 0.2, 0.5, 0.9]}
            """, to: url)
        XCTAssertEqual(try STLReader.readScenes(url).issues.map(\.description), [
            "\(url.path):1: negative box size (w -0.25, h 0.5): 0.5,0.25,0.25,0.75",
            "\(url.path):2: zero-sized box 0.5,0.2,0.5,0.9",
        ])
    }

    func testCTLTSVMatchesREADMEWithItsSpaceSeparatedHeader() throws {
        let loaded = try CTLReader.read(try SharedData.dataset("ctl-complete-the-look").appendingPathComponent("raw_test.tsv"))
        XCTAssertEqual(loaded.issues, [])
        XCTAssertEqual(loaded.records.count, 5028)
        let items = loaded.records.flatMap(\.items)
        XCTAssertEqual(items.count, 25140)
        let labels = Dictionary(grouping: items, by: \.category).mapValues(\.count)
        XCTAssertEqual(labels["Shoes"], 4623)
        XCTAssertEqual(labels["Scarves & Shawls"], 470)
        XCTAssertEqual(loaded.records[0].items[0].box.x1, 0.0068093464, accuracy: 1e-12)

        let url = try temporaryFolder(self).appendingPathComponent("bad.tsv")
        let sig = String(repeating: "c", count: 32)
        try write("image_signature bounding_x  bounding_y  bounding_width  bounding_height label\n"
                  + "\(sig)\t0.1\t0.1\t0.2\t0.2\tShoes\n\(sig)\t0.1\tx\t0.2\t0.2\tShoes\n\(sig)\t0.9\t0.1\t0.2\t0.2\tHats\n"
                  + "\(sig)\t0.1\t0.1\t0.2\tShoes\n", to: url)
        let bad = try CTLReader.read(url)
        XCTAssertEqual(bad.records.flatMap(\.items).count, 1)
        XCTAssertEqual(bad.issues.map(\.description), [
            "\(url.path):3: bounding_y 'x' is not a number",
            "\(url.path):4: box outside [0,1]: 0.9,0.1,1.1,0.30000000000000004",
            "\(url.path):5: expected 6 fields, found 5",
        ])
    }

    func testMangoOutfitsMatchREADME() throws {
        let root = try SharedData.dataset("mango-outfits-sample")
        let products = try MangoReader.readProducts(root)
        XCTAssertEqual(products.records.count, 9222)
        XCTAssertEqual(products.records.filter { $0.image != nil }.count, 1489)
        let full = try MangoReader.readOutfits(root, table: "outfit_data.csv", requireImages: false)
        XCTAssertEqual(full.issues, [])
        XCTAssertEqual(full.records.count, 7842)
        XCTAssertEqual(full.records.map(\.items.count).reduce(0, +), 43582)
        let sample = try MangoReader.readOutfits(root)
        XCTAssertEqual(sample.issues, [])
        XCTAssertEqual(sample.records.count, 426)
        // The README says 2,316 rows, but its own size histogram (5: 207, 6: 89, …) sums to the
        // file's 2,398 rows; the histogram is checked below.
        XCTAssertEqual(sample.records.map(\.items.count).reduce(0, +), 2398)
        XCTAssertEqual(Set(sample.records.flatMap(\.items).map(\.id)).count, 1489)
        let sizes = Dictionary(grouping: sample.records, by: \.items.count).mapValues(\.count)
        XCTAssertEqual([5, 6, 7, 4, 8, 9, 3].map { sizes[$0] }, [207, 89, 52, 34, 15, 14, 8])
    }

    func testMangoFixtureReportsUnknownProductsAndMissingImages() throws {
        let root = try temporaryFolder(self)
        try writeSolidJPEG(root.appendingPathComponent("images/2019_1_01.jpg"))
        try writeSolidJPEG(root.appendingPathComponent("images/2019_2_01.jpg"))
        let header = "\"cod_modelo_color\",\"cod_color_code\",\"des_color_specification_esp\",\"des_agrup_color_eng\",\"des_sex\",\"des_age\",\"des_line\",\"des_fabric\",\"des_product_category\",\"des_product_aggregated_family\",\"des_product_family\",\"des_product_type\",\"des_filename\""
        func product(_ id: Int, _ category: String, _ family: String) -> String {
            "\"\(id)-01\",\"01\",\"X\",\"WHITE\",\"Female\",\"Adult\",\"SHE\",\"P\",\"\(category)\",\"F\",\"\(family)\",\"T\",\"datathon/images/2019_\(id)_01.jpg\""
        }
        try write([header, product(1, "Tops", "Shirt"), product(2, "Bottoms", "Trousers"), product(3, "Tops", "Shirt")].joined(separator: "\n"),
                  to: root.appendingPathComponent("product_data.csv"))
        let table = root.appendingPathComponent("sampled_outfits.csv")
        try write("cod_outfit,cod_modelo_color\n7,1-01\n7,2-01\n7,9-01\n8,3-01\n7,1-01\n", to: table)
        let loaded = try MangoReader.readOutfits(root)
        // An item pairs by its product family (des_product_family), not the coarser category.
        XCTAssertEqual(loaded.records, [Outfit(id: "7", items: [
            OutfitItem(id: "1-01", category: "Shirt", image: root.appendingPathComponent("images/2019_1_01.jpg")),
            OutfitItem(id: "2-01", category: "Trousers", image: root.appendingPathComponent("images/2019_2_01.jpg")),
        ])])
        XCTAssertEqual(loaded.issues.map(\.description), [
            "\(table.path):4: unknown product 9-01", "\(table.path):5: product 3-01 has no image", "\(table.path):6: duplicate of line 2",
        ])
    }

    func testPolyvoreFixtureInDocumentedFormat() throws {
        let root = try temporaryFolder(self)
        let outfits = root.appendingPathComponent("train.json"), metadata = root.appendingPathComponent("polyvore_item_metadata.json")
        try write("""
            {"101": {"semantic_category": "tops"}, "102": {"semantic_category": "bottoms"},
             "103": {"semantic_category": "shoes"}, "104": {"url_name": "no category"}}
            """, to: metadata)
        try write("""
            [
              {"set_id": "s1", "items": [{"item_id": "101", "index": 1}, {"item_id": "102", "index": 2}]},
              {"set_id": "s2", "items": [{"item_id": "103", "index": 1}, {"item_id": "104", "index": 2}]},
              {"set_id": "s3", "items": []}
            ]
            """, to: outfits)
        let loaded = try PolyvoreReader.read(outfits: outfits, metadata: metadata)
        XCTAssertEqual(loaded.records.map(\.id), ["s1"])
        XCTAssertEqual(loaded.records[0].items.map(\.category), ["tops", "bottoms"])
        XCTAssertEqual(loaded.issues.map(\.description), [
            "\(outfits.path):3: item 104 of outfit s2 has no semantic_category in polyvore_item_metadata.json",
            "\(outfits.path):4: outfit s3 has no items",
        ])
    }
}
