import Foundation
import LookKitCore
import Models
import StyleEmbedding
import Detection
import Torch
import Training

extension ModelExport {
    /// The export of a `lookkit train` checkpoint: its network as `lookkit embed` / `eval gender` run it,
    /// at `size` (default: the run's image size), photos fitted to size² by the run's resize rule as evaluation reads them.
    public static func checkpoint(_ url: URL, size: Int? = nil) throws -> ModelExport {
        let task = try RestoredModel.task(of: url)
        if task == .detector { return try detector(url, size: size) }
        if task == .style {
            throw ConfigError("\(url.path) is a style embedder, which exports as two files: one with --part scene, one with --part product")
        }
        let restored = try RestoredModel(checkpoint: url, for: task.use)
        let side = size ?? restored.config.data.imageSize
        let input = InputPreprocessing(size: [side, side], mean: restored.network.normalization.mean, std: restored.network.normalization.std,
                                       resize: restored.network.resize.rawValue, interpolation: "area")
        let output: ExportedOutput
        var module = restored.network.module
        switch module {
        case let embedder as TripletEmbedder:
            output = ExportedOutput(name: "embeddings", shape: [-1, embedder.embeddingDimension], meaning: "unit-length embeddings; rank by dot product")
        case let autoencoder as ConvAutoencoder:
            module = AutoencoderEmbedding(autoencoder)
            output = ExportedOutput(name: "embeddings", shape: [-1, autoencoder.bottleneck.weight.shape[0]],
                                    meaning: "unit-length bottleneck codes; rank by dot product")
        case let classifier as BackboneClassifier:
            output = ExportedOutput(name: "logits", shape: [-1, restored.classes.count], meaning: "class logits in the order of `names`; softmax for probabilities")
        default:
            throw TorchError("\(url.path): a '\(task.rawValue)' model has no ONNX export yet (embedder, autoencoder, gender and detector checkpoints do)", category: .badConfig)
        }
        var export = ModelExport(module: try exportable(module, url), input: input, output: output, task: task.rawValue,
                                 classes: restored.classes)
        export.source = url
        return export
    }

    /// One side of a trained style embedder (`StyleRoleNetwork`): scenes letterboxed (grey 114) to the
    /// run's image size, products letterboxed on white to its product size, as training prepared them.
    public static func style(_ url: URL, part: StyleRoleNetwork.Role, size: Int? = nil) throws -> ModelExport {
        let restored = try RestoredModel(checkpoint: url, for: .style)
        guard let embedder = restored.network.module as? StyleEmbedder else { throw TorchError("\(url.path): not a style embedder", category: .badInput) }
        let network = StyleRoleNetwork(embedder, role: part)
        let side = size ?? (part == .scene ? restored.config.data.imageSize : restored.config.style.productSize)
        let (d, k) = (network.embeddingDimension, network.keyDimension)
        let regions = part == .scene ? try network.regionCount(side: side) : 1
        let layout = part == .scene
            ? "per scene: global unit vector (\(d)) | the \(regions) regions' local unit vectors (\(regions)×\(d), region-major) | their attention keys (\(regions)×\(k))"
            : "per product: global unit vector (\(d)) | local unit vector (\(d)) | attention key (\(k))"
        let width = try network.rowWidth(side: side)
        let padValue: Int = part == .scene ? 114 : 255
        let distances = "d_g = ‖g_s − g_p‖², a_i = softmax_i(−‖key_i − key_p‖²), d_l = Σ_i a_i ‖l_i − l_p‖², hybrid = (d_g + d_l)/2"
        var export = ModelExport(module: network,
                                 input: InputPreprocessing(size: [side, side], mean: restored.network.normalization.mean,
                                                           std: restored.network.normalization.std, resize: "letterbox",
                                                           interpolation: "area", padValue: padValue),
                                 output: ExportedOutput(name: "\(part.rawValue)_vectors", shape: [-1, width],
                                                        meaning: "\(layout); \(distances)"),
                                 task: "style-\(part.rawValue)", classes: [])
        export.source = url
        return export
    }

    /// A trained YOLOv5: letterboxed RGB in [0, 1] in, the decoded head out (NMS stays with the runtime).
    public static func detector(_ url: URL, size: Int?) throws -> ModelExport {
        try detector(RestoredDetector(checkpoint: url), source: url, size: size)
    }

    /// A YOLOv5 from a state dict as ultralytics names it (e.g. `torch.save(dict(model.state_dict()))`).
    public static func detector(weights url: URL, model name: String, classes: Int, size: Int?) throws -> ModelExport {
        try detector(RestoredDetector(weights: url, model: name, classes: classes), source: url, size: size)
    }

    static func detector(_ restored: RestoredDetector, source url: URL, size: Int?) throws -> ModelExport {
        let side = restored.imageSize(size)
        let boxes = restored.model.detect.strides.map { (side / $0) * (side / $0) }.reduce(0, +) * restored.model.detect.anchorsPerLevel
        var export = ModelExport(module: restored.model,
                                 input: InputPreprocessing(size: [side, side], mean: [0, 0, 0], std: [1, 1, 1], resize: "letterbox",
                                                           interpolation: "linear", padValue: 114),
                                 output: ExportedOutput(name: "output0", shape: [-1, boxes, 5 + restored.names.count],
                                                        meaning: "per box: centre x, y, width, height (input pixels), objectness, class probabilities; NMS not applied"),
                                 task: "detector", classes: restored.names)
        export.source = url
        return export
    }

    /// Unit-length pooled features of a backbone (`--backbone NAME [--weights FILE]`), ImageNet-normalised at size².
    /// Without weights the backbone is randomly initialised from `seed`, as `--backbone` evaluation seeds it.
    public static func backbone(_ architecture: Architecture, weights: String?, size: Int, seed: UInt64 = 0) throws -> ModelExport {
        Torch.manualSeed(seed)
        let network = try architecture.featureNetwork(weights: weights)
        guard let embedding = network.module as? PooledEmbedding else { throw TorchError("\(architecture.rawValue) gives no pooled features", category: .badConfig) }
        var export = ModelExport(module: embedding, input: InputPreprocessing(size: [size, size], mean: network.normalization.mean,
                                                                              std: network.normalization.std, resize: "stretch", interpolation: "area"),
                                 output: ExportedOutput(name: "embeddings", shape: [-1, embedding.backbone.featureDimension],
                                                        meaning: "unit-length pooled features; rank by dot product"), task: "features")
        export.source = weights.map { URL(fileURLWithPath: $0) }
        return export
    }

    private static func exportable(_ module: Module, _ url: URL) throws -> any ONNXExportable & UnaryLayer {
        guard let exportable = module as? any ONNXExportable & UnaryLayer else {
            throw TorchError("\(url.path): a \(type(of: module)) has no ONNX form yet", category: .badConfig)
        }
        return exportable
    }
}
