// swift-tools-version: 6.0
// LookKit: visual fashion recommenders in Swift over libtorch and OpenCV.
import Foundation
import PackageDescription

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
// libtorch is the PyTorch wheel's torch/ folder; `make setup` links it at .deps/libtorch.
let libtorch = ProcessInfo.processInfo.environment["LIBTORCH"] ?? "\(root)/.deps/libtorch"
let libtorchLib = "\(libtorch)/lib"
let hasCUDA = FileManager.default.fileExists(atPath: "\(libtorchLib)/libtorch_cuda.so")

let torchCxxFlags: [CXXSetting] = [
    .define("_GLIBCXX_USE_CXX11_ABI", to: "1"),
    .unsafeFlags(["-isystem", "\(libtorch)/include",
                  "-isystem", "\(libtorch)/include/torch/csrc/api/include",
                  "-Wno-deprecated-declarations"]),
]
// --no-as-needed keeps libtorch_cuda linked so CUDA kernels register although nothing names them.
let torchLinkFlags: [LinkerSetting] = [
    .unsafeFlags(["-L\(libtorchLib)", "-Xlinker", "-rpath", "-Xlinker", libtorchLib]
        + (hasCUDA ? ["-Xlinker", "--no-as-needed", "-ltorch_cuda", "-Xlinker", "--as-needed"] : [])),
    .linkedLibrary("torch"), .linkedLibrary("torch_cpu"), .linkedLibrary("c10"), .linkedLibrary("m"),
]
let openCVFlags: [CXXSetting] = [.unsafeFlags(["-isystem", "/usr/include/opencv4"])]
// FAISS's HNSW header includes <omp.h>, which only GCC ships here; searched after clang's own headers.
let gccLib = "/usr/lib/gcc/x86_64-linux-gnu"
let ompInclude = ((try? FileManager.default.contentsOfDirectory(atPath: gccLib)) ?? []).map { "\(gccLib)/\($0)/include" }
    .first { FileManager.default.fileExists(atPath: "\($0)/omp.h") }
// libjpeg (the one OpenCV decodes with) checks JPEG scans for the damage OpenCV only warns about.
let openCVLink: [LinkerSetting] = ["opencv_core", "opencv_imgproc", "opencv_imgcodecs", "opencv_dnn", "jpeg"]
    .map { .linkedLibrary($0) }

// Every library is a product, so a server or another tool can build on Models, Search, Training.
let libraries = ["LookKitCore", "Torch", "Datasets", "Evaluation", "Experiments", "Search", "Models", "Detection", "StyleEmbedding", "ModelEvaluation", "Training", "ONNXExport", "Pose", "Pipeline", "Server"]

let package = Package(
    name: "LookKit",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lookkit", targets: ["lookkit"]),
        .executable(name: "lookkit-bench", targets: ["lookkit-bench"]),
    ] + libraries.map { .library(name: $0, targets: [$0]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // Runtime of the committed onnx.pb.swift (generated with this version's protoc-gen-swift).
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        // `lookkit serve`: HTTP server, its thread pool (NIOPosix) and multipart/form-data uploads.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .target(name: "CTorch", cxxSettings: torchCxxFlags, linkerSettings: torchLinkFlags),
        .target(name: "CVision", cxxSettings: openCVFlags, linkerSettings: openCVLink),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        // Errors with categories (one exit-code table) and the small shared types every layer uses.
        .target(name: "LookKitCore", dependencies: ["Yams"]),
        .target(name: "Torch", dependencies: ["CTorch", "LookKitCore"]),
        .target(name: "Datasets", dependencies: ["CVision", "Torch", "LookKitCore", "Yams"]),
        .target(name: "Models", dependencies: ["Torch"]),
        // YOLOv5 (ultralytics v7.0 names and layout), its loss, NMS and tasks.
        .target(name: "Detection", dependencies: ["Torch", "Models", "Datasets", "Evaluation", "LookKitCore", "Yams"]),
        // Complete the Look's style embedder: global, local (attention) and hybrid scene–product distances.
        .target(name: "StyleEmbedding", dependencies: ["Models", "Torch", "LookKitCore"]),
        .target(name: "Evaluation", dependencies: ["LookKitCore"]),
        .target(name: "Experiments", dependencies: ["CSQLite", "LookKitCore", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "CFaiss", cxxSettings: [.unsafeFlags(ompInclude.map { ["-idirafter", $0] } ?? [])], linkerSettings: ["faiss", "blas", "lapack", "gomp"].map { .linkedLibrary($0) }),
        // Vector search: exact (LookKit's scan, FAISS's BLAS search for many queries), FAISS IVF / HNSW, catalogs, .npy.
        .target(name: "Search", dependencies: ["CFaiss", "LookKitCore"]),
        // Scoring trained networks on photos (embeddings, retrieval, classification, grids).
        .target(name: "ModelEvaluation", dependencies: ["Search", "Evaluation", "Experiments", "Datasets", "Torch"]),
        // Tasks, the trainer, run configs and run folders: what `lookkit train` and any other front end run.
        .target(name: "Training", dependencies: ["ModelEvaluation", "Search", "Evaluation", "Experiments", "Models", "Detection", "StyleEmbedding", "Datasets", "Torch", "Yams"]),
        // ONNX files from the module tree (Generated/onnx.pb.swift: `make onnx-proto`), checked through OpenCV DNN.
        .target(name: "ONNXExport", dependencies: ["Training", "ModelEvaluation", "Models", "StyleEmbedding", "Datasets", "Torch", "Experiments", "LookKitCore",
                                                   .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        // Pose gate: OpenPose-style keypoints (OpenCV DNN) and the full-shot / front-facing rules.
        .target(name: "Pose", dependencies: ["Datasets", "LookKitCore"]),
        // SwiftPM links dependencies' libraries in reverse order of these lists: libtorch must come
        // before the system BLAS that FAISS brings, or that BLAS takes over libtorch's own sgemm_
        // (slower, and numerically unlike PyTorch). LookKitCLITests checks the built binary.
        // Buy me that look: catalog, pose gate, gender, detection, similar and complementary products.
        .target(name: "Pipeline", dependencies: ["Pose", "Training", "ONNXExport", "Detection", "StyleEmbedding", "Search", "Experiments", "Models", "Datasets", "Torch", "LookKitCore", "Yams"]),
        // `lookkit serve`: the upload page and JSON API over any `Recommending`, and a load generator.
        .target(name: "Server", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "MultipartKit", package: "multipart-kit"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            "Pipeline", "Datasets", "LookKitCore",
        ]),
        .executableTarget(name: "lookkit", dependencies: [
            "Server", "Pipeline",
            "Training", "ONNXExport", "ModelEvaluation", "Detection", "StyleEmbedding", "Search", "Evaluation", "Experiments", "Models", "Pose", "Datasets", "Torch",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "lookkit-bench", dependencies: ["Server", "Training", "ONNXExport", "Detection", "Search", "Experiments", "Models", "Datasets", "Torch"]),
        .target(name: "TestSupport", dependencies: ["Datasets"], path: "Tests/TestSupport"),
        .testTarget(name: "TorchTests", dependencies: ["Torch", "TestSupport"], exclude: ["make_fixtures.py"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "Datasets", "TestSupport"], exclude: ["backbone_reference.py"]),
        .testTarget(name: "DetectionTests", dependencies: ["Detection", "Models", "Torch", "Datasets", "TestSupport"], exclude: ["yolov5_reference.py", "autoanchor_reference.py"]),
        .testTarget(name: "ModelEvaluationTests", dependencies: ["ModelEvaluation", "Evaluation", "Torch"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "ModelEvaluation", "Models", "Datasets", "Experiments", "TestSupport"]),
        .testTarget(name: "LookKitCLITests", dependencies: ["lookkit", "Torch", "Datasets", "Experiments", "Search", "TestSupport"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "TestSupport"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "TestSupport"], exclude: ["yolo_map_reference.py"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "TestSupport"]),
        .testTarget(name: "SearchTests", dependencies: ["Search", "TestSupport"]),
        .testTarget(name: "ONNXExportTests", dependencies: ["ONNXExport", "Training", "Detection", "Models", "StyleEmbedding", "Torch", "TestSupport"], exclude: ["onnx_reference.py"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Training", "Datasets", "Search", "Torch", "LookKitCore", "TestSupport"]),
        .testTarget(name: "PoseTests", dependencies: ["Pose", "Datasets", "TestSupport"], exclude: ["pose_reference.py"]),
        .testTarget(name: "ServerTests", dependencies: ["Server", "Pipeline", "Datasets", "LookKitCore", "TestSupport"],
                    exclude: ["drive_upload_page.py", "Screenshots"]),
        .testTarget(name: "StyleEmbeddingTests", dependencies: ["StyleEmbedding", "Models", "Torch", "TestSupport"], exclude: ["style_reference.py"]),
    ],
    swiftLanguageModes: [.v5],
    cxxLanguageStandard: .cxx20
)
