import Foundation
import TestSupport
import XCTest
@testable import Datasets

final class TripletTests: XCTestCase {
    func mangoOutfits() throws -> [Outfit] {
        try MangoReader.readOutfits(try SharedData.dataset("mango-outfits-sample")).records
    }

    func testSplitsKeepEveryItemInOneSplitAndAreSeeded() throws {
        let outfits = try mangoOutfits()
        let splits = splitWithoutLeakage(outfits, fractions: [("train", 0.7), ("val", 0.15), ("test", 0.15)], seed: 5, minMembers: 3)
        var owner: [String: String] = [:]
        for (name, groups) in splits {
            XCTAssertFalse(groups.isEmpty, name)
            for item in groups.flatMap(\.memberIDs) {
                if let other = owner[item], other != name { XCTFail("item \(item) in \(other) and \(name)") }
                owner[item] = name
            }
            XCTAssertTrue(groups.allSatisfy { $0.items.count >= 3 })
        }
        let again = splitWithoutLeakage(outfits, fractions: [("train", 0.7), ("val", 0.15), ("test", 0.15)], seed: 5, minMembers: 3)
        XCTAssertEqual(again.map { $0.groups.map(\.id) }, splits.map { $0.groups.map(\.id) })
        // Train is never trimmed: its outfits are the originals.
        let byID = Dictionary(uniqueKeysWithValues: outfits.map { ($0.id, $0) })
        XCTAssertTrue(splits[0].groups.allSatisfy { byID[$0.id] == $0 })
    }

    func testOutfitTripletsPairWithinOutfitsAndDrawNegativesElsewhere() throws {
        let outfits = try mangoOutfits()
        let byID = Dictionary(uniqueKeysWithValues: outfits.map { ($0.id, $0) })
        let triplets = outfitTriplets(outfits, seed: 11, maxPerOutfit: 4)
        XCTAssertGreaterThan(triplets.count, 1000)
        for t in triplets {
            let outfit = try XCTUnwrap(byID[t.outfitID])
            XCTAssertTrue(outfit.items.contains(t.anchor) && outfit.items.contains(t.positive))
            XCTAssertNotEqual(t.anchor.category, t.positive.category)
            XCTAssertEqual(t.negative.category, t.positive.category)
            XCTAssertFalse(outfit.items.contains(t.negative))
        }
        XCTAssertEqual(outfitTriplets(outfits, seed: 11, maxPerOutfit: 4), triplets)
        XCTAssertNotEqual(outfitTriplets(outfits, seed: 12, maxPerOutfit: 4), triplets)
    }

    func testFillInTheBlankQuestions() throws {
        let outfits = try mangoOutfits()
        let byID = Dictionary(uniqueKeysWithValues: outfits.map { ($0.id, $0) })
        let questions = fillInTheBlank(outfits, seed: 2)
        XCTAssertGreaterThan(questions.count, 400)
        var correctPositions = Set<Int>()
        for q in questions {
            let outfit = try XCTUnwrap(byID[q.outfitID])
            let answer = q.answers[q.correct]
            XCTAssertEqual(Set(q.context + [answer]), Set(outfit.items))
            XCTAssertEqual(Set(q.answers).count, 4)
            XCTAssertTrue(q.answers.allSatisfy { $0.category == answer.category })
            XCTAssertEqual(q.answers.filter { outfit.items.contains($0) }, [answer])
            correctPositions.insert(q.correct)
        }
        XCTAssertEqual(correctPositions, [0, 1, 2, 3]) // the answer is not always in the same slot
        XCTAssertEqual(fillInTheBlank(outfits, seed: 2), questions)
    }

    func testSceneTripletsOnStreetPhotosAndCTL() throws {
        let colorful = try YOLOReader.read(try SharedData.dataset("colorful-fashion-detection-train")).scenes()
        let ctl = try CTLReader.read(try SharedData.dataset("ctl-complete-the-look").appendingPathComponent("raw_test.tsv")).records
        for scenes in [Array(colorful.prefix(300)), Array(ctl.prefix(300))] {
            let triplets = sceneTriplets(scenes, seed: 4)
            XCTAssertGreaterThan(triplets.count, 800)
            for t in triplets {
                XCTAssertTrue(t.scene.items.contains(t.positive))
                XCTAssertNotEqual(t.negativeScene.id, t.scene.id)
                XCTAssertTrue(t.negativeScene.items.contains(t.negative))
                XCTAssertEqual(t.negative.category, t.positive.category)
            }
            XCTAssertEqual(sceneTriplets(scenes, seed: 4), triplets)
        }
    }

    func testSceneTripletImagesMaskThePositive() throws {
        let scenes = try YOLOReader.read(try SharedData.dataset("colorful-fashion-detection-train")).scenes()
        let t = try XCTUnwrap(sceneTriplets(Array(scenes.prefix(20)), seed: 1).first)
        let images = try t.images(sceneSize: 160, productSize: 64)
        let original = try Image(contentsOf: try XCTUnwrap(t.scene.image))
        let (_, letterbox) = try original.letterboxed(width: 160, height: 160)
        let box = letterbox.apply(t.positive.box.inPixels(imageWidth: original.width, imageHeight: original.height))
        let centre = images.scene.pixel(x: Int((box.x1 + box.x2) / 2), y: Int((box.y1 + box.y2) / 2))
        XCTAssertTrue(centre == (114, 114, 114), "positive's box is masked in the scene")
        XCTAssertEqual([images.scene.width, images.scene.height], [160, 160])
        XCTAssertEqual([images.positive.width, images.positive.height, images.negative.width, images.negative.height], [64, 64, 64, 64])
        // The crop keeps its aspect: a tall garment leaves white bars at the sides.
        let pixels = t.positive.box.inPixels(imageWidth: original.width, imageHeight: original.height)
        if pixels.height > 1.5 * pixels.width { XCTAssertTrue(images.positive.pixel(x: 0, y: 32) == (255, 255, 255)) }

        let any = sceneTriplets(Array(scenes.prefix(100)), seed: 1, sameCategory: false)
        XCTAssertTrue(any.contains { $0.negative.category != $0.positive.category }, "any-category negatives cross categories")
        let set = StreetSceneSet(Array(scenes.prefix(20)), sceneSize: 160, productSize: 64, seed: 1)
        var generator = SeededGenerator(seed: 0)
        XCTAssertEqual(try set.sample(at: 0, generator: &generator).scene.pixels, images.scene.pixels)
    }

    func testSenderGroupedSplitsNeverShareASender() throws {
        let photos = try ClothingLabelsReader.read(try SharedData.dataset("clothing-dataset-small").appendingPathComponent("labels.csv")).records
        let splits = splitByGroup(photos.map(\.image), fractions: [("train", 0.8), ("test", 0.2)], seed: 1)
        XCTAssertEqual(splits.map(\.records.count).reduce(0, +), 3781)
        let senders = splits.map { Set($0.records.compactMap(\.group)) }
        XCTAssertTrue(senders[0].isDisjoint(with: senders[1]))
        XCTAssertFalse(senders[1].isEmpty)
        XCTAssertEqual(splitByGroup(photos.map(\.image), fractions: [("train", 0.8), ("test", 0.2)], seed: 1).map { $0.records.map(\.url) },
                       splits.map { $0.records.map(\.url) })
    }

    func testSimilarityTripletsAndPKBatchesOnClothingLabels() throws {
        let photos = try ClothingLabelsReader.read(try SharedData.dataset("clothing-dataset-small").appendingPathComponent("labels.csv")).records
        let labels = photos.map(\.image.label)
        let triplets = similarityTriplets(labels: labels, count: 500, seed: 8)
        XCTAssertEqual(triplets.count, 500)
        for t in triplets {
            XCTAssertEqual(labels[t.anchor], labels[t.positive])
            XCTAssertNotEqual(t.anchor, t.positive)
            XCTAssertNotEqual(labels[t.anchor], labels[t.negative])
        }
        XCTAssertEqual(similarityTriplets(labels: labels, count: 500, seed: 8), triplets)

        let sampler = try PKBatchSampler(labels: labels, p: 4, k: 4, seed: 3)
        let batches = sampler.batches(epoch: 0)
        XCTAssertGreaterThan(batches.count, 3781 / 16 - 30)
        for batch in batches {
            XCTAssertEqual(batch.count, 16)
            let classes = stride(from: 0, to: 16, by: 4).map { labels[batch[$0]] }
            XCTAssertEqual(Set(classes).count, 4)
            for (c, start) in stride(from: 0, to: 16, by: 4).enumerated() {
                XCTAssertTrue(batch[start..<start + 4].allSatisfy { labels[$0] == classes[c] })
            }
        }
        XCTAssertEqual(sampler.batches(epoch: 0), batches)
        XCTAssertNotEqual(sampler.batches(epoch: 1), batches)
    }
}
