import Models
import Torch

extension StyleRoleNetwork: ONNXExportable {
    /// The rows `callAsFunction` gives. Scene regions are the cells of the backbone's last map:
    /// [N, C, H, W] → [N·R, C] rows through the local head and the key, then back to one row per scene.
    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        let backbonePath = onnxPath(path, "embedder.backbone")
        guard let backbone = embedder.backbone as? any ONNXMapExportable else {
            throw TorchError("ONNX export: \(backbonePath) is a \(type(of: embedder.backbone)), which has no ONNX feature map", category: .badInput)
        }
        let lastMap = embedder.backbone.stageNames.filter { $0 != "avgpool" }.last
        guard embedder.regionStage == lastMap else {
            throw TorchError("ONNX export: regions come from stage \(embedder.regionStage); only the last map (\(lastMap ?? "none")) exports", category: .badConfig)
        }
        let (d, c) = (embeddingDimension, embedder.backbone.featureDimension)
        let map = try backbone.exportFeatureMap(input, path: backbonePath, to: &graph)
        let pooled = graph.op("Flatten", [graph.op("GlobalAveragePool", [map], name: onnxPath(path, "avgpool"))], name: onnxPath(path, "avgpool"),
                              attributes: [.int("axis", 1)])
        func unit(_ head: Sequential, _ x: String, _ name: String) throws -> String {
            try ONNXOps.l2Normalized(head.exportONNX(x, path: onnxPath(path, "embedder.\(name)"), to: &graph), dimension: d,
                                     name: onnxPath(path, "normalize_\(name)"), to: &graph)
        }
        let global = try unit(embedder.global, pooled, "global")
        let parts: [String]
        switch role {
        case .product:
            parts = [global, try unit(embedder.local, pooled, "local"), try embedder.key.exportONNX(pooled, path: onnxPath(path, "embedder.key"), to: &graph)]
        case .scene:
            let regionCount = try self.regionCount(side: graph.inputShape[2])
            func reshaped(_ x: String, _ shape: [Int64], _ name: String) throws -> String {
                graph.op("Reshape", [x, try graph.constant(int64: shape, name: onnxPath(path, "\(name)/shape"))], name: onnxPath(path, name))
            }
            let cells = graph.op("Transpose", [try reshaped(map, [0, Int64(c), -1], "cells")], name: onnxPath(path, "cells"),
                                 attributes: [.ints("perm", [0, 2, 1])])
            let regions = try reshaped(cells, [-1, Int64(c)], "regions")  // [N·R, C]
            let local = try unit(embedder.local, regions, "local")
            let keys = try embedder.key.exportONNX(regions, path: onnxPath(path, "embedder.key"), to: &graph)
            parts = [global, try reshaped(local, [-1, Int64(regionCount * d)], "region_local"),
                     try reshaped(keys, [-1, Int64(regionCount * keyDimension)], "region_keys")]
        }
        return graph.op("Concat", parts, name: path, attributes: [.int("axis", 1)])
    }
}
