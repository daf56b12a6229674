import LookKitCore

/// One row of a YOLOv5 model yaml: where its input comes from (-1: the previous layer) and what it is.
public struct YOLOLayerSpec: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// `Conv [out, kernel, stride, padding?]`
        case conv(out: Int, kernel: Int, stride: Int, padding: Int?)
        /// `C3 [out, shortcut?]` repeated `repeats` times (before the depth multiple).
        case c3(out: Int, repeats: Int, shortcut: Bool)
        /// `SPPF [out, kernel]`
        case sppf(out: Int, kernel: Int)
        /// `nn.Upsample [None, 2, 'nearest']`
        case upsample(factor: Int)
        /// `Concat [1]`
        case concat
        /// `Detect [nc, anchors]`
        case detect
        /// `EfficientNetLite0 [level]`: the ImageNet backbone's map at stride 2^level (3, 4 or 5);
        /// every such row reads one shared backbone run on the input.
        case efficientNetLite0(level: Int)
    }
    public let from: [Int]
    public let kind: Kind

    public init(_ from: [Int], _ kind: Kind) { (self.from, self.kind) = (from, kind) }
}

/// A YOLOv5 architecture: layers, anchors and the depth/width multiples of its size.
public struct YOLOv5Spec: Sendable, Equatable {
    public var layers: [YOLOLayerSpec]
    /// Per detection level, (w, h) anchor pairs in input pixels.
    public var anchors: [[Double]]
    public var depthMultiple: Double
    public var widthMultiple: Double

    /// Depth and width multiples of the released sizes.
    public static let sizes: [String: (depth: Double, width: Double)] = [
        "n": (0.33, 0.25), "s": (0.33, 0.50), "m": (0.67, 0.75), "l": (1.0, 1.0), "x": (1.33, 1.25),
    ]

    /// `yolov5n`, `yolov5s`, `yolov5m`… : ultralytics/yolov5 v7.0 `models/yolov5*.yaml`.
    public static func named(_ name: String) throws -> YOLOv5Spec {
        guard name.hasPrefix("yolov5"), let size = sizes[String(name.dropFirst(6))] else {
            throw ConfigError("unknown YOLOv5 model '\(name)' (yolov5n, yolov5s, yolov5m, yolov5l, yolov5x)")
        }
        var spec = v7
        (spec.depthMultiple, spec.widthMultiple) = size
        return spec
    }

    /// The CPU recipe: EfficientNet-Lite0's P3/P4/P5 maps (ImageNet weights) under YOLOv5's SPPF,
    /// PAN neck and Detect head with the v7.0 anchors; the neck's multiples are a release size's
    /// (`neck`: n, s, m…).
    public static func efficientNetLite0(neck: String = "n") throws -> YOLOv5Spec {
        guard let size = sizes[neck] else {
            throw ConfigError("unknown neck size '\(neck)' (\(sizes.keys.sorted().joined(separator: ", ")))")
        }
        var spec = lite0
        (spec.depthMultiple, spec.widthMultiple) = size
        return spec
    }

    /// v7.0 with its backbone rows 0–9 replaced by EfficientNet-Lite0's three maps and the SPPF: the
    /// head rows move up by 6, and what v7.0 reads at 4 (P3), 6 (P4) and 9 (SPPF) comes from 0, 1 and 3.
    static let lite0: YOLOv5Spec = {
        var spec = v7
        let backbone = (3...5).map { YOLOLayerSpec([-1], .efficientNetLite0(level: $0)) } + [YOLOLayerSpec([-1], .sppf(out: 1024, kernel: 5))]
        let moved = [4: 0, 6: 1, 9: 3]
        spec.layers = backbone + v7.layers.dropFirst(10).map { row in
            YOLOLayerSpec(row.from.map { $0 < 0 ? $0 : moved[$0] ?? $0 - 6 }, row.kind)
        }
        return spec
    }()

    /// The v7.0 anchors and layers (multiples aside, every release size shares them).
    public static var v7Anchors: [[Double]] { v7.anchors }
    public static var v7Layers: [YOLOLayerSpec] { v7.layers }

    /// The v7.0 table read from ultralytics' own notation (one definition; YAMLTests checks it
    /// equals the package's yolov5*.yaml). It is a constant, so failing to read it is a bug.
    static let v7 = try! YOLOv5Spec(yaml: v7YAML, file: "YOLOv5Spec.v7YAML")

    /// ultralytics/yolov5 v7.0 `models/yolov5l.yaml` (multiples 1.0): CSP-Darknet with SPPF, PAN head.
    static let v7YAML = """
        nc: 80
        depth_multiple: 1.0
        width_multiple: 1.0
        anchors:
          - [10,13, 16,30, 33,23]  # P3/8
          - [30,61, 62,45, 59,119]  # P4/16
          - [116,90, 156,198, 373,326]  # P5/32
        backbone:
          [[-1, 1, Conv, [64, 6, 2, 2]],  # 0-P1/2
           [-1, 1, Conv, [128, 3, 2]],  # 1-P2/4
           [-1, 3, C3, [128]],
           [-1, 1, Conv, [256, 3, 2]],  # 3-P3/8
           [-1, 6, C3, [256]],
           [-1, 1, Conv, [512, 3, 2]],  # 5-P4/16
           [-1, 9, C3, [512]],
           [-1, 1, Conv, [1024, 3, 2]],  # 7-P5/32
           [-1, 3, C3, [1024]],
           [-1, 1, SPPF, [1024, 5]],  # 9
          ]
        head:
          [[-1, 1, Conv, [512, 1, 1]],
           [-1, 1, nn.Upsample, [None, 2, 'nearest']],
           [[-1, 6], 1, Concat, [1]],  # cat backbone P4
           [-1, 3, C3, [512, False]],  # 13
           [-1, 1, Conv, [256, 1, 1]],
           [-1, 1, nn.Upsample, [None, 2, 'nearest']],
           [[-1, 4], 1, Concat, [1]],  # cat backbone P3
           [-1, 3, C3, [256, False]],  # 17 (P3/8-small)
           [-1, 1, Conv, [256, 3, 2]],
           [[-1, 14], 1, Concat, [1]],  # cat head P4
           [-1, 3, C3, [512, False]],  # 20 (P4/16-medium)
           [-1, 1, Conv, [512, 3, 2]],
           [[-1, 10], 1, Concat, [1]],  # cat head P5
           [-1, 3, C3, [1024, False]],  # 23 (P5/32-large)
           [[17, 20, 23], 1, Detect, [nc, anchors]],  # Detect(P3, P4, P5)
          ]
        """
}
