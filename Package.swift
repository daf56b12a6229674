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
let openCVLink: [LinkerSetting] = ["opencv_core", "opencv_imgproc", "opencv_imgcodecs", "opencv_dnn"]
    .map { .linkedLibrary($0) }

let package = Package(
    name: "LookKit",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lookkit", targets: ["lookkit"]),
        .executable(name: "lookkit-bench", targets: ["lookkit-bench"]),
        .library(name: "Torch", targets: ["Torch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "CTorch", cxxSettings: torchCxxFlags, linkerSettings: torchLinkFlags),
        .target(name: "CVision", cxxSettings: openCVFlags, linkerSettings: openCVLink),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        .target(name: "Torch", dependencies: ["CTorch"]),
        .target(name: "Data", dependencies: ["CVision", "Torch"]),
        .target(name: "Models", dependencies: ["Torch"]),
        .target(name: "Evaluation"),
        .target(name: "Experiments", dependencies: ["CSQLite"]),
        .target(name: "CFaiss", cxxSettings: [.unsafeFlags(ompInclude.map { ["-idirafter", $0] } ?? [])], linkerSettings: ["faiss", "blas", "lapack", "gomp"].map { .linkedLibrary($0) }),
        .target(name: "Search", dependencies: ["CFaiss"]),
        // SwiftPM links dependencies' libraries in reverse order of these lists: libtorch must come
        // before the system BLAS that FAISS brings, or that BLAS takes over libtorch's own sgemm_
        // (slower, and numerically unlike PyTorch). LookKitCLITests checks the built binary.
        .executableTarget(name: "lookkit", dependencies: [
            "Search", "Evaluation", "Experiments", "Models", "Data", "Torch",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "lookkit-bench", dependencies: ["Search", "Experiments", "Models", "Data", "Torch"]),
        .target(name: "TestSupport", dependencies: ["Data"], path: "Tests/TestSupport"),
        .testTarget(name: "TorchTests", dependencies: ["Torch", "TestSupport"], exclude: ["make_fixtures.py"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "Data", "TestSupport"], exclude: ["backbone_reference.py"]),
        .testTarget(name: "LookKitCLITests", dependencies: ["lookkit", "Torch", "Data", "Experiments", "Search", "TestSupport"]),
        .testTarget(name: "DataTests", dependencies: ["Data", "TestSupport"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "TestSupport"], exclude: ["yolo_map_reference.py"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "TestSupport"]),
        .testTarget(name: "SearchTests", dependencies: ["Search", "TestSupport"]),
    ],
    swiftLanguageModes: [.v5],
    cxxLanguageStandard: .cxx20
)
