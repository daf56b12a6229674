import ArgumentParser
import Foundation
import LookKitCore
import Training

/// `lookkit weights`: trained weights stored as what training changed (the demo's committed files).
struct WeightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weights", abstract: "Compact trained weights against their pretrained backbone, and expand them back.",
        subcommands: [Compact.self, Expand.self])

    struct Compact: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Keep only the tensors that differ from the backbone file, as float16.",
            discussion: "A network trained on a frozen backbone shrinks to its head. \(ErrorCategory.exitCodeTable)")
        @Option(help: "Trained weights (a best.safetensors of `lookkit train`).") var checkpoint: String
        @Option(help: "The pretrained backbone file the run started from.") var base = "checkpoints/pretrained/efficientnet_lite0.safetensors"
        @Option(help: "Output file.") var out: String

        func run() throws {
            try OutputFile.checkWritable(out)
            let counts = try CompactWeights.write(checkpoint: URL(fileURLWithPath: checkpoint), base: URL(fileURLWithPath: base), to: URL(fileURLWithPath: out))
            let size = ((try? FileManager.default.attributesOfItem(atPath: out))?[.size] as? Int) ?? 0
            print("\(counted(counts.kept, "tensor")) kept, \(counts.fromBase) from the backbone → \(out) (\(String(format: "%.2f", Double(size) / 1e6)) MB)")
        }
    }

    struct Expand: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild full float32 weights from compact ones and the same backbone file.",
            discussion: ErrorCategory.exitCodeTable)
        @Option(help: "Compact weights (`lookkit weights compact`).") var compact: String
        @Option(help: "The backbone file they were compacted against.") var base = "checkpoints/pretrained/efficientnet_lite0.safetensors"
        @Option(help: "Output file.") var out: String

        func run() throws {
            try CompactWeights.expand(URL(fileURLWithPath: compact), base: URL(fileURLWithPath: base), to: URL(fileURLWithPath: out))
            print("→ \(out)")
        }
    }
}
