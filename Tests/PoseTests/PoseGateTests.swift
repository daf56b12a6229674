import Datasets
import Foundation
import LookKitCore
import Pose
import TestSupport
import XCTest

/// The real graph (`make weights`) on a real street photo (../shared), against Python's cv2.dnn.
final class PoseGateTests: XCTestCase {
    static let graph = ReferencePython.packageRoot.appendingPathComponent("checkpoints/pretrained/pose_mobilenet_thin.pb")

    func graphOrSkip() throws -> URL {
        guard FileManager.default.fileExists(atPath: Self.graph.path) else {
            throw XCTSkip("no pose graph at \(Self.graph.path): run `make weights`")
        }
        return Self.graph
    }

    func photoOrSkip(_ name: String = "188545.jpg") throws -> Image {
        try Image(contentsOf: SharedData.dataset("colorful-fashion-detection-train").appendingPathComponent("images/\(name)"))
    }

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("PoseGateTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }

    func testGraphOutputEqualsPythonOpenCV() throws {
        let gate = try PoseGate(graph: graphOrSkip())
        let input = try PoseGate.inputImage(photoOrSkip())
        XCTAssertEqual([input.width, input.height], [248, 368], "a 277×416 photo keeps its ratio at 368 high")
        let folder = try temporaryFolder()
        let png = folder.appendingPathComponent("input.png"), raw = folder.appendingPathComponent("output.raw")
        try input.write(to: png)
        let report = try ReferencePython.run(script: "Tests/PoseTests/pose_reference.py", [Self.graph.path, png.path, raw.path])
        let shape = try XCTUnwrap(JSONSerialization.jsonObject(with: report) as? [String: Any])["shape"] as? [Int]
        let expected = try Data(contentsOf: raw).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }

        let maps = try gate.maps(networkInput: input)
        XCTAssertEqual(shape, [1, 57, maps.height, maps.width])
        XCTAssertEqual([maps.width, maps.height], [31, 46])
        XCTAssertEqual(maps.values.count, expected.count)
        let worst = zip(maps.values, expected).map { abs($0 - $1) }.max() ?? .infinity
        XCTAssertLessThanOrEqual(worst, 1e-4, "largest difference from Python cv2.dnn")
        XCTAssertGreaterThan(maps.channel(0).max() ?? 0, 0.5, "the nose heatmap has a clear peak")
    }

    func testStandingWomanIsAccepted() throws {
        // 188545: a woman facing the camera, head to shoes in the frame (datasets/labels: yes, yes).
        let gate = try PoseGate(graph: graphOrSkip())
        let photo = try photoOrSkip()
        let verdict = try gate.check(photo)
        XCTAssertTrue(verdict.accepted, verdict.reason)
        let nose = try XCTUnwrap(verdict.keypoints[.nose]), ankle = try XCTUnwrap(verdict.keypoints[.leftAnkle])
        XCTAssertLessThan(nose.y, ankle.y)
        XCTAssertLessThan(try XCTUnwrap(verdict.keypoints[.rightShoulder]).x, try XCTUnwrap(verdict.keypoints[.leftShoulder]).x)
        // Her top 55%: no ankles.
        let top = try photo.cropped(to: PixelRect(x: 0, y: 0, width: photo.width, height: photo.height * 55 / 100))
        let cut = try gate.check(top)
        XCTAssertFalse(cut.fullShot, "top 55%: \(cut.keypoints.keys.map(\.name))")
        XCTAssertTrue(cut.reason.hasPrefix("not a full shot:"), cut.reason)
    }

    func testConcurrentChecksEqualSerialOnes() throws {
        let gate = try PoseGate(graph: graphOrSkip())
        let photo = try photoOrSkip()
        let serial = try gate.keypoints(photo)
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 3) { _ in results.append(Result { try gate.keypoints(photo) }) }
        XCTAssertEqual(results.values.count, 3)
        for result in results.values { XCTAssertEqual(try result.get(), serial) }
    }

    func testMissingGraphIsNamed() {
        let missing = URL(fileURLWithPath: "/nonexistent/pose_graph.pb")
        XCTAssertThrowsError(try PoseGate(graph: missing)) { error in
            XCTAssertTrue("\(error)".contains(missing.path), "\(error)")
            XCTAssertEqual((error as? LookKitError)?.category, .notFound)
        }
    }

    func testCorruptGraphIsNamed() throws {
        let folder = try temporaryFolder()
        let garbage = folder.appendingPathComponent("garbage.pb")
        try Data("not a TensorFlow graph at all".utf8).write(to: garbage)
        var damaged = [garbage]
        if FileManager.default.fileExists(atPath: Self.graph.path) {
            // The real graph cut short: a download stopped halfway.
            let half = folder.appendingPathComponent("half.pb")
            try Data(contentsOf: Self.graph).prefix(1_000_000).write(to: half)
            damaged.append(half)
        }
        for file in damaged {
            XCTAssertThrowsError(try PoseGate(graph: file)) { error in
                XCTAssertTrue("\(error)".contains(file.path), "\(error)")
                XCTAssertEqual((error as? LookKitError)?.category, .badInput)
            }
        }
    }
}

/// Collects results from concurrent closures.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Result<[BodyPart: Keypoint], Error>] = []
    func append(_ result: Result<[BodyPart: Keypoint], Error>) { lock.withLock { stored.append(result) } }
    var values: [Result<[BodyPart: Keypoint], Error>] { lock.withLock { stored } }
}
