import Foundation
import LookKitCore
import Yams

/// An ultralytics v7.0 model yaml (`models/yolov5s.yaml`) read as it is: `nc`, the multiples,
/// per-level anchors and the `[from, number, module, args]` rows of `backbone` then `head`.
/// Anything it cannot build is a `MalformedFile` naming the file and the row's line.
public struct YOLOv5ModelYAML: Sendable, Equatable {
    public let spec: YOLOv5Spec
    /// `nc`, the class count the file was written for.
    public let classes: Int

    /// The modules a row may name (what `YOLOv5` builds).
    public static let modules = ["Conv", "C3", "SPPF", "nn.Upsample", "Concat", "Detect", "EfficientNetLite0"]
    static let keys = ["nc", "depth_multiple", "width_multiple", "anchors", "backbone", "head"]

    public init(_ url: URL) throws { try self.init(YAMLDocument(url)) }
    public init(text: String, file: String) throws { try self.init(YAMLDocument(text, file: file)) }

    init(_ source: YAMLDocument) throws {
        let entries = Array(source.root.mapping ?? [:])
        for (key, _) in entries where !Self.keys.contains(key.string ?? "") {
            let name = key.string ?? "\(key)"
            throw source.issue(at: key, "unknown key '\(name)'\(DidYouMean.hint(for: name, in: Self.keys)) (known: \(Self.keys.joined(separator: ", ")))")
        }
        func value(_ key: String) throws -> Node {
            guard let entry = entries.first(where: { $0.key.string == key }) else { throw source.issue(at: source.root, "missing key '\(key)'") }
            return entry.value
        }
        func positive(_ key: String) throws -> Double {
            let node = try value(key)
            guard let number = node.float, number > 0 else { throw source.issue(at: node, "\(key) should be a positive number") }
            return number
        }
        let nc = try value("nc")
        guard let classes = nc.int, classes > 0 else { throw source.issue(at: nc, "nc should be a positive whole number of classes") }
        let anchors = try Self.anchors(try value("anchors"), source)
        var layers: [YOLOLayerSpec] = []
        for part in ["backbone", "head"] {
            let rows = try value(part)
            guard let list = rows.sequence else { throw source.issue(at: rows, "\(part) should be a list of [from, number, module, args] rows") }
            for row in list {
                layers.append(try Self.layer(row, index: layers.count, levels: anchors.count, source))
            }
        }
        spec = YOLOv5Spec(layers: layers, anchors: anchors, depthMultiple: try positive("depth_multiple"),
                          widthMultiple: try positive("width_multiple"))
        self.classes = classes
    }

    /// Per level, (w, h) pixel pairs; the integer form (`anchors: 3`) asks ultralytics to compute
    /// anchors from the dataset, which is not done here.
    static func anchors(_ node: Node, _ source: YAMLDocument) throws -> [[Double]] {
        if let count = node.int {
            throw source.issue(at: node, "anchors: \(count) (anchors computed from the dataset) is not supported: list each level's anchors as [w,h, w,h, …] in pixels")
        }
        let levels = try node.sequence.map { try $0.map { level -> [Double] in
            let numbers = level.sequence?.compactMap(\.float) ?? []
            guard !numbers.isEmpty, numbers.count == level.sequence?.count, numbers.count % 2 == 0 else {
                throw source.issue(at: level, "each anchors level should list w,h pixel pairs, e.g. [10,13, 16,30, 33,23]")
            }
            return numbers
        } }
        guard let levels, !levels.isEmpty else { throw source.issue(at: node, "anchors should list each level's w,h pixel pairs") }
        guard Set(levels.map(\.count)).count == 1 else { throw source.issue(at: node, "every anchors level should have as many pairs") }
        return levels
    }

    /// One `[from, number, module, args]` row; `levels` is the number of anchor levels Detect reads.
    static func layer(_ row: Node, index: Int, levels: Int, _ source: YAMLDocument) throws -> YOLOLayerSpec {
        func bad(_ reason: String, at node: Node? = nil) -> MalformedFile { source.issue(at: node ?? row, "layer \(index): \(reason)") }
        guard let fields = row.sequence, fields.count == 4 else {
            throw bad("expected [from, number, module, args], got \(row.sequence.map { "\($0.count) fields" } ?? "'\(row.string ?? "a mapping")'")")
        }
        let from = fields[0].int.map { [$0] } ?? fields[0].sequence?.compactMap(\.int)
        guard let from, !from.isEmpty, from.count == (fields[0].sequence?.count ?? 1) else {
            throw bad("from should be a layer index or a list of them (-1: the previous layer)", at: fields[0])
        }
        guard let number = fields[1].int, number >= 1 else { throw bad("number should be a whole number of repeats ≥ 1", at: fields[1]) }
        guard let module = fields[2].scalar?.string, Self.modules.contains(module) else {
            let name = fields[2].scalar?.string ?? "\(fields[2])"
            throw bad("unknown module '\(name)'\(DidYouMean.hint(for: name, in: Self.modules)) (supported: \(Self.modules.joined(separator: ", ")))", at: fields[2])
        }
        guard let args = fields[3].sequence else { throw bad("args should be a list", at: fields[3]) }
        guard number == 1 || module == "C3" else { throw bad("\(module) repeated \(number) times: only C3 takes repeats", at: fields[1]) }
        guard from.count == 1 || ["Concat", "Detect"].contains(module) else { throw bad("\(module) reads one layer, not \(from)", at: fields[0]) }

        func ints(_ usage: String, _ counts: ClosedRange<Int>) throws -> [Int] {
            let values = args.compactMap(\.int)
            guard values.count == args.count, counts.contains(values.count) else { throw bad("\(module) args should be \(usage)", at: fields[3]) }
            return values
        }
        let kind: YOLOLayerSpec.Kind
        switch module {
        case "Conv":
            let v = try ints("[out, kernel, stride, padding?]", 1...4)
            kind = .conv(out: v[0], kernel: v.count > 1 ? v[1] : 1, stride: v.count > 2 ? v[2] : 1, padding: v.count > 3 ? v[3] : nil)
        case "C3":
            let shortcut = args.count == 2 ? args[1].bool : true
            guard (1...2).contains(args.count), let out = args[0].int, let shortcut else { throw bad("C3 args should be [out, shortcut?]", at: fields[3]) }
            kind = .c3(out: out, repeats: number, shortcut: shortcut)
        case "SPPF":
            let v = try ints("[out, kernel?]", 1...2)
            kind = .sppf(out: v[0], kernel: v.count > 1 ? v[1] : 5)
        case "nn.Upsample":
            guard args.count == 3, args[0].null != nil || args[0].string == "None", let factor = args[1].int, args[2].string == "nearest" else {
                throw bad("nn.Upsample args should be [None, factor, 'nearest']", at: fields[3])
            }
            kind = .upsample(factor: factor)
        case "Concat":
            guard args.count == 1, args[0].int == 1 else { throw bad("Concat args should be [1] (channels)", at: fields[3]) }
            kind = .concat
        case "EfficientNetLite0":
            let v = try ints("[level] (3, 4 or 5: the map at stride 8, 16 or 32)", 1...1)
            guard (3...5).contains(v[0]) else { throw bad("EfficientNetLite0 level should be 3, 4 or 5", at: fields[3]) }
            kind = .efficientNetLite0(level: v[0])
        default:  // Detect
            guard args.count == 2, args[0].string == "nc", args[1].string == "anchors" else { throw bad("Detect args should be [nc, anchors]", at: fields[3]) }
            guard from.count == levels else { throw bad("Detect reads \(from.count) layers but anchors lists \(levels) levels", at: fields[0]) }
            kind = .detect
        }
        return YOLOLayerSpec(from, kind)
    }
}

extension YOLOv5Spec {
    /// The spec of an ultralytics model yaml (its `nc` is in `YOLOv5ModelYAML`).
    public init(yaml url: URL) throws { self = try YOLOv5ModelYAML(url).spec }
    public init(yaml text: String, file: String) throws { self = try YOLOv5ModelYAML(text: text, file: file).spec }
}
