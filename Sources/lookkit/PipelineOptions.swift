import ArgumentParser
import Foundation
import Pipeline
import Torch

/// The model files `recommend` and `serve` load, each defaulting to its `make reproduce-*` run folder.
struct PipelineModelOptions: ParsableArguments {
    @Option(help: "Folder holding detector/, gender/, embedder/, style/ (each with best.safetensors) and pretrained/.") var checkpoints = "checkpoints"
    @Option(help: "Detector weights (default: <checkpoints>/detector/best.safetensors).") var detector: String?
    @Option(help: "Gender classifier weights (default: <checkpoints>/gender/best.safetensors).") var gender: String?
    @Option(help: "Similarity embedder weights; must be the one the catalog was built with.") var embedder: String?
    @Option(help: "Style embedder weights (Complete the Look); must be the one the catalog was built with.") var style: String?
    @Option(help: "Keypoint graph of the pose gate (default: <checkpoints>/pretrained/pose_mobilenet_thin.pb, from `make weights`).") var pose: String?
    @Option(help: "Read the wearer's gender from the whole photo or from a vote over the garment crops.") var genderFrom: GenderSource = .garments
    @Option(help: "cpu, cuda or cuda:N.") var device = "cpu"

    var files: PipelineModelFiles {
        var files = PipelineModelFiles(checkpoints: URL(fileURLWithPath: checkpoints))
        if let detector { files.detector = URL(fileURLWithPath: detector) }
        if let gender { files.gender = URL(fileURLWithPath: gender) }
        if let embedder { files.embedder = URL(fileURLWithPath: embedder) }
        if let style { files.style = URL(fileURLWithPath: style) }
        if let pose { files.pose = URL(fileURLWithPath: pose) }
        return files
    }

    func recommender(catalog: String, poseGate: Bool) throws -> PipelineRecommender {
        try PipelineRecommender(catalog: URL(fileURLWithPath: catalog), models: files, device: Device.usable(device), genderSource: genderFrom,
                                poseGate: poseGate)
    }
}

extension GenderSource: ExpressibleByArgument {}
extension PoseGateMode: ExpressibleByArgument {}
