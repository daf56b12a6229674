import Foundation

/// What `lookkit recommend --json` prints and `POST /api/recommend` returns for one photo.
/// Keys are snake_case as the JSON shows them; boxes are in the photo's own pixels.
public struct Recommendation: Codable, Sendable, Equatable {
    public var photo: String
    public var pose: PoseVerdictJSON
    /// Nil when the pose gate rejected the photo and nothing else ran.
    public var gender: GenderJSON?
    public var articles: [Article]
    public var completeTheLook: [ComplementaryGroup]
    /// Milliseconds per stage (pose, gender, detect, embed, search, style, total).
    public var timingsMs: [String: Double]

    public init(photo: String, pose: PoseVerdictJSON, gender: GenderJSON?, articles: [Article],
                completeTheLook: [ComplementaryGroup], timingsMs: [String: Double]) {
        self.photo = photo
        self.pose = pose
        self.gender = gender
        self.articles = articles
        self.completeTheLook = completeTheLook
        self.timingsMs = timingsMs
    }

    enum CodingKeys: String, CodingKey {
        case photo, pose, gender, articles
        case completeTheLook = "complete_the_look"
        case timingsMs = "timings_ms"
    }

    public struct PoseVerdictJSON: Codable, Sendable, Equatable {
        public var accepted: Bool
        public var fullShot: Bool
        public var frontFacing: Bool
        /// Why a rule failed ("" when every rule passed).
        public var reason: String

        public init(accepted: Bool, fullShot: Bool, frontFacing: Bool, reason: String) {
            self.accepted = accepted
            self.fullShot = fullShot
            self.frontFacing = frontFacing
            self.reason = reason
        }

        enum CodingKeys: String, CodingKey {
            case accepted, reason
            case fullShot = "full_shot"
            case frontFacing = "front_facing"
        }
    }

    public struct GenderJSON: Codable, Sendable, Equatable {
        public var label: String
        public var score: Float
        public init(label: String, score: Float) {
            self.label = label
            self.score = score
        }
    }

    /// A catalog product: its id, similarity (higher is closer) and the metadata it was filtered on.
    public struct Product: Codable, Sendable, Equatable {
        public var id: String
        public var score: Float
        public var gender: String
        public var category: String
        public init(id: String, score: Float, gender: String, category: String) {
            self.id = id
            self.score = score
            self.gender = gender
            self.category = category
        }
    }

    /// One detected garment and the catalog products most like its crop.
    public struct Article: Codable, Sendable, Equatable {
        public var `class`: String
        public var score: Float
        /// x1, y1, x2, y2 in the photo's pixels.
        public var box: [Float]
        public var similar: [Product]
        public init(class: String, score: Float, box: [Float], similar: [Product]) {
            self.class = `class`
            self.score = score
            self.box = box
            self.similar = similar
        }
    }

    /// Products of one category the photo does not show, closest to the scene in style first.
    public struct ComplementaryGroup: Codable, Sendable, Equatable {
        public var category: String
        public var items: [Product]
        public init(category: String, items: [Product]) {
            self.category = category
            self.items = items
        }
    }
}
