import Datasets
import Experiments
import Foundation
import LookKitCore
import StyleEmbedding
import TestSupport
import Torch
@testable import Training
import XCTest

/// The style embedder trained a few steps on MANGO outfits through the shared job.
final class StyleTrainingTests: XCTestCase {
    override func setUp() { Torch.threads = 2 }

    func testOutfitTripletsTrainAndFITBValidates() throws {
        let mango = try SharedData.dataset("mango-outfits-sample")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("lookkit-style-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: work) }
        var config = RunConfig(name: "style", task: .style, model: .init(architecture: .efficientnetLite0), data: .init(root: mango.path), steps: 4)
        (config.batchSize, config.data.imageSize, config.style.productSize, config.data.workers) = (4, 64, 48, 1)
        (config.style.distance, config.checkpointEvery, config.validateEvery, config.style.validationFraction) = (.local, 0, 0, 0.1)
        config.style.validationBlanks = 1  // one question per held-out outfit keeps the test short
        config.project = work.path
        var job = TrainingJob(config: config)
        job.database = work.appendingPathComponent("runs.db").path
        let task = try StyleTask(config: config, device: .cpu)
        // Split by outfit: no validation question uses a training product.
        let trainProducts = Set(task.trainSet.first.triplets.flatMap { $0.outfit.items.map(\.id) })
        for question in task.validation {
            XCTAssertTrue(Set((question.context + question.answers).map(\.id)).isDisjoint(with: trainProducts), question.outfitID)
        }
        // Only the heads train while the backbone stays frozen.
        XCTAssertTrue(task.embedder.namedTrainableParameters().allSatisfy { !$0.0.hasPrefix("backbone.") })

        let outcome = try job.run()
        let rows = try String(contentsOf: outcome.folder.results, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.first, "epoch,step,train_loss,lr,compatibility_auc,fitb_accuracy")
        let (auc, accuracy) = (try XCTUnwrap(rows.last.flatMap { Double($0.split(separator: ",")[4]) }),
                               try XCTUnwrap(rows.last.flatMap { Double($0.split(separator: ",")[5]) }))
        XCTAssertTrue((0...1).contains(accuracy) && (0...1).contains(auc))
        XCTAssertEqual(try SafeTensors.metadata(outcome.folder.best)["metric"], "fitb_accuracy")

        // The report shows where the local distance looks.
        let report = try String(contentsOf: outcome.folder.report, encoding: .utf8)
        XCTAssertTrue(report.contains("attention/question-1.jpg"), "attention maps in the report")
        XCTAssertNotNil(try Image(contentsOf: outcome.folder.url.appendingPathComponent("attention/question-1.jpg")))
        let seconds = try XCTUnwrap(SafeTensors.metadata(outcome.folder.best)["train_seconds"].flatMap(Double.init))
        XCTAssertTrue(seconds > 0 && seconds < 600, "training time recorded with the weights: \(seconds) s")

        // `lookkit eval fitb --checkpoint best` on the same questions written as JSONL scores as `best` did.
        let file = work.appendingPathComponent("questions.jsonl")
        let images = try FITBFile.write(try StyleTask.validationQuestions(config), to: file)
        let (questions, skipped) = try FITBFile.read(file, images: images)
        XCTAssertEqual([questions.count, skipped.count], [task.validation.count, 0])
        let restored = try RestoredModel(checkpoint: outcome.folder.best, for: .style)
        XCTAssertEqual(restored.trainingSeconds, seconds)
        let scorer = StyleScorer(embedder: try XCTUnwrap(restored.network.module as? StyleEmbedder), normalization: restored.network.normalization,
                                 distance: .local, device: .cpu)
        let pictures = OutfitPictures(sceneSize: 64, productSize: 48, seed: 0)
        let fitb = try scorer.fitb(questions, images: images, pictures: pictures, skipped: 0)
        XCTAssertEqual(fitb.accuracy, try XCTUnwrap(SafeTensors.metadata(outcome.folder.best)["score"].flatMap(Double.init)), accuracy: 1e-12)
        XCTAssertEqual(fitb.auc, auc, accuracy: 1e-9)

        // Ranking a catalog orders its products by the scorer's distances, batch size aside.
        let question = task.validation[0]
        let catalog = question.answers.map { CatalogProduct(image: $0.image!, category: $0.category) }
        let scene = try pictures.scene(photo: Image(contentsOf: question.context[0].image!))
        let direct = try scorer.distances(scene: scene, candidates: catalog.map { try pictures.product($0.image) })
        let ranked = try scorer.rank(scene: scene, catalog: catalog, category: question.answers[0].category, pictures: pictures, k: 3, batch: 4)
        XCTAssertEqual(ranked.ranked.map(\.product), Array(zip(catalog, direct).sorted { $0.1 < $1.1 }.map(\.0).prefix(3)))
        // One product per batch: the same distance for each product (batching changes only rounding).
        let single = try scorer.rank(scene: scene, catalog: catalog, category: nil, pictures: pictures, k: nil, batch: 1)
        XCTAssertEqual(single.ranked.count, 4)
        for (product, distance) in single.ranked {
            XCTAssertEqual(distance, direct[catalog.firstIndex(of: product)!], accuracy: 1e-5)
        }
        XCTAssertEqual(single.ranked.map(\.distance), single.ranked.map(\.distance).sorted())
    }
}
