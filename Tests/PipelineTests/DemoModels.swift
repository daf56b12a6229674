import Datasets
import Foundation
import Pipeline
import TestSupport
import XCTest

/// The demo's committed weights expanded once per test run against the ImageNet backbone of
/// `make weights` (`make test` fetches it), and a small catalog of demo photos whose genders are set
/// so that every gender filter matters: real networks, nothing of ../shared needed.
enum DemoModels {
    static let root = ReferencePython.packageRoot
    static let bundle = root.appendingPathComponent("datasets/demo")
    static let backbone = root.appendingPathComponent("checkpoints/pretrained/efficientnet_lite0.safetensors")

    struct Loaded {
        let work: URL
        let files: PipelineModelFiles
        let catalog: URL
        let records: [CatalogRecord]
    }

    nonisolated(unsafe) private static var loaded: Result<Loaded, Error>?
    private static let lock = NSLock()

    /// Expanded weights and the catalog, made on first use; a skip when `make weights` has not run.
    static func shared() throws -> Loaded {
        guard FileManager.default.fileExists(atPath: backbone.path) else {
            throw XCTSkip("\(backbone.path) is absent: `make weights` fetches the ImageNet backbone the demo weights extend")
        }
        return try lock.withLock {
            if loaded == nil { loaded = Result { try make() } }
            return try loaded!.get()
        }
    }

    /// Genders the test catalog gives each demo class: Men, Women and Unisex products in shirts, pants and shoes alike.
    static func gender(index: Int) -> String {
        ["Men", "Women", "Unisex"][index % 3]
    }

    private static func make() throws -> Loaded {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("lookkit-demo-models-\(getpid())")
        try? FileManager.default.removeItem(at: work)
        let demo = LookDemo(bundle: bundle, work: work, backbone: backbone, poseGraph: work.appendingPathComponent("no-pose-graph.pb"))
        try demo.expandWeights()
        let files = demo.files
        // The validation photos (12 per class), genders rotated through Men, Women, Unisex.
        let all = try CatalogCSVReader.read(bundle.appendingPathComponent("catalog.csv"), images: bundle.appendingPathComponent("clothing"), onBadRow: .fail)
        let records = all.records.filter { $0.id.hasPrefix("validation/") }.enumerated().map { i, r in
            CatalogRecord(id: r.id, image: r.image, gender: gender(index: i), category: r.category)
        }
        let catalog = work.appendingPathComponent("catalog")
        _ = try CatalogBuilder().build(records, embedder: PhotoNetwork(checkpoint: files.embedder, for: .embedding),
                                       style: StyleSides(checkpoint: files.style), out: catalog)
        return Loaded(work: work, files: files, catalog: catalog, records: records)
    }
}

/// A pose check that says what it was told: the pipeline's handling of verdicts, without the keypoint model.
struct FixedPose: PoseChecking {
    let verdict: Recommendation.PoseVerdictJSON
    func verdict(_ photo: Image) throws -> Recommendation.PoseVerdictJSON { verdict }
}
