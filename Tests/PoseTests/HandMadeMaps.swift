import Foundation
@testable import Pose

/// Heatmaps and part-affinity fields drawn by hand on a grid: a Gaussian blob per keypoint and a unit
/// field along each limb of the skeleton tree, for people given in grid coordinates.
struct HandMadeMaps {
    let width: Int
    let height: Int
    var values: [Float]

    init(width: Int, height: Int) {
        (self.width, self.height) = (width, height)
        values = [Float](repeating: 0, count: PoseMaps.channels * width * height)
    }

    /// Draws one person: `parts` in grid cells, blob height `peak`.
    mutating func draw(_ parts: [BodyPart: (x: Float, y: Float)], peak: Float = 1, sigma: Float = 0.8) {
        for (part, point) in parts {
            for y in 0 ..< height {
                for x in 0 ..< width {
                    let d2 = (Float(x) - point.x) * (Float(x) - point.x) + (Float(y) - point.y) * (Float(y) - point.y)
                    let i = part.rawValue * width * height + y * width + x
                    values[i] = max(values[i], peak * exp(-d2 / (2 * sigma * sigma)))
                }
            }
        }
        for limb in Limb.tree {
            guard let a = parts[limb.parent], let b = parts[limb.child] else { continue }
            let dx = b.x - a.x, dy = b.y - a.y, length = (dx * dx + dy * dy).squareRoot()
            let (ux, uy) = (dx / length, dy / length)
            for y in 0 ..< height {
                for x in 0 ..< width {
                    let px = Float(x) - a.x, py = Float(y) - a.y
                    let along = px * ux + py * uy, across = abs(px * uy - py * ux)
                    guard along >= -0.5, along <= length + 0.5, across <= 1 else { continue }
                    values[limb.pafX * width * height + y * width + x] = ux
                    values[limb.pafY * width * height + y * width + x] = uy
                }
            }
        }
    }

    func maps() throws -> PoseMaps { try PoseMaps(values: values, width: width, height: height) }
}

/// A standing person facing the camera on a 20×30 grid, 18 parts.
let standingPerson: [BodyPart: (x: Float, y: Float)] = [
    .nose: (10, 3), .neck: (10, 6), .rightShoulder: (7, 6), .rightElbow: (6, 10), .rightWrist: (6, 14),
    .leftShoulder: (13, 6), .leftElbow: (14, 10), .leftWrist: (14, 14), .rightHip: (8, 15), .rightKnee: (8, 21),
    .rightAnkle: (8, 27), .leftHip: (12, 15), .leftKnee: (12, 21), .leftAnkle: (12, 27), .rightEye: (9, 2),
    .leftEye: (11, 2), .rightEar: (8, 3), .leftEar: (12, 3),
]

/// A small person at the left edge (upper body only).
let smallPerson: [BodyPart: (x: Float, y: Float)] = [
    .nose: (2, 17), .neck: (2, 19), .rightShoulder: (1, 19), .leftShoulder: (3, 19), .rightHip: (1, 23), .leftHip: (3, 23),
]
