import Foundation
import LookKitCore
import TestSupport
import XCTest
@testable import Datasets

final class DetectionReaderTests: XCTestCase {
    func testColorfulFashionMatchesREADMECounts() throws {
        let dataset = try YOLOReader.read(try SharedData.dataset("colorful-fashion-detection-train"))
        XCTAssertEqual(dataset.issues, [])
        XCTAssertEqual(dataset.names, ["sunglass", "hat", "jacket", "shirt", "pants", "shorts", "skirt", "dress", "bag", "shoe"])
        let samples = dataset.allSamples
        XCTAssertEqual(samples.count, 2145)
        XCTAssertEqual(samples.map(\.boxes.count).reduce(0, +), 8298)
        var perClass = [Int](repeating: 0, count: 10)
        for box in samples.flatMap(\.boxes) { perClass[box.classID] += 1 }
        XCTAssertEqual(perClass, [343, 273, 777, 1486, 508, 395, 697, 550, 1188, 2081])
        XCTAssertEqual(samples.filter { $0.boxes.count == 4 }.count, 811)
    }

    func testBrokenYOLORowsGivePreciseFileLineErrors() throws {
        let (yaml, labels) = try makeBrokenYOLO(self)
        let dataset = try YOLOReader.read(yaml)
        XCTAssertEqual(dataset.names, ["top", "bag", "shoe"])
        XCTAssertEqual(dataset.samples("train").map(\.id), ["a", "b"])
        XCTAssertEqual(dataset.samples("train").map(\.boxes.count), [2, 1])
        let b = labels.appendingPathComponent("b.txt").path
        let images = yaml.deletingLastPathComponent().appendingPathComponent("train/images")
        XCTAssertEqual(dataset.issues.map(\.description), [
            "\(labels.appendingPathComponent("ghost.txt").path): label file has no image in \(images.path)",
            "\(b):2: cy 'abc' is not a finite number",
            "\(b):3: box outside [0,1] (cx 0.9, cy 0.5, w 0.4, h 0.2)",
            "\(b):4: unknown class id 7 (3 classes)",
            "\(b):5: zero-sized box (w 0, h 0.2)",
            "\(b):6: duplicate of line 1",
            "\(b):7: expected 5 fields 'class cx cy w h', found 3",
            "\(images.appendingPathComponent("orphan.jpg").path): image has no label file orphan.txt",
        ])
        XCTAssertThrowsError(try YOLOReader.read(yaml, onBadRow: .fail)) {
            XCTAssertTrue("\($0)".hasSuffix("ghost.txt: label file has no image in \(images.path)"), "\($0)")
        }
    }

    func testSplitsFromImageListsAndFolderLists() throws {
        let root = try temporaryFolder(self)
        try writeOneBoxImages(["images/train/a", "images/train/b", "extra/images/c"], under: root)
        let list = root.appendingPathComponent("train.txt")
        try write("./images/train/a.jpg\nimages/train/b.jpg\n\n./images/train/gone.jpg\nnotes.md\n", to: list)
        let yaml = root.appendingPathComponent("data.yaml")
        try write("path: .\ntrain: train.txt\nval: [extra/images, train.txt]\nnames: [top, bag]\n", to: yaml)

        let dataset = try YOLOReader.read(yaml)
        XCTAssertEqual(dataset.samples("train").map(\.id), ["a", "b"])
        XCTAssertEqual(dataset.samples("train").map(\.labelFile.path),
                       ["labels/train/a.txt", "labels/train/b.txt"].map { root.appendingPathComponent($0).path })
        XCTAssertEqual(dataset.samples("val").map(\.id), ["c", "a", "b"])
        XCTAssertEqual(dataset.samples("val").first?.boxes, [LabeledBox(classID: 1, box: Box(centerX: 0.5, centerY: 0.5, width: 0.2, height: 0.2))])
        let listIssues = [
            "\(list.path):4: image \(root.appendingPathComponent("images/train/gone.jpg").path) does not exist",
            "\(list.path):5: 'notes.md' is not an image file name",
        ]
        XCTAssertEqual(dataset.issues.map(\.description), listIssues + listIssues, "train and val both read the list")

        try write("train: train.csv\nnames: [top]\n", to: yaml)
        XCTAssertThrowsError(try YOLOReader.read(yaml)) { error in
            XCTAssertEqual("\(error)", "\(yaml.path):1: train \(root.appendingPathComponent("train.csv").path) is neither an images folder nor a .txt image list")
        }
    }

    /// A data.yaml as ultralytics writes them: comments, a list of train folders, a flow list or
    /// a `{0: a}` map of names, quoted strings, an anchor; and errors with the line of the value.
    func testUltralyticsDataYAML() throws {
        let root = try temporaryFolder(self)
        try writeOneBoxImages(["images/train/a", "more/images/b", "images/val/c"], under: root)
        let yaml = root.appendingPathComponent("data.yaml")
        try write("""
            # Ultralytics YOLO 🚀, AGPL-3.0 license
            path: .  # dataset root dir
            train: # train images (relative to 'path')
              - images/train
              - "more/images"
            val: &val images/val # val images
            test: *val
            nc: 2
            names: ['top, long', "bag"] # class names
            """, to: yaml)
        let dataset = try YOLOReader.read(yaml)
        XCTAssertEqual(dataset.names, ["top, long", "bag"])
        XCTAssertEqual(dataset.splits.map(\.name), ["train", "val", "test"])
        XCTAssertEqual(dataset.samples("train").map(\.id), ["a", "b"])
        XCTAssertEqual(dataset.samples("test").map(\.id), ["c"])
        XCTAssertEqual(dataset.issues, [])

        try write("path: .\ntrain: images/train\nnames: {1: bag, 0: top}\n", to: yaml)
        XCTAssertEqual(try YOLOReader.read(yaml).names, ["top", "bag"])
        try write("path: .\ntrain: images/train\nnc: 3\n", to: yaml)
        XCTAssertEqual(try YOLOReader.read(yaml).names, ["class0", "class1", "class2"])

        let broken = [
            ("train: images/train\nnames:\n  0: top\n  2: bag\n", "\(yaml.path):3: names map keys must be 0, 1, 2, …"),
            ("train: images/train\nnc: 3\nnames: [top, bag]\n", "\(yaml.path):2: nc is 3 but names lists 2 classes"),
            ("train: images/train\nnc: 99999999999\n", "\(yaml.path):2: nc 99999999999 is more than 100000 classes"),
            ("train:\n  - images/train\n  - nowhere\nnames: [top, bag]\n",
             "\(yaml.path):3: train \(root.appendingPathComponent("nowhere").path) is neither an images folder nor a .txt image list"),
            ("names: [top, bag\ntrain: x\n", "\(yaml.path):2: not valid YAML"),
            ("- top\n- bag\n", "\(yaml.path):1: expected 'key: value' entries at the top level"),
        ]
        for (text, message) in broken {
            try write(text, to: yaml)
            XCTAssertThrowsError(try YOLOReader.read(yaml)) { XCTAssertTrue("\($0)".hasPrefix(message), "\($0)") }
        }
    }

    func testClassRemapFromYAML() throws {
        let dataset = try YOLOReader.read(try SharedData.dataset("colorful-fashion-detection-train"))
        let folder = try temporaryFolder(self)
        let map = folder.appendingPathComponent("coarse.yaml")
        try write("""
            topwear: [shirt, jacket, dress]
            bottomwear: [pants, shorts, skirt]
            footwear: shoe
            bag:
              - bag
            accessory: [sunglass, hat]
            """, to: map)
        let remap = try ClassRemap(yaml: map, sourceNames: dataset.names)
        XCTAssertEqual(remap.names, ["topwear", "bottomwear", "footwear", "bag", "accessory"])
        let coarse = remap.apply(to: dataset)
        var perClass = [Int](repeating: 0, count: 5)
        for box in coarse.allSamples.flatMap(\.boxes) { perClass[box.classID] += 1 }
        // README counts: shirt+jacket+dress, pants+shorts+skirt, shoe, bag, sunglass+hat.
        XCTAssertEqual(perClass, [1486 + 777 + 550, 508 + 395 + 697, 2081, 1188, 343 + 273])

        try write("topwear: [shirt, blouse]\n", to: map)
        XCTAssertThrowsError(try ClassRemap(yaml: map, sourceNames: dataset.names)) {
            XCTAssertTrue("\($0)".hasPrefix("\(map.path):1: unknown class 'blouse'"), "\($0)")
        }
    }
}

/// `<stem>.jpg` images, each with a one-box label file where ultralytics looks (images -> labels).
private func writeOneBoxImages(_ stems: [String], under root: URL) throws {
    for stem in stems {
        _ = try writeSolidJPEG(root.appendingPathComponent(stem + ".jpg"))
        try write("1 0.5 0.5 0.2 0.2\n", to: root.appendingPathComponent(stem.replacingOccurrences(of: "images/", with: "labels/") + ".txt"))
    }
}
