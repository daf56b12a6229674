import Foundation
import TestSupport
import XCTest
@testable import Datasets

final class DatasetCheckTests: XCTestCase {
    func testYOLOCheckFindsEveryKindOfProblemAndCorruptImages() throws {
        let (yaml, labels) = try makeBrokenYOLO(self)
        let images = yaml.deletingLastPathComponent().appendingPathComponent("train/images")
        let jpeg = try Data(contentsOf: images.appendingPathComponent("a.jpg"))
        try jpeg.prefix(jpeg.count - 40).write(to: images.appendingPathComponent("a.jpg")) // truncate
        let report = try DatasetCheck.run(yaml, format: .yolo)
        XCTAssertEqual(report.images, 2)
        XCTAssertEqual(report.boxes, 3)
        typealias Count = CheckReport.ClassCount
        XCTAssertEqual(report.splits[0].classes, [Count(name: "top", images: 2, boxes: 2), Count(name: "bag", images: 1, boxes: 1),
                                                  Count(name: "shoe", images: 0, boxes: 0)])
        XCTAssertEqual(report.problems.count, 9)
        XCTAssertTrue(report.problems.contains("\(labels.appendingPathComponent("b.txt").path):4: unknown class id 7 (3 classes)"))
        XCTAssertEqual(report.problems.last, "\(images.appendingPathComponent("a.jpg").path): truncated JPEG (no end-of-image marker)")
        let json = try JSONDecoder().decode(CheckReport.self, from: JSONEncoder().encode(report))
        XCTAssertEqual(json.problems, report.problems)
    }

    /// A photo cut in half with an end marker appended decodes with only a libjpeg warning; data
    /// check reports it as a problem of that file.
    func testJPEGCutInHalfIsAProblemOfItsFile() throws {
        let photo = try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("datasets/demo/clothing/train/hat/153a69c6-4c18-49c0-a3d5-8af2ce547fa7.jpg"))
        let folder = try temporaryFolder(self)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("hat"), withIntermediateDirectories: true)
        let cut = folder.appendingPathComponent("hat/cut.jpg")
        try (photo.prefix(photo.count / 2) + Data([0xFF, 0xD9])).write(to: cut)
        try photo.write(to: folder.appendingPathComponent("hat/whole.jpg"))
        let report = try DatasetCheck.run(folder, format: .folder)
        XCTAssertEqual(report.problems.count, 1, "\(report.problems)")
        XCTAssertTrue(report.problems.first?.hasPrefix("\(cut.path): corrupt JPEG (") == true, "\(report.problems)")
    }

    func testRealCleanDatasetsHaveNoProblems() throws {
        let ctl = try DatasetCheck.run(try SharedData.dataset("ctl-complete-the-look").appendingPathComponent("raw_test.tsv"), format: .ctl)
        XCTAssertEqual(ctl.problems, [])
        XCTAssertEqual(ctl.images, 5028)
        XCTAssertEqual(ctl.splits[0].classes.first { $0.name == "Handbags" }?.boxes, 4248)
        let stl = try DatasetCheck.run(try SharedData.dataset("stl-shop-the-look"), format: .stl)
        XCTAssertEqual(stl.problems, [])
        XCTAssertEqual(stl.images, 38111)
        // Decoding every image of a whole folder set: the 372-image test split.
        let csv = try DatasetCheck.run(try SharedData.dataset("fashion-product-images-sample").appendingPathComponent("styles.csv"), format: .csv)
        XCTAssertEqual(csv.problems, [])
        XCTAssertEqual(csv.images, 2946)
        let folder = try DatasetCheck.run(try SharedData.dataset("clothing-dataset-small").appendingPathComponent("test"), format: .folder)
        XCTAssertEqual(folder.problems, [])
        XCTAssertEqual(folder.images, 372)
        XCTAssertEqual(folder.splits[0].classes.first { $0.name == "shoes" }?.images, 73)
    }

    func testCSVCheckFindsRowsWithoutImagesAndImagesWithoutRows() throws {
        let folder = try temporaryFolder(self)
        try writeSolidJPEG(folder.appendingPathComponent("train/hat/a.jpg"))
        try writeSolidJPEG(folder.appendingPathComponent("test/hat/stray.jpg"))
        let csv = folder.appendingPathComponent("labels.csv")
        try write("""
            path,split,class,image_id,full_dataset_label,kids,sender_id
            train/hat/a.jpg,train,hat,a,Hat,False,1
            train/hat/gone.jpg,train,hat,g,Hat,False,1
            train/hat/a.jpg,train,hat,a,Hat,False,1
            """, to: csv)
        let report = try DatasetCheck.run(csv, format: .csv)
        XCTAssertEqual(report.splits.map(\.name), ["train", "validation", "test"])
        XCTAssertEqual(report.images, 1)
        XCTAssertEqual(report.problems, [
            "\(csv.path):3: image train/hat/gone.jpg is missing",
            "\(csv.path):4: duplicate of line 2",
            "\(folder.appendingPathComponent("test/hat/stray.jpg").path): image has no row in labels.csv",
        ])
    }

    func testUnusableArgumentsAreUsageErrors() throws {
        let file = try temporaryFolder(self).appendingPathComponent("x.csv")
        try write("a,b\n1,2\n", to: file)
        XCTAssertThrowsError(try DatasetCheck.run(file.deletingLastPathComponent().appendingPathComponent("nope"), format: .csv)) {
            XCTAssertTrue($0 is CheckUsageError)
        }
        XCTAssertThrowsError(try DatasetCheck.run(file, format: .csv)) { XCTAssertTrue($0 is CheckUsageError) }
        XCTAssertThrowsError(try DatasetCheck.run(file, format: .folder)) { XCTAssertTrue($0 is CheckUsageError) }
    }
}
