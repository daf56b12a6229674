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
        return YOLOv5Spec(layers: v7Layers, anchors: v7Anchors, depthMultiple: size.depth, widthMultiple: size.width)
    }

    public static let v7Anchors: [[Double]] = [[10, 13, 16, 30, 33, 23], [30, 61, 62, 45, 59, 119], [116, 90, 156, 198, 373, 326]]

    /// The v7.0 backbone (CSP-Darknet with SPPF) and PAN head, row for row as in the yaml.
    public static let v7Layers: [YOLOLayerSpec] = [
        .init([-1], .conv(out: 64, kernel: 6, stride: 2, padding: 2)),  // 0 P1/2
        .init([-1], .conv(out: 128, kernel: 3, stride: 2, padding: nil)),  // 1 P2/4
        .init([-1], .c3(out: 128, repeats: 3, shortcut: true)),
        .init([-1], .conv(out: 256, kernel: 3, stride: 2, padding: nil)),  // 3 P3/8
        .init([-1], .c3(out: 256, repeats: 6, shortcut: true)),
        .init([-1], .conv(out: 512, kernel: 3, stride: 2, padding: nil)),  // 5 P4/16
        .init([-1], .c3(out: 512, repeats: 9, shortcut: true)),
        .init([-1], .conv(out: 1024, kernel: 3, stride: 2, padding: nil)),  // 7 P5/32
        .init([-1], .c3(out: 1024, repeats: 3, shortcut: true)),
        .init([-1], .sppf(out: 1024, kernel: 5)),  // 9
        .init([-1], .conv(out: 512, kernel: 1, stride: 1, padding: nil)),
        .init([-1], .upsample(factor: 2)),
        .init([-1, 6], .concat),  // cat backbone P4
        .init([-1], .c3(out: 512, repeats: 3, shortcut: false)),  // 13
        .init([-1], .conv(out: 256, kernel: 1, stride: 1, padding: nil)),
        .init([-1], .upsample(factor: 2)),
        .init([-1, 4], .concat),  // cat backbone P3
        .init([-1], .c3(out: 256, repeats: 3, shortcut: false)),  // 17 P3/8-small
        .init([-1], .conv(out: 256, kernel: 3, stride: 2, padding: nil)),
        .init([-1, 14], .concat),  // cat head P4
        .init([-1], .c3(out: 512, repeats: 3, shortcut: false)),  // 20 P4/16-medium
        .init([-1], .conv(out: 512, kernel: 3, stride: 2, padding: nil)),
        .init([-1, 10], .concat),  // cat head P5
        .init([-1], .c3(out: 1024, repeats: 3, shortcut: false)),  // 23 P5/32-large
        .init([17, 20, 23], .detect),
    ]
}
