import Foundation
import LookKitCore
import Yams

/// An ultralytics v7.0 hyperparameter yaml (`data/hyps/hyp.scratch-*.yaml`), keys as ultralytics
/// spells them. Absent keys keep `hyp.scratch-low.yaml`'s values; unknown keys are errors.
public struct YOLOHyperparameters: Codable, Sendable, Equatable {
    // Optimizer and schedule.
    public var lr0 = 0.01, lrf = 0.01, momentum = 0.937, weightDecay = 0.0005
    public var warmupEpochs = 3.0, warmupMomentum = 0.8, warmupBiasLR = 0.1
    // Loss.
    public var box = 0.05, cls = 0.5, clsPW = 1.0, obj = 1.0, objPW = 1.0, iouT = 0.20, anchorT = 4.0, flGamma = 0.0
    // Augmentation.
    public var hsvH = 0.015, hsvS = 0.7, hsvV = 0.4, degrees = 0.0, translate = 0.1, scale = 0.5, shear = 0.0
    public var perspective = 0.0, flipud = 0.0, fliplr = 0.5, mosaic = 1.0, mixup = 0.0, copyPaste = 0.0

    public init() {}

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case lr0, lrf, momentum, weightDecay = "weight_decay"
        case warmupEpochs = "warmup_epochs", warmupMomentum = "warmup_momentum", warmupBiasLR = "warmup_bias_lr"
        case box, cls, clsPW = "cls_pw", obj, objPW = "obj_pw", iouT = "iou_t", anchorT = "anchor_t", flGamma = "fl_gamma"
        case hsvH = "hsv_h", hsvS = "hsv_s", hsvV = "hsv_v", degrees, translate, scale, shear
        case perspective, flipud, fliplr, mosaic, mixup, copyPaste = "copy_paste"
    }

    /// Each key's property, so decoding can fall back to the default one key at a time.
    static let fields: [(CodingKeys, WritableKeyPath<YOLOHyperparameters, Double>)] = [
        (.lr0, \.lr0), (.lrf, \.lrf), (.momentum, \.momentum), (.weightDecay, \.weightDecay),
        (.warmupEpochs, \.warmupEpochs), (.warmupMomentum, \.warmupMomentum), (.warmupBiasLR, \.warmupBiasLR),
        (.box, \.box), (.cls, \.cls), (.clsPW, \.clsPW), (.obj, \.obj), (.objPW, \.objPW),
        (.iouT, \.iouT), (.anchorT, \.anchorT), (.flGamma, \.flGamma),
        (.hsvH, \.hsvH), (.hsvS, \.hsvS), (.hsvV, \.hsvV), (.degrees, \.degrees), (.translate, \.translate),
        (.scale, \.scale), (.shear, \.shear), (.perspective, \.perspective), (.flipud, \.flipud),
        (.fliplr, \.fliplr), (.mosaic, \.mosaic), (.mixup, \.mixup), (.copyPaste, \.copyPaste),
    ]

    public init(from decoder: Decoder) throws {
        self.init()
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        for (key, field) in Self.fields { self[keyPath: field] = try container(key, default: self[keyPath: field]) }
    }

    /// Reads a hyp yaml; errors name the file and the key (or the line, for YAML syntax).
    public init(yaml url: URL) throws {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw MalformedFile(file: url.path, reason: "cannot be read as UTF-8 text (\(error.localizedDescription))")
        }
        try self.init(yaml: text, file: url.path)
    }

    public init(yaml text: String, file: String) throws {
        let source = try YAMLDocument(text, file: file)
        // hyp.VOC.yaml's `anchors: 3.x` asks ultralytics to compute anchors from the dataset.
        if let anchors = source.root.mapping?.first(where: { $0.key.string == "anchors" }) {
            throw source.issue(at: anchors.key, "anchors (\(anchors.value.string ?? "?") per level, computed from the dataset) is not supported: remove it to use the model yaml's anchors")
        }
        do { self = try YAMLDecoder().decode(YOLOHyperparameters.self, from: source.root) } catch {
            throw ConfigError(decoding: error, in: file)
        }
    }

    /// The gains `YOLOv5Loss` reads (v7.0 has no label-smoothing key: it stays 0).
    public var lossGains: YOLOLossGains {
        var gains = YOLOLossGains()
        (gains.box, gains.cls, gains.clsPositiveWeight) = (box, cls, clsPW)
        (gains.obj, gains.objPositiveWeight, gains.anchorThreshold) = (obj, objPW, anchorT)
        return gains
    }
}
