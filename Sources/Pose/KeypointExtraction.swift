/// From heatmaps and part-affinity fields to one person's keypoints: peaks of each part's heatmap
/// (upsampled to the network input), then, from every neck peak, the skeleton tree is followed limb
/// by limb, taking the child peak the field connects best (OpenPose's line integral); the person whose
/// keypoints span the most pixels wins. Thresholds are OpenPose's defaults unless noted.
public struct KeypointExtraction: Sendable {
    /// A heatmap value below this is no peak (OpenPose: 0.05–0.1; 0.1 drops the faint echoes of limbs).
    public var peakThreshold: Float = 0.1
    /// Candidates kept per part, strongest first (street photos hold one to a few people).
    public var maxPeaksPerPart = 20
    /// Points sampled along a limb for its line integral.
    public var limbSamples = 10
    /// A sample counts as aligned when the field's projection on the limb exceeds this.
    public var alignedSampleThreshold: Float = 0.05
    /// Share of aligned samples a limb needs.
    public var minAlignedFraction: Float = 0.8
    /// A part no limb links to the person (this graph's shin fields are weak: on the labelled street
    /// photos ankles were often left out while their heatmap peaked clearly) takes its strongest peak
    /// within the person's column: their keypoints' x range widened by half its width each side.
    public var fillUnlinkedParts = true

    public init() {}

    /// A local maximum of one part's upsampled heatmap, in network-input pixels.
    public struct Peak: Sendable, Equatable {
        public var x: Float
        public var y: Float
        public var score: Float
    }

    /// Each part's peaks (indexed by `BodyPart.rawValue`), strongest first.
    public func peaks(_ maps: PoseMaps, inputWidth: Int, inputHeight: Int) -> [[Peak]] {
        BodyPart.allCases.map { part in
            let map = upsampled(maps.channel(part.rawValue), width: maps.width, height: maps.height, toWidth: inputWidth, toHeight: inputHeight)
            return localMaxima(map, width: inputWidth, height: inputHeight)
        }
    }

    /// Peaks above the threshold that no 8-neighbour beats; on a plateau only the first cell in
    /// reading order counts (neighbours before it must be strictly lower).
    func localMaxima(_ map: [Float], width: Int, height: Int) -> [Peak] {
        var found: [Peak] = []
        for y in 0 ..< height {
            for x in 0 ..< width {
                let value = map[y * width + x]
                guard value >= peakThreshold else { continue }
                var isPeak = true
                neighbours: for dy in -1 ... 1 {
                    for dx in -1 ... 1 where dx != 0 || dy != 0 {
                        let nx = x + dx, ny = y + dy
                        guard nx >= 0, ny >= 0, nx < width, ny < height else { continue }
                        let other = map[ny * width + nx]
                        let before = dy < 0 || (dy == 0 && dx < 0)
                        if other > value || (before && other == value) { isPeak = false; break neighbours }
                    }
                }
                if isPeak { found.append(Peak(x: Float(x), y: Float(y), score: value)) }
            }
        }
        return Array(found.sorted { $0.score > $1.score }.prefix(maxPeaksPerPart))
    }

    /// The largest person's keypoints in photo pixels (the network input was the photo resized to
    /// inputWidth × inputHeight). Empty when no part has a peak.
    public func largestPerson(_ maps: PoseMaps, inputWidth: Int, inputHeight: Int, photoWidth: Int, photoHeight: Int) -> [BodyPart: Keypoint] {
        let candidates = peaks(maps, inputWidth: inputWidth, inputHeight: inputHeight)
        let people = candidates[BodyPart.neck.rawValue].map { person(from: $0, candidates, maps, inputWidth: inputWidth, inputHeight: inputHeight) }
        // No neck at all (e.g. a close-up of legs): fall back to each part's strongest peak.
        var chosen = people.max { Self.size($0) < Self.size($1) }
            ?? Dictionary(uniqueKeysWithValues: BodyPart.allCases.compactMap { part in candidates[part.rawValue].first.map { (part, $0) } })
        if fillUnlinkedParts { fill(&chosen, from: candidates, inputWidth: inputWidth) }
        let scaleX = Float(photoWidth) / Float(inputWidth), scaleY = Float(photoHeight) / Float(inputHeight)
        return chosen.mapValues { peak in
            Keypoint(x: min(max((peak.x + 0.5) * scaleX - 0.5, 0), Float(photoWidth - 1)),
                     y: min(max((peak.y + 0.5) * scaleY - 0.5, 0), Float(photoHeight - 1)), confidence: peak.score)
        }
    }

    /// Follows the skeleton tree from one neck peak.
    func person(from neck: Peak, _ candidates: [[Peak]], _ maps: PoseMaps, inputWidth: Int, inputHeight: Int) -> [BodyPart: Peak] {
        var chosen: [BodyPart: Peak] = [.neck: neck]
        for limb in Limb.tree {
            guard let start = chosen[limb.parent] else { continue }
            let scored = candidates[limb.child.rawValue].compactMap { end in
                limbScore(from: start, to: end, limb, maps, inputWidth: inputWidth, inputHeight: inputHeight).map { (end, $0) }
            }
            if let best = scored.max(by: { $0.1 < $1.1 }) { chosen[limb.child] = best.0 }
        }
        return chosen
    }

    /// Adds each missing part's strongest peak inside the person's column (see `fillUnlinkedParts`).
    func fill(_ person: inout [BodyPart: Peak], from candidates: [[Peak]], inputWidth: Int) {
        let xs = person.values.map(\.x)
        guard let left = xs.min(), let right = xs.max() else { return }
        let margin = max((right - left) / 2, 0.05 * Float(inputWidth))
        for part in BodyPart.allCases where person[part] == nil {
            if let peak = candidates[part.rawValue].first(where: { $0.x >= left - margin && $0.x <= right + margin }) { person[part] = peak }
        }
    }

    /// OpenPose's limb score: the mean projection of the field on the segment, less a penalty for
    /// limbs longer than half the input height; nil when too few samples align or the score is ≤ 0.
    func limbScore(from start: Peak, to end: Peak, _ limb: Limb, _ maps: PoseMaps, inputWidth: Int, inputHeight: Int) -> Float? {
        let dx = end.x - start.x, dy = end.y - start.y
        let length = (dx * dx + dy * dy).squareRoot()
        guard length > 1e-3, limbSamples > 1 else { return nil }
        let (ux, uy) = (dx / length, dy / length)
        // Input pixel centres to field-grid coordinates.
        let strideX = Float(inputWidth) / Float(maps.width), strideY = Float(inputHeight) / Float(maps.height)
        var total: Float = 0, aligned = 0
        for i in 0 ..< limbSamples {
            let t = Float(i) / Float(limbSamples - 1)
            let gx = (start.x + dx * t + 0.5) / strideX - 0.5, gy = (start.y + dy * t + 0.5) / strideY - 0.5
            let projection = maps.sample(limb.pafX, x: gx, y: gy) * ux + maps.sample(limb.pafY, x: gx, y: gy) * uy
            total += projection
            if projection > alignedSampleThreshold { aligned += 1 }
        }
        let score = total / Float(limbSamples) + min(0.5 * Float(inputHeight) / length - 1, 0)
        guard Float(aligned) >= minAlignedFraction * Float(limbSamples), score > 0 else { return nil }
        return score
    }

    /// Larger side of the keypoints' bounding box, then how many parts were found (tuples compare in order).
    static func size(_ person: [BodyPart: Peak]) -> (Float, Int) {
        let xs = person.values.map(\.x), ys = person.values.map(\.y)
        let extent = max((xs.max() ?? 0) - (xs.min() ?? 0), (ys.max() ?? 0) - (ys.min() ?? 0))
        return (extent, person.count)
    }
}
