import Datasets
import Foundation
import LookKitCore
import XCTest

final class CategoryMapTests: XCTestCase {
    func testDefaultMapsTheSharedDetectionClassesOntoArticleTypes() {
        let map = CategoryMap.fashionProductImages
        XCTAssertEqual(map.entries.map(\.detectorClass), ["shoe", "shirt", "pants", "bag", "sunglass", "hat", "jacket", "shorts", "skirt", "dress"])
        XCTAssertEqual(map.categories(of: "shoe"), ["Casual Shoes", "Sports Shoes", "Formal Shoes", "Heels", "Flats", "Sandals", "Flip Flops"])
        XCTAssertEqual(map.detectorClass(of: "Kurtis"), "shirt")
        XCTAssertEqual(map.detectorClass(of: "Blazers"), "jacket")
        XCTAssertNil(map.detectorClass(of: "Watches"))
        XCTAssertEqual(map.categories(of: "umbrella"), [])
    }

    func testYAMLItWritesReadsBackTheSameMap() throws {
        let map = CategoryMap.fashionProductImages
        XCTAssertEqual(try CategoryMap(yaml: map.yaml, file: "map.yaml"), map)
        let quoted = try CategoryMap([.init(detectorClass: "bag", categories: ["Laptop Bag", "Bags: \"big\""])])
        XCTAssertEqual(try CategoryMap(yaml: quoted.yaml, file: "q.yaml"), quoted)
    }

    func testACategoryMappedTwiceIsNamedWithItsLine() {
        let text = "shoe: [Heels, Flats]\nbag: [Handbags]\nsandal: [Flats]\n"
        XCTAssertThrowsError(try CategoryMap(yaml: text, file: "map.yaml")) { error in
            let issue = error as? MalformedFile
            XCTAssertEqual(issue?.file, "map.yaml")
            XCTAssertEqual(issue?.line, 3)
            XCTAssertTrue("\(error)".contains("'Flats' is already mapped from 'shoe'"), "\(error)")
        }
    }

    func testAMappingThatIsNotAListOfNamesIsRefused() {
        XCTAssertThrowsError(try CategoryMap(yaml: "shoe:\n  heels: 1\n", file: "map.yaml")) { error in
            XCTAssertEqual((error as? MalformedFile)?.line, 2, "\(error)")
        }
    }
}
