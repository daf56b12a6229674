/// The gate's decision on one photo, with the keypoints it was made from.
public struct PoseVerdict: Sendable, Equatable {
    public var fullShot: Bool
    public var frontFacing: Bool
    public var accepted: Bool { fullShot && frontFacing }
    /// "" when accepted; else why, e.g. "not a full shot: left ankle not found".
    public var reason: String
    public var keypoints: [BodyPart: Keypoint]

    public init(fullShot: Bool, frontFacing: Bool, reason: String, keypoints: [BodyPart: Keypoint]) {
        (self.fullShot, self.frontFacing, self.reason, self.keypoints) = (fullShot, frontFacing, reason, keypoints)
    }
}

/// Rules from keypoints and the photo's size to a verdict: pure, so each one is tested on hand-made
/// keypoints. The defaults are what `lookkit eval pose --tune` chose on the tuning half of
/// datasets/labels/street-photos.csv (`PoseRuleTuning`; README, *Pose gate*); thresholds the search
/// left at their loosest (margins, shin fallback, widths) stay as switches for other photo sets.
public struct PoseRules: Sendable, Equatable, Codable {
    /// A keypoint below this heatmap confidence counts as not found.
    public var minConfidence: Float = 0.3
    /// Ankles need their own confidence: this graph's ankle heatmaps are weak on full shots (median
    /// 0.55 for the stronger one) yet near zero on photos cut above the knees.
    public var ankleMinConfidence: Float = 0.1
    /// Ankles that must be found: 2, or 1 because the graph often puts both ankles on one foot (left and
    /// right confused) and leaves the other weak.
    public var minAnkles = 2
    /// A head point (nose, eyes) higher than this share of the height from the top edge is taken as a
    /// face cut by the frame (the graph still finds eyes on a face cut at the brow).
    public var topMargin: Float = 0
    /// An ankle lower than this share of the photo's height from the bottom edge is taken as cut by
    /// the frame (the network still puts a weak ankle at the edge of a photo cut at the shins).
    public var bottomMargin: Float = 0
    /// With no ankle found, a knee still makes a full shot when the shin (as long as the thigh times
    /// this) ends inside the frame: feet hidden by a long skirt or shadow. 0 turns the fallback off.
    public var shinToThigh: Float = 0
    /// Left shoulder minus right shoulder (x), over the neck-to-hips length: a side view brings the
    /// shoulders together, a back view makes it negative.
    public var minShoulderWidth: Float = 0
    /// The same for the hips.
    public var minHipWidth: Float = 0
    /// A face in profile shows one eye.
    public var requireBothEyes = false
    /// How far the nose may sit from the shoulders' midpoint, as a share of the shoulder width: a face
    /// or body turned away puts it near one shoulder. nil turns the rule off (see the README's pose
    /// gate table: off trades precision of accepted photos for recall).
    public var maxNoseOffset: Float? = 0.3

    public init() {}

    enum CodingKeys: String, CodingKey {
        case minConfidence, ankleMinConfidence, minAnkles, topMargin, bottomMargin, shinToThigh, minShoulderWidth, minHipWidth,
             requireBothEyes, maxNoseOffset
    }

    /// Thresholds a JSON object leaves out keep their defaults, so `{"maxNoseOffset": 0.5}` is a rule set.
    public init(from decoder: Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        func read<T: Decodable>(_ key: CodingKeys, _ value: inout T) throws { value = try values.decodeIfPresent(T.self, forKey: key) ?? value }
        try read(.minConfidence, &minConfidence)
        try read(.ankleMinConfidence, &ankleMinConfidence)
        try read(.minAnkles, &minAnkles)
        try read(.topMargin, &topMargin)
        try read(.bottomMargin, &bottomMargin)
        try read(.shinToThigh, &shinToThigh)
        try read(.minShoulderWidth, &minShoulderWidth)
        try read(.minHipWidth, &minHipWidth)
        try read(.requireBothEyes, &requireBothEyes)
        // Present and null turns the rule off; absent keeps the default.
        if values.contains(.maxNoseOffset) { maxNoseOffset = try values.decodeIfPresent(Float.self, forKey: .maxNoseOffset) }
    }

    /// Every threshold, `maxNoseOffset` as null when off (so the report's rules read back the same).
    public func encode(to encoder: Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encode(minConfidence, forKey: .minConfidence)
        try values.encode(ankleMinConfidence, forKey: .ankleMinConfidence)
        try values.encode(minAnkles, forKey: .minAnkles)
        try values.encode(topMargin, forKey: .topMargin)
        try values.encode(bottomMargin, forKey: .bottomMargin)
        try values.encode(shinToThigh, forKey: .shinToThigh)
        try values.encode(minShoulderWidth, forKey: .minShoulderWidth)
        try values.encode(minHipWidth, forKey: .minHipWidth)
        try values.encode(requireBothEyes, forKey: .requireBothEyes)
        try values.encode(maxNoseOffset, forKey: .maxNoseOffset)
    }

    public func verdict(_ keypoints: [BodyPart: Keypoint], width: Int, height: Int) -> PoseVerdict {
        let notFull = fullShotFailure(keypoints, width: width, height: height)
        let notFront = frontFacingFailure(keypoints)
        let reasons = [notFull.map { "not a full shot: \($0)" }, notFront.map { "not front facing: \($0)" }].compactMap { $0 }
        return PoseVerdict(fullShot: notFull == nil, frontFacing: notFront == nil, reason: reasons.joined(separator: "; "), keypoints: keypoints)
    }

    /// nil for a full shot: the head and both ankles (or, with the fallback, shins) inside the frame.
    public func fullShotFailure(_ keypoints: [BodyPart: Keypoint], width: Int, height: Int) -> String? {
        let found = self.found(keypoints)
        let head = [BodyPart.nose, .rightEye, .leftEye].compactMap { found[$0] }
        guard let top = head.map(\.y).min() else { return "head (nose, eyes) not found" }
        if top < Float(height) * topMargin { return "head at the top edge" }
        let bottom = Float(height) * (1 - bottomMargin)
        var failures: [String] = []
        for (ankle, knee, hip) in [(BodyPart.rightAnkle, BodyPart.rightKnee, BodyPart.rightHip), (.leftAnkle, .leftKnee, .leftHip)] {
            if let point = keypoints[ankle], point.confidence >= ankleMinConfidence, point.y.isFinite {
                if point.y > bottom { failures.append("\(ankle.name) at the bottom edge") }
                continue
            }
            guard shinToThigh > 0, let kneePoint = found[knee], let hipPoint = found[hip] else { failures.append("\(ankle.name) not found"); continue }
            let shinEnd = kneePoint.y + (kneePoint.y - hipPoint.y) * shinToThigh
            if shinEnd > bottom { failures.append("\(ankle.name) not found and the \(knee.name)'s shin leaves the frame") }
        }
        // Both ankles failing always fails; one failing only when both are required.
        return failures.count > 2 - max(1, min(minAnkles, 2)) ? failures.joined(separator: ", ") : nil
    }

    /// nil when front facing: nose, both shoulders and hips found, in front-facing left/right order
    /// (the person's right on the image's left), wide enough for the torso.
    public func frontFacingFailure(_ keypoints: [BodyPart: Keypoint]) -> String? {
        let found = self.found(keypoints)
        for part in [BodyPart.nose, .rightShoulder, .leftShoulder, .rightHip, .leftHip] where found[part] == nil {
            return "\(part.name) not found"
        }
        if requireBothEyes, found[.rightEye] == nil || found[.leftEye] == nil { return "one eye only (face in profile)" }
        let (rs, ls, rh, lh) = (found[.rightShoulder]!, found[.leftShoulder]!, found[.rightHip]!, found[.leftHip]!)
        if rs.x >= ls.x || rh.x >= lh.x { return "left and right swapped (back view)" }
        let neck = found[.neck] ?? Keypoint(x: (rs.x + ls.x) / 2, y: (rs.y + ls.y) / 2, confidence: 0)
        let hipsX = (rh.x + lh.x) / 2, hipsY = (rh.y + lh.y) / 2
        let torso = ((hipsX - neck.x) * (hipsX - neck.x) + (hipsY - neck.y) * (hipsY - neck.y)).squareRoot()
        guard torso > 0 else { return "torso has no length" }
        if (ls.x - rs.x) / torso < minShoulderWidth { return "shoulders too close together for the torso (side view)" }
        if (lh.x - rh.x) / torso < minHipWidth { return "hips too close together for the torso (side view)" }
        let nose = found[.nose]!
        if let maxNoseOffset, abs(nose.x - (rs.x + ls.x) / 2) > maxNoseOffset * (ls.x - rs.x) { return "nose off the shoulders' middle (turned away)" }
        return nil
    }

    private func found(_ keypoints: [BodyPart: Keypoint]) -> [BodyPart: Keypoint] {
        keypoints.filter { $0.value.confidence >= minConfidence && $0.value.x.isFinite && $0.value.y.isFinite }
    }
}
