import LookKitCore

/// The graph's output for one photo: 19 keypoint heatmaps (18 parts and the background) then 38
/// part-affinity-field channels, each a grid at 1/8 of the network input (row-major, channel-major).
public struct PoseMaps: Sendable, Equatable {
    public static let heatmapChannels = 19
    public static let channels = 57

    public let width: Int
    public let height: Int
    /// channels × height × width values.
    public let values: [Float]

    public init(values: [Float], width: Int, height: Int) throws {
        guard width > 0, height > 0, values.count == Self.channels * width * height else {
            throw ConfigError("pose maps of \(width)x\(height) need \(Self.channels) channels (19 heatmaps + 38 part-affinity fields): "
                + "\(max(0, Self.channels * width * height)) values, got \(values.count)")
        }
        (self.values, self.width, self.height) = (values, width, height)
    }

    public func channel(_ index: Int) -> ArraySlice<Float> {
        values[index * width * height ..< (index + 1) * width * height]
    }

    /// The value of `channel` at grid point (x, y) in grid units, bilinear between cells (as
    /// upsampling would give), clamped at the border.
    func sample(_ channel: Int, x: Float, y: Float) -> Float {
        let gx = min(max(x, 0), Float(width - 1)), gy = min(max(y, 0), Float(height - 1))
        let x0 = Int(gx), y0 = Int(gy), x1 = min(x0 + 1, width - 1), y1 = min(y0 + 1, height - 1)
        let fx = gx - Float(x0), fy = gy - Float(y0)
        let base = channel * width * height
        let top = values[base + y0 * width + x0] * (1 - fx) + values[base + y0 * width + x1] * fx
        let bottom = values[base + y1 * width + x0] * (1 - fx) + values[base + y1 * width + x1] * fx
        return top * (1 - fy) + bottom * fy
    }
}

/// Bilinear resize of one float grid with OpenCV's INTER_LINEAR convention (pixel centres aligned,
/// edges clamped), so peaks land where `cv2.resize` of the same map puts them.
func upsampled(_ grid: ArraySlice<Float>, width: Int, height: Int, toWidth: Int, toHeight: Int) -> [Float] {
    let start = grid.startIndex
    var out = [Float](repeating: 0, count: toWidth * toHeight)
    let scaleX = Float(width) / Float(toWidth), scaleY = Float(height) / Float(toHeight)
    // Source column pairs and weights are the same on every row: compute them once.
    let columns = (0 ..< toWidth).map { x -> (Int, Int, Float) in
        let sx = min(max((Float(x) + 0.5) * scaleX - 0.5, 0), Float(width - 1))
        let x0 = Int(sx)
        return (x0, min(x0 + 1, width - 1), sx - Float(x0))
    }
    for y in 0 ..< toHeight {
        let sy = min(max((Float(y) + 0.5) * scaleY - 0.5, 0), Float(height - 1))
        let y0 = Int(sy), y1 = min(y0 + 1, height - 1), fy = sy - Float(y0)
        let row0 = start + y0 * width, row1 = start + y1 * width
        for (x, (x0, x1, fx)) in columns.enumerated() {
            let top = grid[row0 + x0] * (1 - fx) + grid[row0 + x1] * fx
            let bottom = grid[row1 + x0] * (1 - fx) + grid[row1 + x1] * fx
            out[y * toWidth + x] = top * (1 - fy) + bottom * fy
        }
    }
    return out
}
