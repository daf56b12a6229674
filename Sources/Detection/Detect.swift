import Foundation
import Torch

/// YOLOv5's head: per level a 1×1 convolution to `anchors × (5 + classes)` channels, and the
/// decoding of those maps into boxes in input pixels. `anchors` is stored as ultralytics stores it:
/// (levels, anchors, 2) in grid cells of each level (pixels / stride).
public final class Detect: Module {
    public let m: [Conv2d]
    @Buffer public var anchors: Tensor?
    public let strides: [Int]
    public let classes: Int

    /// `anchors`: per level, (w, h) pairs in input pixels, as model yamls write them.
    public init(classes: Int, anchors pixels: [[Double]], channels: [Int], strides: [Int]) throws {
        guard pixels.count == channels.count, channels.count == strides.count, let first = pixels.first, first.count % 2 == 0,
              pixels.allSatisfy({ $0.count == first.count }) else {
            throw TorchError("Detect: \(pixels.count) anchor levels, \(channels.count) inputs and \(strides.count) strides must agree",
                             category: .badConfig)
        }
        let perLevel = first.count / 2
        m = try channels.map { try Conv2d($0, perLevel * (classes + 5), kernelSize: 1) }
        let grid = zip(pixels, strides).flatMap { level, stride in level.map { Float($0 / Double(stride)) } }
        (self.strides, self.classes) = (strides, classes)
        super.init()
        _anchors.set(try Tensor(grid, shape: [pixels.count, perLevel, 2]))
    }

    /// Per level, (w, h) pairs in input pixels (what AutoAnchor reads and writes).
    public var anchorPixels: [[Double]] {
        get throws {
            guard let anchors else { throw TorchError("Detect: no anchors") }
            let values = try anchors.to(.cpu, dtype: .float32).floats(), perLevel = anchorsPerLevel
            return strides.enumerated().map { level, stride in
                values[level * perLevel * 2 ..< (level + 1) * perLevel * 2].map { Double($0) * Double(stride) }
            }
        }
    }

    /// Replaces the anchors (per level, (w, h) pixel pairs, as many as before).
    public func setAnchors(pixels: [[Double]]) throws {
        guard let anchors, pixels.count == strides.count, pixels.allSatisfy({ $0.count == anchorsPerLevel * 2 }) else {
            throw TorchError("Detect: new anchors must have \(strides.count) levels of \(anchorsPerLevel) pairs", category: .invalidValue)
        }
        let grid = zip(pixels, strides).flatMap { level, stride in level.map { Float($0 / Double(stride)) } }
        try withoutGrad { try anchors.copy(from: Tensor(grid, shape: anchors.shape).to(anchors.device)) }
    }

    public var anchorsPerLevel: Int { m[0].weight.shape[0] / (classes + 5) }

    /// Per level, the raw maps as the loss reads them: [batch, anchors, ny, nx, 5 + classes].
    public func raw(_ features: [Tensor]) throws -> [Tensor] {
        let (na, no) = (anchorsPerLevel, classes + 5)
        return try zip(m, features).map { conv, x in
            let y = try conv(x)
            return try y.reshape([y.shape[0], na, no, y.shape[2], y.shape[3]]).permute([0, 1, 3, 4, 2]).contiguous()
        }
    }

    /// Boxes from raw maps: [batch, Σ anchors·ny·nx, 5 + classes] with centre x, y, width, height in
    /// input pixels, then objectness and class probabilities (yolov5's v6+ decoding).
    public func decode(_ raw: [Tensor]) throws -> Tensor {
        guard let anchors else { throw TorchError("Detect: no anchors") }
        let levels = try raw.enumerated().map { level, map -> Tensor in
            let (batch, na, ny, nx) = (map.shape[0], map.shape[1], map.shape[2], map.shape[3])
            let stride = Double(strides[level])
            let parts = try map.sigmoid().split([2, 2, classes + 1], dim: 4)
            let xs = try Tensor.arange(0, Double(nx)).to(map.device, dtype: map.dtype).reshape([1, 1, 1, nx]).expand([1, 1, ny, nx])
            let ys = try Tensor.arange(0, Double(ny)).to(map.device, dtype: map.dtype).reshape([1, 1, ny, 1]).expand([1, 1, ny, nx])
            let grid = try Tensor.stack([xs, ys], dim: 4) - 0.5
            let anchorGrid = try (anchors.slice(0, level, level + 1) * stride).reshape([1, na, 1, 1, 2])
            let xy = try (parts[0] * 2 + grid) * stride
            let wh = try (parts[1] * 2).pow(2) * anchorGrid
            return try Tensor.cat([xy, wh, parts[2]], dim: 4).reshape([batch, na * ny * nx, classes + 5])
        }
        return try Tensor.cat(levels, dim: 1)
    }

    /// ultralytics' bias prior for a new head: objectness for ~8 objects per 640² image, classes at 0.6.
    public func initializeBiases() throws {
        try withoutGrad {
            for (conv, stride) in zip(m, strides) {
                guard let bias = conv.bias else { continue }
                let b = try bias.reshape([anchorsPerLevel, classes + 5])
                try b.slice(1, 4, 5).add(Tensor.scalar(Foundation.log(8 / Foundation.pow(640 / Double(stride), 2))))
                try b.slice(1, 5).add(Tensor.scalar(Foundation.log(0.6 / (Double(classes) - 0.99))))
            }
        }
    }
}
