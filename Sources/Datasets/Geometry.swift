import Foundation
import LookKitCore

/// x' = a·x + b·y + tx,  y' = c·x + d·y + ty  (OpenCV's 2×3 warp matrix, source -> destination).
public struct AffineTransform: Sendable, Equatable {
    public var a, b, tx, c, d, ty: Double
    public init(a: Double, b: Double, tx: Double, c: Double, d: Double, ty: Double) {
        (self.a, self.b, self.tx, self.c, self.d, self.ty) = (a, b, tx, c, d, ty)
    }
    public static let identity = AffineTransform(a: 1, b: 0, tx: 0, c: 0, d: 1, ty: 0)

    public static func scale(_ sx: Double, _ sy: Double) -> AffineTransform {
        AffineTransform(a: sx, b: 0, tx: 0, c: 0, d: sy, ty: 0)
    }
    public static func translation(_ x: Double, _ y: Double) -> AffineTransform {
        AffineTransform(a: 1, b: 0, tx: x, c: 0, d: 1, ty: y)
    }
    /// Counter-clockwise rotation by `degrees` about `center`, as cv::getRotationMatrix2D.
    public static func rotation(degrees: Double, center: (x: Double, y: Double), scale: Double = 1) -> AffineTransform {
        let radians = degrees * .pi / 180
        let (alpha, beta) = (scale * cos(radians), scale * sin(radians))
        return AffineTransform(a: alpha, b: beta, tx: (1 - alpha) * center.x - beta * center.y,
                               c: -beta, d: alpha, ty: beta * center.x + (1 - alpha) * center.y)
    }

    /// `self` first, then `next`.
    public func then(_ next: AffineTransform) -> AffineTransform {
        AffineTransform(a: next.a * a + next.b * c, b: next.a * b + next.b * d, tx: next.a * tx + next.b * ty + next.tx,
                        c: next.c * a + next.d * c, d: next.c * b + next.d * d, ty: next.c * tx + next.d * ty + next.ty)
    }

    public var inverted: AffineTransform {
        let det = a * d - b * c
        let (ia, ib, ic, id) = (d / det, -b / det, -c / det, a / det)
        return AffineTransform(a: ia, b: ib, tx: -(ia * tx + ib * ty), c: ic, d: id, ty: -(ic * tx + id * ty))
    }

    public func apply(x: Double, y: Double) -> (x: Double, y: Double) {
        (a * x + b * y + tx, c * x + d * y + ty)
    }

    /// The axis-aligned box enclosing the transformed corners (exact for scale/translate/flip).
    public func apply(_ box: Box) -> Box {
        let corners = [apply(x: box.x1, y: box.y1), apply(x: box.x2, y: box.y1),
                       apply(x: box.x1, y: box.y2), apply(x: box.x2, y: box.y2)]
        return Box(x1: corners.map(\.x).min()!, y1: corners.map(\.y).min()!,
                   x2: corners.map(\.x).max()!, y2: corners.map(\.y).max()!)
    }

    var rowMajor: [Double] { [a, b, tx, c, d, ty] }
}
