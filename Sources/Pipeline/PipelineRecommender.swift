import Datasets
import Experiments
import Foundation
import LookKitCore
import Pose
import Torch

/// A pose check the pipeline can run (the keypoint gate; tests may give their own).
public protocol PoseChecking: Sendable {
    func verdict(_ photo: Image) throws -> Recommendation.PoseVerdictJSON
}

/// The pipeline: pose gate → detector → gender → garment embeddings → catalog search (same gender
/// or Unisex, categories the garment's class maps to) → complementary categories by style distance.
/// Models load once; each network has its own lock, so concurrent requests are safe.
public final class PipelineRecommender: Recommending, @unchecked Sendable {
    public let catalog: Catalog
    public let detector: GarmentDetector
    public let gender: PersonGender
    public let embedder: PhotoNetwork
    public let style: StyleSides?
    public let pose: (any PoseChecking)?
    public var genderSource: GenderSource
    /// Products of these genders go with any wearer.
    public var unisex: Set<String> = ["Unisex"]
    /// At most this many garments per photo, most confident first.
    public var maxArticles = 8

    public init(catalog: Catalog, detector: GarmentDetector, gender: PersonGender, embedder: PhotoNetwork, style: StyleSides?,
                pose: (any PoseChecking)?, genderSource: GenderSource = .garments) throws {
        try Self.checkBuiltWith(catalog, embedder: embedder.file, style: style?.file)
        (self.catalog, self.detector, self.gender, self.embedder, self.style, self.pose, self.genderSource) =
            (catalog, detector, gender, embedder, style, pose, genderSource)
    }

    /// Refuses weights other than those the catalog's vectors came from: they would not compare.
    public static func checkBuiltWith(_ catalog: Catalog, embedder: URL, style: URL?) throws {
        if let built = catalog.info["embedder_sha256"], built != (try FileDigest.sha256Hex(ofFile: embedder)) {
            throw ConfigError("\(catalog.folder.path) was built with the embedder \(catalog.info["embedder"] ?? "?"), not \(embedder.path): "
                              + "its vectors would not compare; pass that embedder or rebuild the catalog")
        }
        if let style, let built = catalog.info["style_sha256"], built != (try FileDigest.sha256Hex(ofFile: style)) {
            throw ConfigError("\(catalog.folder.path) was built with the style embedder \(catalog.info["style"] ?? "?"), not \(style.path)")
        }
    }

    public func productImageURL(id: String) -> URL? { catalog.product(id: id)?.image }

    public func recommend(_ photo: Image, name: String, options: RecommendOptions) throws -> Recommendation {
        guard options.k > 0 else { throw ConfigError("k must be positive, got \(options.k)") }
        var clock = StageClock()
        let verdict = try clock.time("pose") { try poseVerdict(photo, options.poseGate) }
        guard verdict.accepted || options.poseGate != .enforce else {
            return Recommendation(photo: name, pose: verdict, gender: nil, articles: [], completeTheLook: [], timingsMs: clock.finished())
        }
        let garments = try clock.time("detect") { try detector.garments(in: photo, limit: maxArticles) }
        let person = try clock.time("gender") {
            try gender(photo: photo, garments: garments.map { ($0.crop, $0.box.confidence) }, source: genderSource)
        }
        let genders = unisex.union([person.label])
        let vectors = try clock.time("embed") { garments.isEmpty ? [] : try embedder.outputs(garments.map(\.crop)).floats() }
        let width = garments.isEmpty ? 0 : vectors.count / garments.count
        let articles = try clock.time("search") {
            try garments.map(\.box).enumerated().map { i, box in
                let name = detector.names[box.classID]
                let hits = try catalog.similar(to: Array(vectors[i * width..<(i + 1) * width]), categories: catalog.categoryMap.categories(of: name),
                                               genders: genders, k: options.k)
                return Recommendation.Article(class: name, score: Float(box.confidence),
                                              box: [box.box.x1, box.box.y1, box.box.x2, box.box.y2].map(Float.init),
                                              similar: hits.map { product($0.row, score: $0.score) })
            }
        }
        let shown = Set(articles.map(\.class))
        let complementary = try clock.time("style") { try completeTheLook(photo, shown: shown, genders: genders, k: options.k) }
        return Recommendation(photo: name, pose: verdict, gender: person, articles: articles, completeTheLook: complementary,
                              timingsMs: clock.finished())
    }

    private func poseVerdict(_ photo: Image, _ mode: PoseGateMode) throws -> Recommendation.PoseVerdictJSON {
        guard mode != .off else { return .init(accepted: true, fullShot: true, frontFacing: true, reason: "pose gate off") }
        guard let pose else { throw ConfigError("the pose gate is on (--pose-gate \(mode.rawValue)) but no keypoint model is loaded; run `make weights` or pass --pose-gate off") }
        return try pose.verdict(photo)
    }

    /// Per detector class the photo does not show, the catalog products (right gender) closest to the
    /// photo in style by the hybrid distance; groups ordered by their best product.
    private func completeTheLook(_ photo: Image, shown: Set<String>, genders: Set<String>, k: Int) throws -> [Recommendation.ComplementaryGroup] {
        guard let style, let rows = catalog.styleRows else { return [] }
        let scene = try style.sceneRow(photo)
        var groups: [(group: Recommendation.ComplementaryGroup, best: Float)] = []
        for entry in catalog.categoryMap.entries where !shown.contains(entry.detectorClass) {
            let candidates = catalog.rows(categories: Set(entry.categories), genders: genders)
            guard !candidates.isEmpty else { continue }
            let distances = try style.hybridDistances(sceneRow: scene, productRows: Tensor(rows.rows(candidates).values, shape: [candidates.count, rows.columns]))
            let ranked = zip(candidates, distances).sorted { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.prefix(k)
            // Unit vectors put each distance in [0, 4]: 1 − d/2 reads like a cosine (higher goes better).
            let items = ranked.map { product($0.0, score: 1 - $0.1 / 2) }
            groups.append((.init(category: entry.detectorClass, items: items), ranked.first!.1))
        }
        return groups.sorted { $0.best < $1.best }.map(\.group)
    }

    private func product(_ row: Int, score: Float) -> Recommendation.Product {
        let p = catalog.products[row]
        return .init(id: p.id, score: score, gender: p.gender, category: p.category)
    }

}

/// Wall milliseconds per pipeline stage, and the total.
struct StageClock {
    private let start = DispatchTime.now()
    private var stages: [String: Double] = [:]

    mutating func time<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
        let begin = DispatchTime.now()
        defer { stages[stage, default: 0] += Self.milliseconds(since: begin) }
        return try body()
    }

    func finished() -> [String: Double] {
        var all = stages
        all["total"] = Self.milliseconds(since: start)
        return all.mapValues { ($0 * 10).rounded() / 10 }
    }

    private static func milliseconds(since begin: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - begin.uptimeNanoseconds) / 1e6
    }
}

extension PipelineRecommender {
    /// Loads the catalog and every model file once (the pose graph only when it will be used).
    public convenience init(catalog folder: URL, models: PipelineModelFiles, device: Device = .cpu, genderSource: GenderSource = .garments,
                            poseGate: Bool = true) throws {
        let style = FileManager.default.fileExists(atPath: models.style.path) ? try StyleSides(checkpoint: models.style, device: device) : nil
        try self.init(catalog: Catalog(folder: folder), detector: GarmentDetector(checkpoint: models.detector, device: device),
                      gender: PersonGender(classifier: PhotoNetwork(checkpoint: models.gender, for: .classification, device: device)),
                      embedder: PhotoNetwork(checkpoint: models.embedder, for: .embedding, device: device), style: style,
                      pose: poseGate ? try Self.loadPoseGate(models.pose) : nil, genderSource: genderSource)
    }

    static func loadPoseGate(_ graph: URL) throws -> (any PoseChecking)? {
        guard FileManager.default.fileExists(atPath: graph.path) else {
            throw NotFoundError("\(graph.path): the pose gate's keypoint graph is missing; `make weights` fetches it (or pass --pose-gate off)")
        }
        return try PoseGate(graph: graph)
    }
}

extension PoseGate: PoseChecking {
    public func verdict(_ photo: Image) throws -> Recommendation.PoseVerdictJSON {
        let verdict = try check(photo)
        return .init(accepted: verdict.accepted, fullShot: verdict.fullShot, frontFacing: verdict.frontFacing, reason: verdict.reason)
    }
}
