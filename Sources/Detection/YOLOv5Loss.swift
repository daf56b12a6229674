import Foundation
import LookKitCore
import Torch

/// The loss gains of an ultralytics hyp yaml (`hyp.scratch-low.yaml` values by default).
public struct YOLOLossGains: Sendable, Equatable {
    public var box = 0.05
    public var cls = 0.5
    public var clsPositiveWeight = 1.0
    public var obj = 1.0
    public var objPositiveWeight = 1.0
    /// Largest width or height ratio between a target and an anchor that may predict it.
    public var anchorThreshold = 4.0
    public var labelSmoothing = 0.0
    public init() {}
}

/// yolov5's `ComputeLoss`: CIoU box loss on the cells and anchors assigned to each target (its own
/// cell and the two nearest neighbours, anchors within `anchorThreshold`), objectness BCE against
/// the detached IoU on every cell (levels weighted 4, 1, 0.4), class BCE on assigned cells.
public struct YOLOv5Loss {
    public let detect: Detect
    public var gains: YOLOLossGains

    public init(_ detect: Detect, gains: YOLOLossGains = YOLOLossGains()) { (self.detect, self.gains) = (detect, gains) }

    static let balance: [Double] = [4.0, 1.0, 0.4]

    /// `raw`: the model's per-level maps; `targets`: [n, 6] rows (image, class, cx, cy, w, h) with
    /// coordinates as fractions of the input. Returns the total (× batch size, as ultralytics) and
    /// the box, objectness and class parts (detached).
    public func callAsFunction(_ raw: [Tensor], targets: Tensor) throws -> (total: Tensor, parts: [Double]) {
        guard targets.shape.count == 2, targets.shape[1] == 6 || targets.shape[0] == 0 else {
            throw TorchError("YOLOv5 targets must be [n, 6] (image, class, cx, cy, w, h), got \(targets.shape)", category: .invalidValue)
        }
        let rows = try targets.to(.cpu, dtype: .float32).floats()
        let device = raw[0].device, classes = detect.classes
        let (positive, negative) = (1 - 0.5 * gains.labelSmoothing, 0.5 * gains.labelSmoothing)
        let objWeight = try Tensor([Float(gains.objPositiveWeight)]).to(device)
        let clsWeight = try Tensor([Float(gains.clsPositiveWeight)]).to(device)
        var lbox = try Tensor.scalar(0, device: device), lobj = lbox, lcls = lbox
        for (level, map) in raw.enumerated() {
            let assigned = try assignments(rows, level: level, shape: map.shape)
            let cells = map.shape[0] * map.shape[1] * map.shape[2] * map.shape[3]
            var tobj = try Tensor.zeros([cells], dtype: map.dtype, device: device)
            if !assigned.cell.isEmpty {
                let index = try Tensor(assigned.cell.map(Int64.init)).to(device)
                let picked = try map.reshape([cells, classes + 5]).indexSelect(0, index)
                let parts = try picked.split([2, 2, 1, classes], dim: 1)
                let anchors = try Tensor(assigned.anchor, shape: [assigned.cell.count, 2]).to(device)
                let pxy = try parts[0].sigmoid() * 2 - 0.5
                let pwh = try (parts[1].sigmoid() * 2).pow(2) * anchors
                let target = try Tensor(assigned.box, shape: [assigned.cell.count, 4]).to(device)
                let iou = try Self.completeIoU(Tensor.cat([pxy, pwh], dim: 1), target)
                lbox = try lbox + (1 - iou).mean()
                tobj = try tobj.scatter(0, index, iou.detached().clamp(min: 0).to(dtype: map.dtype))
                if classes > 1 {
                    var t = [Float](repeating: Float(negative), count: assigned.cell.count * classes)
                    for (k, c) in assigned.cls.enumerated() { t[k * classes + c] = Float(positive) }
                    lcls = try lcls + Loss.bceWithLogits(parts[3], Tensor(t, shape: [assigned.cell.count, classes]).to(device),
                                                         positiveWeight: clsWeight)
                }
            }
            let objectness = try map.slice(4, 4, 5).reshape([cells])
            lobj = try lobj + Loss.bceWithLogits(objectness, tobj, positiveWeight: objWeight) * Self.balance[level]
        }
        (lbox, lobj, lcls) = (try lbox * gains.box, try lobj * gains.obj, try lcls * gains.cls)
        let batch = Double(raw[0].shape[0])
        return (try (lbox + lobj + lcls) * batch, [try lbox.item(), try lobj.item(), try lcls.item()])
    }

    /// What `build_targets` assigns on one level: flat cell index (image, anchor, y, x), target box
    /// (offset in the cell, size in cells), anchor size in cells and class, in ultralytics' order.
    struct Assignments {
        var cell: [Int] = [], box: [Float] = [], anchor: [Float] = [], cls: [Int] = []
    }

    func assignments(_ rows: [Float], level: Int, shape: [Int]) throws -> Assignments {
        guard let anchorsTensor = detect.anchors else { throw TorchError("Detect: no anchors") }
        let anchors = try anchorsTensor.slice(0, level, level + 1).to(.cpu, dtype: .float32).floats()
        let (na, ny, nx) = (shape[1], shape[2], shape[3])
        let (gx, gy) = (Float(nx), Float(ny))
        let threshold = Float(gains.anchorThreshold)
        // Targets matched to anchors, anchor-major as `targets.repeat(na, 1, 1)[j]`.
        var matched: [(row: Int, anchor: Int)] = []
        for a in 0..<na {
            for r in 0..<(rows.count / 6) {
                let rw = rows[r * 6 + 4] * gx / anchors[a * 2], rh = rows[r * 6 + 5] * gy / anchors[a * 2 + 1]
                if max(max(rw, 1 / rw), max(rh, 1 / rh)) < threshold { matched.append((r, a)) }
            }
        }
        // Each match in its own cell, then in the neighbour cells whose centre is within half a cell.
        let offsets: [(dx: Float, dy: Float)] = [(0, 0), (0.5, 0), (0, 0.5), (-0.5, 0), (0, -0.5)]
        var out = Assignments()
        for (o, offset) in offsets.enumerated() {
            for (r, a) in matched {
                let x = rows[r * 6 + 2] * gx, y = rows[r * 6 + 3] * gy
                let (ix, iy) = (gx - x, gy - y)
                let use: Bool
                switch o {
                case 1: use = x.truncatingRemainder(dividingBy: 1) < 0.5 && x > 1
                case 2: use = y.truncatingRemainder(dividingBy: 1) < 0.5 && y > 1
                case 3: use = ix.truncatingRemainder(dividingBy: 1) < 0.5 && ix > 1
                case 4: use = iy.truncatingRemainder(dividingBy: 1) < 0.5 && iy > 1
                default: use = true
                }
                guard use else { continue }
                // Truncated toward zero then clamped, as `.long()` and `clamp_` (which also moves the box offset).
                let i = min(max(Int(x - offset.dx), 0), nx - 1), j = min(max(Int(y - offset.dy), 0), ny - 1)
                let image = Int(rows[r * 6])
                out.cell.append(((image * na + a) * ny + j) * nx + i)
                out.box += [x - Float(i), y - Float(j), rows[r * 6 + 4] * gx, rows[r * 6 + 5] * gy]
                out.anchor += [anchors[a * 2], anchors[a * 2 + 1]]
                out.cls.append(Int(rows[r * 6 + 1]))
            }
        }
        return out
    }

    /// Complete IoU of [n, 4] centre-form boxes (yolov5's `bbox_iou(CIoU=True)`, eps 1e-7; the
    /// aspect term's weight is not differentiated).
    static func completeIoU(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        let eps = 1e-7
        let p = try a.split([1, 1, 1, 1], dim: 1), q = try b.split([1, 1, 1, 1], dim: 1)
        let (ax1, ax2, ay1, ay2) = (try p[0] - p[2] / 2, try p[0] + p[2] / 2, try p[1] - p[3] / 2, try p[1] + p[3] / 2)
        let (bx1, bx2, by1, by2) = (try q[0] - q[2] / 2, try q[0] + q[2] / 2, try q[1] - q[3] / 2, try q[1] + q[3] / 2)
        let inter = try (ax2.minimum(bx2) - ax1.maximum(bx1)).clamp(min: 0) * (ay2.minimum(by2) - ay1.maximum(by1)).clamp(min: 0)
        let union = try p[2] * p[3] + q[2] * q[3] - inter + eps
        let iou = try inter / union
        let cw = try ax2.maximum(bx2) - ax1.minimum(bx1), ch = try ay2.maximum(by2) - ay1.minimum(by1)
        let c2 = try cw.pow(2) + ch.pow(2) + eps
        let rho2 = try ((bx1 + bx2 - ax1 - ax2).pow(2) + (by1 + by2 - ay1 - ay2).pow(2)) / 4
        let v = try (q[2] / q[3]).atan() - (p[2] / p[3]).atan()
        let aspect = try v.pow(2) * (4 / (Double.pi * Double.pi))
        let alpha = try withoutGrad { try aspect / (aspect - iou + (1 + eps)) }
        return try (iou - (rho2 / c2 + aspect * alpha)).reshape([-1])
    }
}
