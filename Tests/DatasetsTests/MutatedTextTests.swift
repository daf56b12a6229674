import Datasets
import Foundation
import LookKitCore
import TestSupport
import XCTest

/// Ten thousand seeded mutants of a valid file per dataset text reader: no trap, every failure a
/// thrown error naming the file, every skipped row an issue naming file:line.
final class MutatedTextTests: XCTestCase {
    private func touch(_ folder: URL, _ names: [String]) throws {
        for name in names {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data([0xFF, 0xD8]).write(to: url) // readers only look for the file; nothing decodes it
        }
    }

    func testLabelsCSV() throws {
        let folder = try temporaryFolder(self)
        try touch(folder, ["images/a.jpg", "images/b.png"])
        try assertMutantsFailCleanly(of: "id,label\na,hat\n\"b\",\"t-shirt, long\"\n", at: folder.appendingPathComponent("labels.csv"),
                                     seed: 21) { url in
            try LabelsCSVReader.read(url, images: folder.appendingPathComponent("images")).issues
        }
    }

    func testProductStylesCSV() throws {
        let folder = try temporaryFolder(self)
        try touch(folder, ["images/15970.jpg", "images/39386.jpg"])
        let valid = """
            id,gender,masterCategory,subCategory,articleType,baseColour,season,year,usage,productDisplayName,image
            15970,Men,Apparel,Topwear,Shirts,Navy Blue,Fall,2011,Casual,"Turtle Check Men Navy Blue Shirt",
            39386,Men,Apparel,Bottomwear,Jeans,Blue,Summer,,Casual,"Peter England Men Party Blue Jeans, slim",images/39386.jpg

            """
        try assertMutantsFailCleanly(of: valid, at: folder.appendingPathComponent("styles.csv"), seed: 22) { url in
            try ProductStylesReader.read(url).issues
        }
    }

    private func yoloFolder() throws -> URL {
        let folder = try temporaryFolder(self)
        try touch(folder, ["images/x.jpg"])
        try write("path: .\ntrain: images\nval: images\nnames: [shirt, pants, hat, shoe]\n", to: folder.appendingPathComponent("data.yaml"))
        try write("0 0.5 0.5 0.2 0.4\n", to: folder.appendingPathComponent("labels/x.txt"))
        return folder
    }

    func testYOLOLabelFile() throws {
        let folder = try yoloFolder()
        try assertMutantsFailCleanly(of: "0 0.5 0.5 0.2 0.4\n3 0.25 0.75 0.1 0.1\n2.0 0.1 0.1 0.05 0.05\n",
                                     at: folder.appendingPathComponent("labels/x.txt"), seed: 23) { _ in
            try YOLOReader.read(folder).issues
        }
    }

    func testUltralyticsDataYAML() throws {
        let folder = try yoloFolder()
        let valid = """
            # ultralytics dataset
            path: .
            train: [images]
            val: images
            test:
            nc: 4
            names: {0: shirt, 1: pants, 2: hat, 3: shoe}

            """
        try assertMutantsFailCleanly(of: valid, at: folder.appendingPathComponent("data.yaml"), seed: 24) { url in
            _ = try YOLOReader.read(url)
            return [] // issues of a mutant name the label files a changed class list no longer fits
        }
    }

    func testClassRemapYAML() throws {
        let folder = try temporaryFolder(self)
        try assertMutantsFailCleanly(of: "tops: [shirt, \"t-shirt\"]\nbottoms:\n  - pants\n  - skirt\n",
                                     at: folder.appendingPathComponent("remap.yaml"), seed: 25) { url in
            _ = try ClassRemap(yaml: url, sourceNames: ["shirt", "t-shirt", "pants", "skirt", "hat"])
            return []
        }
    }

    func testShopTheLookJSONLines() throws {
        let folder = try temporaryFolder(self)
        let (s1, p1, p2) = (String(repeating: "a", count: 32), String(repeating: "1", count: 32), String(repeating: "2", count: 32))
        let valid = """
            {"product": "\(p1)", "scene": "\(s1)", "bbox": [0.1, 0.2, 0.5, 0.9]}
            {"product": "\(p2)", "scene": "\(s1)", "bbox": [0.5, 0.1, 0.9, 0.4]}

            """
        try assertMutantsFailCleanly(of: valid, at: folder.appendingPathComponent("fashion.json"), seed: 26) { url in
            try STLReader.readScenes(url).issues
        }
    }

    func testCompleteTheLookTSV() throws {
        let folder = try temporaryFolder(self)
        let sig = String(repeating: "c", count: 32)
        let valid = "image_signature bounding_x bounding_y bounding_width bounding_height label\n"
            + "\(sig)\t0.1\t0.1\t0.2\t0.2\tShoes\n\(sig)\t0.4\t0.5\t0.3\t0.2\tScarves & Shawls\n"
        try assertMutantsFailCleanly(of: valid, at: folder.appendingPathComponent("raw_test.tsv"), seed: 27) { url in
            try CTLReader.read(url).issues
        }
    }
}
