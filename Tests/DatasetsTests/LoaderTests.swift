import Foundation
import LookKitCore
import TestSupport
import XCTest
@testable import Datasets

/// Counts loads across worker threads.
final class LoadCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add() { lock.withLock { value += 1 } }
    var count: Int { lock.withLock { value } }
}

/// Numbers as samples: value = index*1000 + a draw from the sample's generator; some indices fail.
struct NumberSet: Dataset {
    let count: Int
    var failing: Set<Int> = []
    let loaded = LoadCounter()
    func name(of index: Int) -> String { "number-\(index)" }
    func sample(at index: Int, generator: inout SeededGenerator) throws -> Int {
        loaded.add()
        if failing.contains(index) { throw VisionError("number-\(index).jpg: truncated JPEG") }
        return index * 1000 + Int.random(in: 0..<1000, using: &generator)
    }
}

final class LoaderTests: XCTestCase {
    func batches(_ loader: DataLoader<NumberSet, [Int]>, epoch: Int) -> [[Int]] {
        Array(loader.epoch(epoch)).map(\.batch)
    }

    func testSameSeedSameBatchesWhateverTheWorkerCount() throws {
        let reference = DataLoader(NumberSet(count: 103), options: LoaderOptions(batchSize: 8, seed: 42, workers: 0)) { $0 }
        let expected = batches(reference, epoch: 3)
        XCTAssertEqual(expected.count, 13)
        XCTAssertEqual(Set(expected.flatMap { $0 }.map { $0 / 1000 }), Set(0..<103)) // every sample once
        for workers in [1, 2, 3, 5] {
            let loader = DataLoader(NumberSet(count: 103), options: LoaderOptions(batchSize: 8, seed: 42, workers: workers, prefetch: 2)) { $0 }
            XCTAssertEqual(batches(loader, epoch: 3), expected, "workers \(workers)")
        }
        XCTAssertNotEqual(batches(reference, epoch: 4), expected, "each epoch reshuffles")
        let other = DataLoader(NumberSet(count: 103), options: LoaderOptions(batchSize: 8, seed: 43, workers: 0)) { $0 }
        XCTAssertNotEqual(batches(other, epoch: 3), expected)
    }

    func testDropLastAndUnshuffledOrder() {
        let keep = DataLoader(NumberSet(count: 10), options: LoaderOptions(batchSize: 4, shuffle: false, workers: 2)) { $0.map { $0 / 1000 } }
        XCTAssertEqual(batches(keep, epoch: 0), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
        let drop = DataLoader(NumberSet(count: 10), options: LoaderOptions(batchSize: 4, shuffle: false, workers: 2, dropLast: true)) { $0.map { $0 / 1000 } }
        XCTAssertEqual(batches(drop, epoch: 0), [[0, 1, 2, 3], [4, 5, 6, 7]])
        XCTAssertEqual(drop.batchesPerEpoch, 2)
    }

    func testABadSampleIsNamedAndTheEpochGoesOn() {
        let data = NumberSet(count: 20, failing: [5, 6, 7, 8, 13])
        let loader = DataLoader(data, options: LoaderOptions(batchSize: 3, shuffle: false, workers: 2)) { $0.map { $0 / 1000 } }
        let epoch = loader.epoch(0)
        let loaded = Array(epoch)
        // Batch [3, 4, 5] keeps 3 and 4; batch [6, 7, 8] loses every sample and is skipped.
        XCTAssertEqual(loaded.map(\.indices.count), [3, 2, 3, 2, 3, 2])
        XCTAssertEqual(loaded.flatMap(\.batch), (0..<20).filter { ![5, 6, 7, 8, 13].contains($0) })
        XCTAssertEqual(epoch.failures.map(\.index), [5, 6, 7, 8, 13])
        XCTAssertEqual(epoch.failures[0].description, "sample 5 (number-5): number-5.jpg: truncated JPEG")
    }

    func testPrefetchIsBounded() throws {
        let data = NumberSet(count: 400)
        let loader = DataLoader(data, options: LoaderOptions(batchSize: 4, workers: 2, prefetch: 3)) { $0 }
        let epoch = loader.epoch(0)
        _ = epoch.next()
        Thread.sleep(forTimeInterval: 0.2)
        // Consumed 1 batch; at most 3 more batches may be claimed ahead of it.
        XCTAssertLessThanOrEqual(data.loaded.count, 4 * 4)
        XCTAssertGreaterThanOrEqual(data.loaded.count, 4 * 2)
    }

    func testRealClassificationBatchesAreDeterministicAcrossWorkers() throws {
        let root = try SharedData.dataset("clothing-dataset-small")
        let records = try ImageFolderReader.read(root.appendingPathComponent("test")).records
        let set = try ClassificationSet(Array(records.prefix(24)), size: 32, augment: true)
        func run(_ workers: Int) throws -> [[Float]] {
            let loader = DataLoader(set, options: LoaderOptions(batchSize: 8, seed: 9, workers: workers), collate: ClassificationBatch.collate)
            return try Array(loader.epoch(1)).map { try $0.batch.images.floats() + $0.batch.labels.floats() }
        }
        let one = try run(1)
        XCTAssertEqual(one.count, 3)
        XCTAssertEqual(one[0].count, 8 * 3 * 32 * 32 + 8)
        XCTAssertEqual(try run(3), one)
    }

    func testDetectionCollateKeepsEachImagesBoxes() throws {
        let dataset = try YOLOReader.read(try SharedData.dataset("colorful-fashion-detection-train"))
        let samples = Array(dataset.allSamples.prefix(6))
        let loader = DataLoader(DetectionSet(samples, size: 416, augment: false),
                                options: LoaderOptions(batchSize: 3, shuffle: false, workers: 2), collate: DetectionBatch.collate)
        let batches = Array(loader.epoch(0))
        XCTAssertEqual(batches.count, 2)
        XCTAssertEqual(batches[0].batch.images.shape, [3, 3, 416, 416])
        for (b, loaded) in batches.enumerated() {
            for (i, boxes) in loaded.batch.boxes.enumerated() {
                let original = samples[b * 3 + i].boxes
                XCTAssertEqual(boxes.map(\.classID), original.map(\.classID))
                // 277×416 letterboxed into 416×416: y unchanged, x squeezed by 277/416 around the centre.
                for (moved, label) in zip(boxes, original) {
                    let (after, before) = (moved.box.centerForm, label.box.centerForm)
                    XCTAssertEqual(after.cy, before.cy, accuracy: 1e-9)
                    XCTAssertEqual(after.cx * 416, before.cx * 277 + 69, accuracy: 1e-6)
                }
            }
        }
        let targets = try batches[0].batch.targets()
        XCTAssertEqual(targets.shape, [batches[0].batch.boxes.map(\.count).reduce(0, +), 6])

        let augmented = DataLoader(DetectionSet(samples, size: 128, augment: true, cache: try ImageCache()),
                                   options: LoaderOptions(batchSize: 3, seed: 1, workers: 2), collate: DetectionBatch.collate)
        for loaded in augmented.epoch(0) {
            for label in loaded.batch.boxes.flatMap({ $0 }) {
                XCTAssertTrue(label.box.x1 >= -1e-9 && label.box.x2 <= 1 + 1e-9 && label.box.width > 0)
            }
        }
    }

    func testRAMCacheDecodesEachFileOnce() throws {
        let root = try SharedData.dataset("clothing-dataset-small")
        let records = Array(try ImageFolderReader.read(root.appendingPathComponent("test")).records.prefix(10))
        let cache = try ImageCache()
        let set = try ClassificationSet(records, size: 16, augment: false, cache: cache)
        let loader = DataLoader(set, options: LoaderOptions(batchSize: 5, workers: 2), collate: ClassificationBatch.collate)
        let first = try Array(loader.epoch(0)).flatMap { try $0.batch.images.floats() }
        let second = try Array(loader.epoch(0)).flatMap { try $0.batch.images.floats() }
        XCTAssertEqual(first, second)
        XCTAssertEqual(cache.misses, 10)
        XCTAssertEqual(cache.hits, 10)
    }

    func testDiskCacheServesDecodedPixelsToAFreshRun() throws {
        let folder = try temporaryFolder(self)
        let photo = folder.appendingPathComponent("photo.jpg")
        let original = try writeSolidJPEG(photo, width: 30, height: 20, color: (10, 200, 90))
        let first = try ImageCache(directory: folder.appendingPathComponent("cache"))
        let decoded = try first.image(at: photo)
        XCTAssertEqual([first.misses, first.diskHits], [1, 0])
        let second = try ImageCache(directory: folder.appendingPathComponent("cache"))
        XCTAssertEqual(try second.image(at: photo), decoded)
        XCTAssertEqual([second.misses, second.diskHits], [0, 1])
        XCTAssertEqual(decoded.width, original.width)
        // Rewriting the image changes its size/mtime, so the stale entry is not used.
        Thread.sleep(forTimeInterval: 0.01)
        try writeSolidJPEG(photo, width: 31, height: 20)
        let third = try ImageCache(directory: folder.appendingPathComponent("cache"))
        XCTAssertEqual(try third.image(at: photo).width, 31)
        XCTAssertEqual(third.misses, 1)
    }
}
