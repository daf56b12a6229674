import Datasets
import Foundation
import LookKitCore
import Training

/// `make demo`: the whole pipeline on the bundled data, without ../shared. The demo's trained weights
/// are committed as compact files (`CompactWeights`: what training changed, float16) and expanded
/// here against the ImageNet backbone `make weights` fetches; the catalog is the bundled CC0 clothing
/// photos, built once; every bundled photo is then recommended for and the results paged.
public struct LookDemo {
    /// datasets/demo: weights/, photos/, catalog.csv and the clothing/ photos it names.
    public let bundle: URL
    /// Where expanded weights, the catalog and the page go (checkpoints/demo).
    public let work: URL
    public let files: PipelineModelFiles
    public let backbone: URL
    public var k = 4

    public init(bundle: URL, work: URL, backbone: URL, poseGraph: URL) {
        (self.bundle, self.work, self.backbone) = (bundle, work, backbone)
        var files = PipelineModelFiles(checkpoints: work)
        files.pose = poseGraph
        self.files = files
    }

    public func photos() throws -> [URL] {
        let photos = try imageFiles(under: bundle.appendingPathComponent("photos"))
        guard !photos.isEmpty else { throw NotFoundError("\(bundle.appendingPathComponent("photos").path): no photos to recommend for") }
        return photos
    }
    public var catalog: URL { work.appendingPathComponent("catalog") }
    public var page: URL { work.appendingPathComponent("look.html") }

    /// Expands the four compact files (again only when a bundled one is newer than its expansion).
    public func expandWeights() throws {
        for (name, out) in files.trained {
            let compact = bundle.appendingPathComponent("weights/\(name).safetensors")
            guard FileManager.default.fileExists(atPath: compact.path) else { throw NotFoundError("\(compact.path): missing demo weights (`make demo-weights` makes them)") }
            if let made = modified(out), let source = modified(compact), made >= source { continue }
            try CompactWeights.expand(compact, base: backbone, to: out)
        }
    }

    /// Builds the catalog unless one built with these very weights is there.
    public func buildCatalogIfNeeded(log: (String) -> Void) throws {
        if let existing = try? Catalog(folder: catalog), (try? PipelineRecommender.checkBuiltWith(existing, embedder: files.embedder, style: files.style)) != nil {
            return
        }
        try? FileManager.default.removeItem(at: catalog)
        let records = try CatalogCSVReader.read(bundle.appendingPathComponent("catalog.csv"), images: bundle.appendingPathComponent("clothing"), onBadRow: .fail)
        let summary = try CatalogBuilder().build(records.records, embedder: PhotoNetwork(checkpoint: files.embedder, for: .embedding),
                                                 style: StyleSides(checkpoint: files.style), out: catalog)
        log("catalog: \(counted(summary.products, "product")) in \(counted(summary.groups.count, "group")) → \(catalog.path)")
    }

    /// Every bundled photo through the pipeline (pose gate warns), with the page written.
    public func run(log: (String) -> Void) throws -> [Recommendation] {
        try expandWeights()
        try buildCatalogIfNeeded(log: log)
        let recommender = try PipelineRecommender(catalog: catalog, models: files)
        var html = RecommendationPage(title: "LookKit demo: buy me that look", productImage: recommender.productImageURL)
        var results: [Recommendation] = []
        for url in try photos() {
            let photo = try Image(contentsOf: url)
            let result = try recommender.recommend(photo, name: url.lastPathComponent, options: RecommendOptions(k: k, poseGate: .warn))
            try html.add(result, photo: photo)
            log("\(url.lastPathComponent): \(RecommendationPage.summary(result))")
            results.append(result)
        }
        try OutputFile.write(Data(html.html.utf8), toPath: page.path)
        log("page → \(page.path)")
        return results
    }

    private func modified(_ url: URL) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
    }
}
