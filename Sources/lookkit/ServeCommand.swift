import ArgumentParser
import Foundation
import LookKitCore
import Pipeline
import Server

/// `lookkit serve`: the upload page and `POST /api/recommend` over the pipeline, models loaded once.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve buy me that look over HTTP: an upload page and a JSON API.",
        discussion: """
            Routes: GET / (upload page), POST /api/recommend (multipart/form-data, field "photo"; optional ?k= and \
            ?pose_gate=) answering the JSON of `lookkit recommend --json` for one photo, GET /api/products/ID/image, \
            GET /healthz. Errors are {"error": "..."} with a 4xx status for bad uploads and 422/500 for pipeline \
            failures. The models load once; requests run concurrently on --workers threads. Stops on SIGINT/SIGTERM \
            after answering requests in flight. \(ErrorCategory.exitCodeTable)
            """)

    @Option(help: "A catalog folder of `lookkit catalog build`.") var catalog: String
    @Option(help: "Port to listen on (0: any free port).") var port = 8080
    @Option(help: "Address to listen on: 127.0.0.1 for this machine only, 0.0.0.0 for the network.") var host = "127.0.0.1"
    @Option(help: "Largest upload accepted, in MiB.") var maxUploadMb = 10
    @Option(help: "Products per garment and per complementary category when a request does not say (?k=).") var k = 5
    @Option(help: "Pose gate when a request does not say (?pose_gate=); off also skips loading the keypoint model.")
    var poseGate: PoseGateMode = .warn
    @Option(help: "Recommendations computed at once (one per core unless set); further requests wait.") var workers = ProcessInfo.processInfo.activeProcessorCount
    @OptionGroup var models: PipelineModelOptions

    func run() throws {
        let configuration = ServerConfiguration(host: host, port: port, maxUploadBytes: maxUploadMb << 20, k: k, poseGate: poseGate, workers: workers)
        _ = try configuration.validated()  // before minutes of model loading
        let recommender = try models.recommender(catalog: catalog, poseGate: poseGate != .off)
        try LookKitServer(recommender: recommender, configuration: configuration).runBlocking { url in
            print("serving \(url) (upload page at \(url)/, API at \(url)/api/recommend); Ctrl-C stops")
        }
    }
}
