import ArgumentParser
import Data
import Foundation
import Models
import Torch

/// The main job on the bundled data: trains a small CNN on the demo clothing photos and prints
/// loss and validation accuracy.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Train a small CNN on the bundled clothing photos and report validation accuracy.")

    @Option(help: "Folder with train/ and validation/ class folders.")
    var data = "datasets/demo/clothing"

    @Option(help: "Training steps.") var steps = 500
    @Option(help: "Images are resized to SIZE×SIZE.") var size = 32
    @Option(help: "Batch size.") var batchSize = 32
    @Option(help: "cpu, cuda or cuda:N.") var device = "cpu"
    @Option(help: "Intra-op threads (default: all cores).") var threads: Int?
    @Option(help: "Random seed.") var seed: UInt64 = 0

    func run() throws {
        if let threads { Torch.threads = threads }
        let root = URL(fileURLWithPath: data)
        let train = try ImageFolderReader.read(root.appendingPathComponent("train"), split: "train")
        let validation = try ImageFolderReader.read(root.appendingPathComponent("validation"), split: "validation")
        for issue in train.issues + validation.issues { print("warning: \(issue)") }
        let trainSet = try ImageSetTensors(train.records, size: size)
        let validationSet = try ImageSetTensors(validation.records, size: size, classes: trainSet.classes)
        print("data: \(root.path): \(trainSet.files.count) train / \(validationSet.files.count) validation images, "
            + "\(trainSet.classes.count) classes (chance = \(String(format: "%.1f", 100.0 / Double(trainSet.classes.count)))%)")

        var config = ClassifierTrainingConfig()
        (config.steps, config.batchSize, config.seed, config.device) = (steps, batchSize, seed, try Device(device))
        let model = try SmallCNN(classes: trainSet.classes.count)
        print("model: SmallCNN, \(model.parameterCount) parameters, device \(config.device), \(Torch.threads) threads")
        let validationTensors = LabeledTensors(images: validationSet.images, labels: validationSet.labels)
        var bar = ProgressBar(total: steps, label: "train", unit: "step")
        try trainClassifier(model, train: LabeledTensors(images: trainSet.images, labels: trainSet.labels), config: config) { step in
            bar.update(step.step, String(format: "loss %.3f", step.loss))
            guard step.step % 50 == 0 || step.step == step.totalSteps else { return }
            let accuracy = try classificationAccuracy(model, validationTensors, device: config.device)
            FileHandle.standardError.write(Data("\n".utf8))
            print(String(format: "step %4d  epoch %3d  loss %.4f  lr %.2e  validation accuracy %.1f%%",
                         step.step, step.epoch, step.loss, step.learningRate, 100 * accuracy))
        }
    }
}
