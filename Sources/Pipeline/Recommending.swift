import Datasets
import Foundation

/// How strictly the pose gate applies: `enforce` stops at a rejected photo (the verdict is still
/// returned), `warn` reports it and goes on, `off` skips the keypoint model.
public enum PoseGateMode: String, CaseIterable, Sendable, Codable {
    case enforce, warn, off
}

public struct RecommendOptions: Sendable, Equatable {
    /// Products per article and per complementary category.
    public var k: Int
    public var poseGate: PoseGateMode

    public init(k: Int = 5, poseGate: PoseGateMode = .warn) {
        self.k = k
        self.poseGate = poseGate
    }
}

/// The whole "buy me that look" pipeline behind one call, loaded once and shared: the CLI, the
/// web server and tests all go through this. Implementations are safe to call concurrently.
public protocol Recommending: Sendable {
    /// The recommendation for one decoded photo; `name` is what the JSON's "photo" says.
    func recommend(_ photo: Image, name: String, options: RecommendOptions) throws -> Recommendation
    /// The image file of a catalog product (for thumbnails), or nil for an unknown id.
    func productImageURL(id: String) -> URL?
}
