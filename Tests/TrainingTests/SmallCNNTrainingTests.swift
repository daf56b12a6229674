import Datasets
import Foundation
import Models
import Training
import TestSupport
import Torch
import XCTest

/// The small CNN learns real clothing photos: trained from Swift on a few hundred 32×32 images of
/// clothing-dataset-small, it must classify held-out validation photos far above chance (10%).
final class SmallCNNTrainingTests: XCTestCase {
    /// The first `perClass` images of each class in `split`, by file name.
    private func subset(_ split: String, perClass: Int) throws -> [LabeledImage] {
        let all = try ImageFolderReader.read(try SharedData.dataset("clothing-dataset-small/\(split)"), split: split).records
        return Dictionary(grouping: all, by: \.label).sorted { $0.key < $1.key }.flatMap { $0.value.prefix(perClass) }
    }

    func testTrainsWellAboveChanceOnRealClothingPhotos() throws {
        Torch.threads = 2
        let train = try ImageSetTensors(subset("train", perClass: 40), size: 32)
        let validation = try ImageSetTensors(subset("validation", perClass: 12), size: 32, classes: train.classes)
        XCTAssertEqual(train.classes.count, 10)
        var config = ClassifierTrainingConfig()
        config.steps = 300
        let model = try SmallCNN(classes: 10)
        let validationTensors = LabeledTensors(images: validation.images, labels: validation.labels)
        let before = try classificationAccuracy(model, validationTensors)
        var history: [StepRecord] = []
        try trainClassifier(model, train: LabeledTensors(images: train.images, labels: train.labels), config: config) {
            history.append($0)
        }
        let accuracy = try classificationAccuracy(model, validationTensors)
        print("small CNN: validation accuracy \(before) before, \(accuracy) after \(config.steps) steps on \(train.files.count) images")
        XCTAssertGreaterThan(accuracy, 0.3, "chance is 0.1")
        let losses = history.map(\.loss)
        let (early, late): (Double, Double) = (losses.prefix(20).reduce(0, +) / 20, losses.suffix(20).reduce(0, +) / 20)
        XCTAssertLessThan(late, early, "training loss must fall")
    }
}
