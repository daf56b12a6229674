import ArgumentParser
import Datasets
import Foundation
import LookKitCore
import Pipeline

/// `lookkit recommend`: buy me that look, for photos on disk.
struct RecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend", abstract: "Similar and complementary catalog products for the garments worn in photos.",
        discussion: """
            Per photo: the pose gate (full shot, front facing), the wearer's gender, each garment detected with the \
            catalog products most like it (same gender or Unisex, categories its class maps to), and products of the \
            categories the photo does not show, ranked by the style embedder's hybrid distance. --json prints one JSON \
            array; --html writes a page with the boxes and product thumbnails. A photo the gate rejects (enforce) still \
            gets its verdict. \(ErrorCategory.exitCodeTable)
            """)

    @Argument(help: "Photos to recommend for.") var photos: [String]
    @Option(help: "A catalog folder of `lookkit catalog build`.") var catalog: String
    @Option(help: "Products per garment and per complementary category.") var k = 5
    @Option(help: "enforce: stop at a rejected pose; warn: report it and go on; off: no pose check.") var poseGate: PoseGateMode = .warn
    @Flag(help: "Print the results as JSON.") var json = false
    @Option(help: "Write an HTML page of the results here.") var html: String?
    @OptionGroup var models: PipelineModelOptions

    func validate() throws {
        guard k > 0 else { throw ValidationError("--k must be positive") }
    }

    func run() throws {
        if let html { try OutputFile.checkWritable(html) }
        let recommender = try models.recommender(catalog: catalog, poseGate: poseGate != .off)
        var page = RecommendationPage(productImage: recommender.productImageURL)
        var results: [Recommendation] = [], unreadable = 0
        for path in photos {
            // One bad photo is named and skipped; the others' results are still printed and written.
            let photo: Image
            do { photo = try Image(contentsOf: URL(fileURLWithPath: path)) } catch {
                FileHandle.standardError.write(Data("skipped \(path): \(error)\n".utf8))
                unreadable += 1
                continue
            }
            let result = try recommender.recommend(photo, name: path, options: RecommendOptions(k: k, poseGate: poseGate))
            results.append(result)
            if html != nil { try page.add(result, photo: photo) }
            if !json { print("\(path): \(RecommendationPage.summary(result))") }
        }
        if json { print(try jsonString(results)) }
        if let html {
            try OutputFile.write(Data(page.html.utf8), toPath: html)
            if !json { print("page → \(html)") }
        }
        if unreadable > 0 { throw VisionError("\(counted(unreadable, "photo")) of \(photos.count) could not be read (named above)") }
    }
}
