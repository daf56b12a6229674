import Foundation
import TestSupport
import XCTest
@testable import Datasets

final class ClassificationReaderTests: XCTestCase {
    func testClothingFoldersMatchREADMECounts() throws {
        let root = try SharedData.dataset("clothing-dataset-small")
        let expected = ["train": 3068, "validation": 341, "test": 372]
        for (split, count) in expected {
            let loaded = try ImageFolderReader.read(root.appendingPathComponent(split), split: split)
            XCTAssertEqual(loaded.records.count, count, split)
            XCTAssertEqual(loaded.issues, [])
        }
        let test = try ImageFolderReader.read(root.appendingPathComponent("test"))
        XCTAssertEqual(test.records.filter { $0.label == "shoes" }.count, 73)
        XCTAssertEqual(Set(test.records.map(\.label)).count, 10)
    }

    func testClothingLabelsCSVMatchesREADME() throws {
        let loaded = try ClothingLabelsReader.read(try SharedData.dataset("clothing-dataset-small").appendingPathComponent("labels.csv"))
        XCTAssertEqual(loaded.issues, [])
        XCTAssertEqual(loaded.records.count, 3781)
        XCTAssertEqual(loaded.records.filter { $0.image.split == "validation" }.count, 341)
        XCTAssertEqual(loaded.records.filter { $0.image.label == "t-shirt" && $0.image.split == "train" }.count, 795)
        XCTAssertEqual(loaded.records.filter { $0.fullLabel == "T-Shirt" }.count, 929)
        XCTAssertFalse(loaded.records.contains { $0.kids })
    }

    func testBrokenLabelsCSVRowsAreReportedWithFileAndLine() throws {
        let folder = try temporaryFolder(self)
        try writeSolidJPEG(folder.appendingPathComponent("train/hat/a.jpg"))
        let csv = folder.appendingPathComponent("labels.csv")
        try write("""
            path,split,class,image_id,full_dataset_label,kids,sender_id
            train/hat/a.jpg,train,hat,a,Hat,False,12
            train/hat/missing.jpg,train,hat,b,Hat,False,12
            train/hat/a.jpg,train,hat,a,Hat,maybe,12
            train/hat/a.jpg,holdout,hat,a,Hat,False,12
            train/hat/a.jpg,train,hat,a,Hat,False
            train/hat/a.jpg,train,hat,a,Hat,False,x7
            """, to: csv)
        let loaded = try ClothingLabelsReader.read(csv)
        XCTAssertEqual(loaded.records.count, 1)
        XCTAssertEqual(loaded.issues.map(\.description), [
            "\(csv.path):3: image train/hat/missing.jpg is missing",
            "\(csv.path):4: kids 'maybe' is not True or False",
            "\(csv.path):5: split 'holdout' is not train, validation or test",
            "\(csv.path):6: expected 7 fields, found 6",
            "\(csv.path):7: sender_id 'x7' is not an integer",
        ])
        XCTAssertThrowsError(try ClothingLabelsReader.read(csv, onBadRow: .fail)) {
            XCTAssertEqual("\($0)", "\(csv.path):3: image train/hat/missing.jpg is missing")
        }
    }

    func testProductStylesMatchREADMEAndFlagMissingImages() throws {
        let root = try SharedData.dataset("fashion-product-images-sample")
        let loaded = try ProductStylesReader.read(root.appendingPathComponent("styles.csv"))
        XCTAssertEqual(loaded.issues, [])
        XCTAssertEqual(loaded.records.count, 2946)
        let genders = Dictionary(grouping: loaded.records, by: \.gender).mapValues(\.count)
        XCTAssertEqual(genders, ["Men": 1426, "Women": 1269, "Unisex": 154, "Boys": 55, "Girls": 42])
        XCTAssertEqual(Set(loaded.records.map(\.articleType)).count, 105)
        XCTAssertEqual(loaded.records.filter { $0.articleType == "Tshirts" }.count, 412)

        let folder = try temporaryFolder(self)
        try writeSolidJPEG(folder.appendingPathComponent("images/1.jpg"))
        let csv = folder.appendingPathComponent("styles.csv")
        try write("""
            id,gender,masterCategory,subCategory,articleType,baseColour,season,year,usage,productDisplayName,image
            1,Men,Apparel,Topwear,Tshirts,Blue,Fall,2010,Sports,"Blue, soft T-shirt",images/1.jpg
            2,Men,Apparel,Topwear,Tshirts,Blue,Fall,2010,Sports,Tee,images/2.jpg
            x,Men,Apparel,Topwear,Tshirts,Blue,Fall,2010,Sports,Tee,images/1.jpg
            """, to: csv)
        let broken = try ProductStylesReader.read(csv)
        XCTAssertEqual(broken.records.map(\.name), ["Blue, soft T-shirt"])
        XCTAssertEqual(broken.issues.map(\.description), ["\(csv.path):3: image 2.jpg is missing", "\(csv.path):4: id 'x' is not an integer"])
    }
}
