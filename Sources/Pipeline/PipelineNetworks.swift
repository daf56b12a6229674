import Datasets
import Detection
import Foundation
import LookKitCore
import ModelEvaluation
import StyleEmbedding
import Torch
import Training

/// Where the pipeline's trained files are; each defaults to the run folder its `make reproduce-*`
/// target leaves, and each can be pointed elsewhere.
public struct PipelineModelFiles: Sendable, Equatable {
    public var detector: URL
    public var gender: URL
    public var embedder: URL
    public var style: URL
    /// The OpenPose-style keypoint graph (`make weights`).
    public var pose: URL

    public init(checkpoints: URL = URL(fileURLWithPath: "checkpoints")) {
        let best = { checkpoints.appendingPathComponent($0).appendingPathComponent("best.safetensors") }
        (detector, gender, embedder, style) = (best("detector"), best("gender"), best("embedder"), best("style"))
        pose = checkpoints.appendingPathComponent("pretrained/pose_mobilenet_thin.pb")
    }

    /// The four trained networks by name (the pose graph is pretrained as it ships).
    public var trained: [(name: String, file: URL)] { [("detector", detector), ("gender", gender), ("embedder", embedder), ("style", style)] }
}

/// A restored photo network (a classifier or an embedder) run on decoded photos, prepared as its
/// run prepared them. One lock per network: concurrent requests take turns on it.
public final class PhotoNetwork: @unchecked Sendable {
    public let network: TaskNetwork
    public let size: Int
    public let classes: [String]
    public let file: URL
    public let device: Device
    private let lock = NSLock()

    public init(checkpoint: URL, for use: ModelUse, device: Device = .cpu) throws {
        let restored = try RestoredModel(checkpoint: checkpoint, for: use)
        try restored.network.module.move(to: device)
        (network, size, classes, file, self.device) = (restored.network, restored.config.data.imageSize, restored.classes, checkpoint, device)
    }

    /// One output row per photo ([photos, width]).
    public func outputs(_ images: [Image]) throws -> Tensor {
        try lock.withLock { try network.outputs(images: images, size: size, device: device) }
    }
}

/// A trained detector with the pipeline's NMS (ultralytics detect.py's defaults).
public final class GarmentDetector: @unchecked Sendable {
    public let names: [String]
    /// The run that trained it (its validation carve).
    public let config: RunConfig?
    private let predictor: YOLOPredictor
    private let lock = NSLock()

    public init(checkpoint: URL, device: Device = .cpu, confidence: Double = 0.25) throws {
        let restored = try RestoredDetector(checkpoint: checkpoint)
        try restored.model.move(to: device)
        var nms = NonMaxSuppression()
        nms.confidence = confidence
        (names, config) = (restored.names, restored.config)
        predictor = YOLOPredictor(model: restored.model, size: restored.imageSize(nil), nms: nms, device: device)
    }

    /// The photo's detections in its own pixels, most confident first.
    public func callAsFunction(_ photo: Image) throws -> [ScoredBox] {
        try lock.withLock { try predictor([photo])[0] }
    }

    /// The `limit` most confident garments and their crops (what the gender vote and the embedder
    /// see); a box with no whole pixel inside the photo is no garment.
    public func garments(in photo: Image, limit: Int) throws -> [(box: ScoredBox, crop: Image)] {
        try self(photo).prefix(limit).compactMap { detection in
            let rect = detection.box.pixelRect(clippedTo: photo)
            return rect.width > 0 && rect.height > 0 ? (detection, try photo.cropped(to: rect)) : nil
        }
    }
}

/// Both sides of a trained style embedder: product rows for a catalog, a scene row per photo, and
/// the hybrid distance between them (`StyleRoleNetwork`; the ONNX exports give the same rows).
public final class StyleSides: @unchecked Sendable {
    public let scene: StyleRoleNetwork
    public let product: StyleRoleNetwork
    public let pictures: OutfitPictures
    public let file: URL
    private let normalization: (mean: [Float], std: [Float])
    private let device: Device
    private let lock = NSLock()

    public init(checkpoint: URL, device: Device = .cpu) throws {
        let restored = try RestoredModel(checkpoint: checkpoint, for: .style)
        guard let embedder = restored.network.module as? StyleEmbedder else {
            throw MalformedFile(file: checkpoint.path, reason: "does not hold a style embedder")
        }
        try embedder.move(to: device)
        embedder.eval()
        scene = StyleRoleNetwork(embedder, role: .scene)
        product = StyleRoleNetwork(embedder, role: .product)
        pictures = OutfitPictures(sceneSize: restored.config.data.imageSize, productSize: restored.config.style.productSize, seed: 0)
        (normalization, self.device, file) = (restored.network.normalization, device, checkpoint)
    }

    /// Product rows of photos already letterboxed on white at the product size (`pictures.product`).
    public func productRows(_ products: [Image]) throws -> Tensor { try rows(product, products) }

    /// The scene row of a photo (letterboxed grey at the scene size, as street scenes trained).
    public func sceneRow(_ photo: Image) throws -> Tensor { try rows(scene, [try pictures.scene(photo: photo)]) }

    /// Hybrid distances (d_g + d_l)/2 from one scene row to each product row (smaller: goes better).
    public func hybridDistances(sceneRow: Tensor, productRows: Tensor) throws -> [Float] {
        try StyleRoleNetwork.distances(scene: sceneRow, product: productRows, embeddingDimension: scene.embeddingDimension,
                                       keyDimension: scene.keyDimension).hybrid.floats()
    }

    private func rows(_ side: StyleRoleNetwork, _ images: [Image]) throws -> Tensor {
        try lock.withLock {
            let input = try imageBatchTensor(images, mean: normalization.mean, std: normalization.std).to(device)
            return try withoutGrad { try side(input) }.to(.cpu, dtype: .float32)
        }
    }
}
