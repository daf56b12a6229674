import Foundation
import LookKitCore

/// YOLOv5's AutoAnchor (ultralytics `utils/autoanchor.py`): how well anchors fit a dataset's box
/// sizes, measured by the ratio metric the loss uses to assign targets, and new anchors from
/// k-means plus a genetic search when they fit badly. Sizes and anchors are in input pixels;
/// anchors are given per level as model yamls write them (`[w, h, w, h, …]`), any grouping works.
public enum AutoAnchor {
    public typealias Size = (width: Double, height: Double)
    /// One image: its width and height in pixels and its boxes' normalised widths and heights.
    public typealias ImageBoxes = (width: Int, height: Int, boxes: [Size])

    /// `hyp['anchor_t']`: a target may use an anchor when neither side differs by more than this factor.
    public static let defaultThreshold = 4.0
    /// Below this best possible recall the anchors are recomputed.
    public static let recallToRecompute = 0.98

    /// Box sizes in pixels once each image's longer side is scaled to `imageSize`, times the
    /// image's augmentation scale when `scales` is given (one per image).
    public static func labelSizes(_ images: [ImageBoxes], imageSize: Int, scales: [Double]? = nil) throws -> [Size] {
        if let scales, scales.count != images.count {
            throw ConfigError("AutoAnchor: \(scales.count) scales for \(images.count) images")
        }
        return try images.enumerated().flatMap { index, image -> [Size] in
            guard image.width > 0, image.height > 0 else {
                throw ConfigError("AutoAnchor: image \(index) is \(image.width)×\(image.height) pixels")
            }
            let factor = Double(imageSize) / Double(max(image.width, image.height)) * (scales?[index] ?? 1)
            let (width, height) = (Double(image.width) * factor, Double(image.height) * factor)
            return image.boxes.map { ($0.width * width, $0.height * height) }
        }
    }

    /// ultralytics' per-image scale augmentation, uniform in [0.9, 1.1).
    public static func augmentationScales(count: Int, using generator: inout some RandomNumberGenerator) -> [Double] {
        (0..<count).map { _ in Double.random(in: 0.9..<1.1, using: &generator) }
    }

    /// Best possible recall (the share of boxes some anchor may take) and the mean number of
    /// anchors each box may take, as `check_anchors` reports them.
    public static func check(labelSizes: [Size], anchors: [[Double]], threshold: Double = defaultThreshold) throws
        -> (bpr: Double, anchorsAboveThreshold: Double) {
        let ratios = try ratioMetric(labelSizes, try pairs(anchors))
        let limit = 1 / threshold
        let best = ratios.map { $0.max() ?? 0 }
        let bpr = Double(best.filter { $0 > limit }.count) / Double(ratios.count)
        let above = Double(ratios.reduce(0) { $0 + $1.filter { $0 > limit }.count }) / Double(ratios.count)
        return (bpr, above)
    }

    /// What the genetic search maximises: the mean over boxes of the best anchor's ratio, counting
    /// only boxes some anchor may take.
    public static func fitness(labelSizes: [Size], anchors: [[Double]], threshold: Double = defaultThreshold) throws -> Double {
        let limit = 1 / threshold
        let best = try ratioMetric(labelSizes, try pairs(anchors)).map { $0.max() ?? 0 }
        return best.reduce(0) { $0 + ($1 > limit ? $1 : 0) } / Double(best.count)
    }

    /// The boxes anchors are fitted to: those at least 2 px on some side. `tiny` counts the boxes
    /// under 3 px on some side, which ultralytics warns about.
    public static func filtered(_ sizes: [Size]) -> (kept: [Size], tiny: Int) {
        (sizes.filter { $0.width >= 2 || $0.height >= 2 }, sizes.filter { $0.width < 3 || $0.height < 3 }.count)
    }

    /// New anchors for the boxes: k-means on the sizes whitened by their standard deviations (random
    /// sizes up to `imageSize` when there are too few distinct boxes), then `generations` rounds of
    /// mutation (each anchor side with probability 0.9, by a normal factor of σ 0.1 times one uniform
    /// draw, clipped to [0.3, 3], sides at least 2 px) keeping a mutant only when it is fitter.
    /// Returns `count` [w, h] pairs sorted by area, smallest first.
    public static func evolve(labelSizes: [Size], count: Int, imageSize: Int, threshold: Double = defaultThreshold,
                              generations: Int = 1000, using generator: inout some RandomNumberGenerator) throws -> [[Double]] {
        guard count > 0 else { throw ConfigError("AutoAnchor: \(count) anchors asked for; at least one is needed") }
        let sizes = filtered(labelSizes).kept
        guard !sizes.isEmpty else { throw ConfigError("AutoAnchor: no box is 2 pixels or more on a side; anchors cannot be fitted") }
        var anchors = initialAnchors(sizes, count: count, imageSize: imageSize, using: &generator)
        var best = try fitness(labelSizes: sizes, anchors: anchors, threshold: threshold)
        for _ in 0..<generations {
            let mutant = mutated(anchors, using: &generator)
            let candidate = try fitness(labelSizes: sizes, anchors: mutant, threshold: threshold)
            if candidate > best { (anchors, best) = (mutant, candidate) }
        }
        return anchors.sorted { $0[0] * $0[1] < $1[0] * $1[1] }
    }

    /// Anchor levels reordered to follow the strides: when the mean anchor area shrinks while the
    /// stride grows (or the reverse), the levels are flipped, as `check_anchor_order` does.
    public static func orderedByStride(_ anchors: [[Double]], strides: [Int]) throws -> (anchors: [[Double]], reversed: Bool) {
        guard anchors.count == strides.count, !anchors.isEmpty else {
            throw ConfigError("AutoAnchor: \(anchors.count) anchor levels for \(strides.count) strides")
        }
        let areas = try anchors.map { level -> Double in
            let levelPairs = try pairs([level])
            return levelPairs.reduce(0) { $0 + $1.x * $1.y } / Double(levelPairs.count)
        }
        let (areaChange, strideChange) = (areas.last! - areas.first!, Double(strides.last! - strides.first!))
        let signum = { (value: Double) in value > 0 ? 1 : value < 0 ? -1 : 0 }
        let reversed = areaChange != 0 && signum(areaChange) != signum(strideChange)
        return (reversed ? anchors.reversed() : anchors, reversed)
    }

    /// `check_anchors`' decision: anchors whose best possible recall on `labelSizes` is above
    /// `recallToRecompute` stay; otherwise evolved ones replace them when they recall more, regrouped
    /// into the same levels and ordered by stride. `replaced` says which happened.
    public static func fitted(_ anchors: [[Double]], strides: [Int], labelSizes: [Size], imageSize: Int,
                              threshold: Double = defaultThreshold, generations: Int = 1000,
                              using generator: inout some RandomNumberGenerator) throws -> (anchors: [[Double]], replaced: Bool) {
        let current = try check(labelSizes: labelSizes, anchors: anchors, threshold: threshold).bpr
        guard current <= recallToRecompute else { return (anchors, false) }
        let evolved = try evolve(labelSizes: labelSizes, count: try pairs(anchors).count, imageSize: imageSize,
                                 threshold: threshold, generations: generations, using: &generator)
        guard try check(labelSizes: labelSizes, anchors: evolved, threshold: threshold).bpr > current else { return (anchors, false) }
        return (try orderedByStride(try levels(evolved, count: anchors.count), strides: strides).anchors, true)
    }

    /// [w, h] pairs regrouped into `levels` levels of `[w, h, w, h, …]`, consecutive pairs together.
    public static func levels(_ pairs: [[Double]], count levels: Int) throws -> [[Double]] {
        guard levels > 0, pairs.count % levels == 0 else {
            throw ConfigError("AutoAnchor: \(pairs.count) anchors do not split into \(levels) levels")
        }
        let perLevel = pairs.count / levels
        return (0..<levels).map { level in pairs[level * perLevel..<(level + 1) * perLevel].flatMap { $0 } }
    }

    // MARK: - Internals

    /// Per box and anchor, min(r, 1/r) over both sides of r = box / anchor: 1 for a perfect fit.
    static func ratioMetric(_ sizes: [Size], _ anchors: [SIMD2<Double>]) throws -> [[Double]] {
        guard !sizes.isEmpty else { throw ConfigError("AutoAnchor: no boxes to measure anchors against") }
        return sizes.map { size in
            anchors.map { anchor in
                let (rw, rh) = (size.width / anchor.x, size.height / anchor.y)
                return min(min(rw, 1 / rw), min(rh, 1 / rh))
            }
        }
    }

    static func pairs(_ anchors: [[Double]]) throws -> [SIMD2<Double>] {
        let flat = anchors.flatMap { $0 }
        guard !flat.isEmpty, anchors.allSatisfy({ $0.count % 2 == 0 }), flat.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw ConfigError("AutoAnchor: anchors must be positive (w, h) pairs per level, got \(anchors)")
        }
        return stride(from: 0, to: flat.count, by: 2).map { SIMD2(flat[$0], flat[$0 + 1]) }
    }

    static func initialAnchors(_ sizes: [Size], count: Int, imageSize: Int,
                               using generator: inout some RandomNumberGenerator) -> [[Double]] {
        let points = sizes.map { SIMD2($0.width, $0.height) }
        let mean = points.reduce(.zero, +) / Double(points.count)
        let variance = points.reduce(.zero) { $0 + ($1 - mean) * ($1 - mean) } / Double(points.count)
        let sigma = SIMD2(variance.x.squareRoot(), variance.y.squareRoot())
        if sigma.x > 0, sigma.y > 0, let centres = KMeans.centres(points.map { $0 / sigma }, count: count, using: &generator) {
            return centres.map { [$0.x * sigma.x, $0.y * sigma.y] }
        }
        // ultralytics' fallback: sorted uniform sides, paired in order.
        let sides = (0..<2 * count).map { _ in Double.random(in: 0..<1, using: &generator) }.sorted()
        return (0..<count).map { [sides[2 * $0] * Double(imageSize), sides[2 * $0 + 1] * Double(imageSize)] }
    }

    static func mutated(_ anchors: [[Double]], using generator: inout some RandomNumberGenerator) -> [[Double]] {
        while true {
            let spread = Double.random(in: 0..<1, using: &generator)
            let factors = anchors.map { pair in
                pair.map { _ -> Double in
                    let mutates = Double.random(in: 0..<1, using: &generator) < 0.9
                    let factor = 1 + (mutates ? 1 : 0) * spread * standardNormal(using: &generator) * 0.1
                    return min(max(factor, 0.3), 3.0)
                }
            }
            // Mutate until something changes, so no generation re-tests the same anchors.
            guard factors.joined().contains(where: { $0 != 1 }) else { continue }
            return zip(anchors, factors).map { pair, factor in zip(pair, factor).map { max($0 * $1, 2) } }
        }
    }

    /// Box–Muller.
    static func standardNormal(using generator: inout some RandomNumberGenerator) -> Double {
        let u = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &generator)
        let v = Double.random(in: 0..<1, using: &generator)
        return (-2 * Foundation.log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}
