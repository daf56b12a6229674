import CVision

public enum Interpolation: Sendable {
    case linear, area, nearest
    var code: Int32 {
        switch self {
        case .linear: Int32(CV_INTERP_LINEAR)
        case .area: Int32(CV_INTERP_AREA)
        case .nearest: Int32(CV_INTERP_NEAREST)
        }
    }
}

extension Image {
    /// Area averaging when shrinking (no aliasing), bilinear when enlarging, unless told otherwise.
    public func resized(width: Int, height: Int, interpolation: Interpolation? = nil) throws -> Image {
        let mode = interpolation ?? (width < self.width || height < self.height ? .area : .linear)
        return try producing(width: width, height: height) {
            cv_resize($0, Int32(self.width), Int32(self.height), 3, $1, Int32(width), Int32(height), mode.code)
        }
    }

    /// The pixel rectangle `rect` (must lie inside the image), optionally resized to `size`.
    public func cropped(to rect: PixelRect, resizedTo size: (width: Int, height: Int)? = nil,
                        interpolation: Interpolation = .linear) throws -> Image {
        let (w, h) = size ?? (rect.width, rect.height)
        return try producing(width: w, height: h) {
            cv_crop_resize($0, Int32(width), Int32(height), 3, Int32(rect.x), Int32(rect.y),
                           Int32(rect.width), Int32(rect.height), $1, Int32(w), Int32(h), interpolation.code)
        }
    }

    public enum FlipAxis: Int32, Sendable { case horizontal = 1, vertical = 0, both = -1 }

    public func flipped(_ axis: FlipAxis = .horizontal) throws -> Image {
        try producing(width: width, height: height) {
            cv_flip($0, Int32(width), Int32(height), 3, $1, axis.rawValue)
        }
    }

    /// Warps with `transform` (source -> destination pixels) onto a canvas of the given size.
    public func warped(by transform: AffineTransform, width: Int, height: Int, fill: UInt8 = 114) throws -> Image {
        let matrix = transform.rowMajor
        return try producing(width: width, height: height) { src, dst in
            matrix.withUnsafeBufferPointer {
                cv_warp_affine(src, Int32(self.width), Int32(self.height), 3, $0.baseAddress, dst,
                               Int32(width), Int32(height), fill)
            }
        }
    }
}

/// An integer pixel rectangle, origin top-left.
public struct PixelRect: Sendable, Equatable {
    public var x, y, width, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        (self.x, self.y, self.width, self.height) = (x, y, width, height)
    }
}
