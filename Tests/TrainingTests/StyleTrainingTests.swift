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
        config.project = work.path
        var job = TrainingJob(config: config)
        job.database = work.appendingPathComponent("runs.db").path
        let task = try StyleTask(config: config, device: .cpu)
        // Split by outfit: no validation question uses a training product.
        let trainProducts = Set(task.trainSet.triplets.flatMap { $0.outfit.items.map(\.id) })
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

        // `lookkit eval fitb --checkpoint best` on the same questions written as JSONL scores as `best` did.
        let images = mango.appendingPathComponent("images")
        let lines = task.validation.map { q -> String in
            let id = { (item: OutfitItem) in item.image!.deletingPathExtension().lastPathComponent }
            let object: [String: Any] = ["context": q.context.map(id), "candidates": q.answers.map(id), "answer": q.correct]
            return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
        let file = work.appendingPathComponent("questions.jsonl")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let (questions, skipped) = try FITBFile.read(file, images: images)
        XCTAssertEqual([questions.count, skipped.count], [task.validation.count, 0])
        let restored = try RestoredModel(checkpoint: outcome.folder.best, for: .style)
        let scorer = StyleScorer(embedder: try XCTUnwrap(restored.network.module as? StyleEmbedder), normalization: restored.network.normalization,
                                 distance: .local, device: .cpu)
        let fitb = try scorer.fitb(questions, images: images, pictures: OutfitPictures(sceneSize: 64, productSize: 48, seed: 0))
        XCTAssertEqual(fitb.accuracy, try XCTUnwrap(SafeTensors.metadata(outcome.folder.best)["score"].flatMap(Double.init)), accuracy: 1e-12)
    }
}
