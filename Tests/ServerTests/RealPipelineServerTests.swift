import Datasets
import Foundation
import Pipeline
import Server
import TestSupport
import XCTest

/// The server over the real pipeline: models loaded once, 8 concurrent clients, each answer the
/// same as a request made alone. The demo's committed weights are expanded against the ImageNet
/// backbone `make weights` fetches (a skip without it) and the demo catalog is built once into a
/// temporary folder; LOOKKIT_SERVE_MODELS names a folder with models and a catalog to use instead.
final class RealPipelineServerTests: ServerTestCase {
    func testConcurrentRequestsOnThePipelineMatchARequestAlone() async throws {
        let root = ReferencePython.packageRoot
        let folder: URL
        if let given = ProcessInfo.processInfo.environment["LOOKKIT_SERVE_MODELS"] {
            folder = URL(fileURLWithPath: given)
        } else {
            let backbone = root.appendingPathComponent("checkpoints/pretrained/efficientnet_lite0.safetensors")
            guard FileManager.default.fileExists(atPath: backbone.path) else {
                throw XCTSkip("\(backbone.path) is absent: `make weights` fetches the backbone the demo weights extend")
            }
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("lookkit-serve-demo-\(getpid())")
            let demo = LookDemo(bundle: root.appendingPathComponent("datasets/demo"), work: folder, backbone: backbone,
                                poseGraph: folder.appendingPathComponent("unused.pb"))
            try demo.expandWeights()
            try demo.buildCatalogIfNeeded { _ in }
        }
        let models = PipelineModelFiles(checkpoints: folder), catalog = folder.appendingPathComponent("catalog")
        // The keypoint model is not part of this check: pose_gate=off on every request.
        let recommender = try PipelineRecommender(catalog: catalog, models: models, poseGate: false)
        let uploads = try [UploadPageBrowserTests.lookPhoto(), try TestPhotos.twoTone(top: (200, 40, 40), bottom: (30, 30, 90), width: 192, height: 384)]
            .enumerated().map { try TestPhotos.jpeg($1, name: "look-\($0).jpg") }
        let query = ["pose_gate": "off", "k": "3"]
        try await withServer(recommender) { server in
            var alone: [Recommendation] = []
            for upload in uploads { alone.append(try decodeRecommendation(try await post(server, upload, query: query))) }
            let together = try await withThrowingTaskGroup(of: (Int, Recommendation).self) { group in
                for i in 0..<16 {
                    group.addTask { (i % uploads.count, try self.decodeRecommendation(try await self.post(server, uploads[i % uploads.count], query: query))) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            XCTAssertEqual(together.count, 16)
            for (photo, answer) in together {
                XCTAssertEqual(answer.photo, alone[photo].photo)
                XCTAssertEqual(answer.gender, alone[photo].gender)
                XCTAssertEqual(answer.articles, alone[photo].articles, "\(answer.photo) answered differently under load")
                XCTAssertEqual(answer.completeTheLook, alone[photo].completeTheLook)
                XCTAssertNotNil(answer.timingsMs["total"])
            }
        }
    }
}
