import ArgumentParser
import Datasets
import Foundation
import LookKitCore

extension DataCommand {
    /// `lookkit data boards`: a synthetic detection dataset of style boards with exact boxes.
    struct Boards: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compose style boards from product photos into a YOLO dataset.",
            discussion: """
                Reads a Myntra-style styles.csv (fashion-product-images-sample), keeps products whose \
                subCategory maps to topwear, bottomwear, footwear, bag or accessory, and pastes 3-6 of \
                them, trimmed to their foreground, on each white canvas. Boxes are the pasted rectangles, \
                so labels are exact. Writes images/{train,val}, labels/{train,val} and data.yaml under \
                --out; the same --seed always writes the same boards. \
                Exit codes: 0 written, 2 unusable input.
                """)

        @Option(help: "The products' styles.csv (images beside it in images/).") var styles: String
        @Option(help: "Only products of this gender (e.g. Women); repeat for several.") var gender: [String] = []
        @Option(help: "Folder to write the dataset into.") var out: String
        @Option(help: "Boards to compose.") var count = 200
        @Option(help: "Canvas side in pixels.") var size = 640
        @Option(help: "Every N-th board goes to the val split (0: none).") var valEvery = 5
        @Option(help: "Random seed.") var seed: UInt64 = 0

        func validate() throws {
            guard count > 0 else { throw ValidationError("--count must be positive") }
            guard size >= 64 else { throw ValidationError("--size must be at least 64") }
            guard valEvery >= 0 else { throw ValidationError("--val-every must be 0 or more") }
        }

        func run() throws {
            try OutputFile.checkWritableFolder(out)
            do {
                let loaded = try ProductStylesReader.read(URL(fileURLWithPath: styles))
                for issue in loaded.issues { FileHandle.standardError.write(Foundation.Data("skipped \(issue)\n".utf8)) }
                let styles = gender.isEmpty ? loaded.records : loaded.records.filter { gender.contains($0.gender) }
                var composer = try StyleBoardComposer(products: CoarseFashionClass.products(from: styles),
                                                      names: CoarseFashionClass.names)
                (composer.width, composer.height) = (size, size)
                var progress = ProgressBar(total: count, label: "composing", unit: "board")
                let yaml = try composer.writeDataset(to: URL(fileURLWithPath: out), count: count, seed: seed,
                                                     valEvery: valEvery) { progress.update($0) }
                print("\(count) boards from \(composer.products.count) products written; dataset: \(yaml.path)")
            } catch where error is DataIssue || error is VisionError {
                FileHandle.standardError.write(Foundation.Data("error: \(error)\n".utf8))
                throw ExitCode(2)
            }
        }
    }
}
