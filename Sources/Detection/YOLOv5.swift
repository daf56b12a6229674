import Foundation
import LookKitCore
import Models
import Torch

/// YOLOv5 (ultralytics v7.0) built from a spec as ultralytics' `parse_model` builds it: repeats
/// scaled by the depth multiple, channels by the width multiple (rounded up to multiples of 8).
/// Layers live in `model`, so state-dict names are ultralytics' (`model.0.conv.weight`, …,
/// `model.24.anchors`) and `torch.save(dict(model.state_dict()))` files load strictly.
public final class YOLOv5: Module {
    public let model: [Module]
    /// Per layer, the layers it reads (absolute indices; the previous one for -1).
    let inputs: [[Int]]
    /// The ImageNet backbone of specs with `EfficientNetLite0` rows (run once per input; its rows pick its maps).
    public let backbone: EfficientNetLite0?
    /// The head, the last layer (not a stored property: it would appear twice in the state dict).
    public var detect: Detect { model[model.count - 1] as! Detect }

    public init(_ spec: YOLOv5Spec, classes: Int, channels: Int = 3) throws {
        var built: [Module] = [], inputs: [[Int]] = [], widths: [Int] = []
        func width(_ channels: Int) -> Int { Int((Double(channels) * spec.widthMultiple / 8).rounded(.up)) * 8 }
        func depth(_ repeats: Int) -> Int { repeats > 1 ? max(Int((Double(repeats) * spec.depthMultiple).rounded()), 1) : repeats }
        var head: Detect?
        var backbone: EfficientNetLite0?
        for (index, layer) in spec.layers.enumerated() {
            let from = layer.from.map { $0 < 0 ? index + $0 : $0 }
            guard from.allSatisfy({ (0..<max(index, 1)).contains($0) || ($0 == -1 && index == 0) }) else {
                throw ConfigError("YOLOv5 layer \(index) reads layer \(layer.from), which does not come before it")
            }
            let c1 = from.first.map { $0 < 0 ? channels : widths[$0] } ?? channels
            let module: Module, out: Int
            switch layer.kind {
            case let .conv(c, k, s, p): out = width(c); module = try ConvBNSiLU(c1, out, kernel: k, stride: s, padding: p)
            case let .c3(c, n, shortcut): out = width(c); module = try C3(c1, out, repeats: depth(n), shortcut: shortcut)
            case let .sppf(c, k): out = width(c); module = try SPPF(c1, out, kernel: k)
            case let .upsample(factor): out = c1; module = Upsample(factor: factor)
            case .concat: out = from.map { widths[$0] }.reduce(0, +); module = Concat()
            case let .efficientNetLite0(level):
                if backbone == nil { backbone = try EfficientNetLite0(classes: nil) }
                (out, module) = (EfficientNetLite0.pyramidChannels[level - 3], BackboneLevel(level: level))
            case .detect:
                let detect = try Detect(classes: classes, anchors: spec.anchors, channels: from.map { widths[$0] },
                                        strides: from.indices.map { 8 << $0 })
                (head, out, module) = (detect, 0, detect)
            }
            built.append(module)
            inputs.append(index == 0 ? [] : from)
            widths.append(out)
        }
        guard let head, built.last === head else { throw ConfigError("a YOLOv5 spec ends with its Detect layer") }
        (model, self.inputs, self.backbone) = (built, inputs, backbone)
        super.init()
    }

    /// Per detection level, the raw maps [batch, anchors, ny, nx, 5 + classes] (what the loss reads).
    public func rawOutputs(_ x: Tensor) throws -> [Tensor] {
        // Inputs are RGB in [0, 1]; the ported backbone expects TensorFlow's [-1, 1] scaling.
        try route(x, pyramid: try backbone?.pyramid((x * 255 - 127) / 128), concat: { _, sources in try Tensor.cat(sources, dim: 1) },
                  layer: { index, module, x in
                      guard let layer = module as? any UnaryLayer else { throw TorchError("YOLOv5: layer \(index) (\(type(of: module))) cannot run") }
                      return try layer(x)
                  }, detect: { detect, sources in try detect.raw(sources) })
    }

    /// Walks the layers as ultralytics' forward does, over values of any kind (tensors when running,
    /// ONNX value names when exporting): each layer reads the outputs it is routed; Concat, the
    /// backbone's maps (`pyramid`, strides 8–32) and the Detect head are the caller's to make.
    func route<Value, Result>(_ input: Value, pyramid: [Value]?, concat: (_ index: Int, [Value]) throws -> Value,
                              layer: (_ index: Int, Module, Value) throws -> Value, detect: (Detect, [Value]) throws -> Result) throws -> Result {
        var outputs: [Value?] = []
        let reused = Set(inputs.flatMap { $0 })
        var previous = input
        for (index, module) in model.enumerated() {
            let sources = inputs[index].isEmpty ? [previous] : try inputs[index].map { i -> Value in
                guard let value = i == index - 1 ? previous : outputs[i] else { throw TorchError("YOLOv5: layer \(i)'s output was not kept") }
                return value
            }
            switch module {
            case let head as Detect: return try detect(head, sources)
            case is Concat: previous = try concat(index, sources)
            case let tap as BackboneLevel:
                guard let pyramid else { throw TorchError("YOLOv5: layer \(index) reads a backbone the model lacks") }
                previous = pyramid[tap.level - 3]
            default: previous = try layer(index, module, sources[0])
            }
            outputs.append(reused.contains(index) ? previous : nil)
        }
        throw TorchError("YOLOv5: no Detect layer")
    }

    /// Decoded detections [batch, boxes, 5 + classes]: centre x, y, width, height in input pixels,
    /// objectness and class probabilities (ultralytics' eval-mode `model(x)[0]`).
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try detect.decode(rawOutputs(x)) }
}

/// A row reading the shared backbone's map at stride 2^level (no parameters of its own).
final class BackboneLevel: Module {
    let level: Int
    init(level: Int) { self.level = level; super.init() }
}
