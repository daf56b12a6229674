import Foundation
import Torch
import Training
import XCTest

final class CompactWeightsTests: XCTestCase {
    func testOnlyChangedTensorsAreKeptAndExpandRebuildsTheCheckpoint() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("compact-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let frozen = try Tensor([0.1, -2, 3.25, 4] as [Float], shape: [2, 2])
        let pretrained = try Tensor([1, 2, 3] as [Float], shape: [3])
        let steps = try Tensor([7] as [Int64], shape: [1])
        let base = folder.appendingPathComponent("base.safetensors")
        // The backbone file may hold more than the network uses (ImageNet's classifier): not copied back.
        try SafeTensors.write([("conv.weight", frozen), ("bn.bias", pretrained), ("bn.steps", steps), ("_fc.weight", pretrained)], to: base)
        let trained = try Tensor([1.5, 2, 3.0001] as [Float], shape: [3])
        let head = try Tensor([0.333333, -1e-3] as [Float], shape: [2])
        let checkpoint = folder.appendingPathComponent("best.safetensors")
        try SafeTensors.write([("backbone.conv.weight", frozen), ("backbone.bn.bias", trained), ("backbone.bn.steps", steps), ("head.weight", head)],
                              to: checkpoint, metadata: ["classes": "[\"a\"]"])

        let compact = folder.appendingPathComponent("compact.safetensors")
        let counts = try CompactWeights.write(checkpoint: checkpoint, base: base, to: compact)
        XCTAssertEqual(counts.kept, 2)
        XCTAssertEqual(counts.fromBase, 2)
        let stored = try SafeTensors.read(compact)
        XCTAssertEqual(stored.map(\.0), ["backbone.bn.bias", "head.weight"])
        XCTAssertEqual(stored.map(\.1.dtype), [.float16, .float16])

        let expanded = folder.appendingPathComponent("expanded.safetensors")
        try CompactWeights.expand(compact, base: base, to: expanded)
        let rebuilt = Dictionary(uniqueKeysWithValues: try SafeTensors.read(expanded).map { ($0.0, $0.1) })
        XCTAssertEqual(Set(rebuilt.keys), ["backbone.conv.weight", "backbone.bn.bias", "backbone.bn.steps", "head.weight"])
        XCTAssertEqual(try rebuilt["backbone.conv.weight"]!.floats(), try frozen.floats())
        XCTAssertEqual(try rebuilt["backbone.bn.steps"]!.int64s(), [7])
        XCTAssertEqual(rebuilt["head.weight"]!.dtype, .float32)
        // float16 keeps 11 significant bits: a relative error below 2^-11.
        for (name, original) in [("backbone.bn.bias", trained), ("head.weight", head)] {
            for (a, b) in zip(try rebuilt[name]!.floats(), try original.floats()) { XCTAssertEqual(a, b, accuracy: abs(b) / 2048, name) }
        }
        XCTAssertEqual(try SafeTensors.metadata(expanded), ["classes": "[\"a\"]"])

        let otherBase = folder.appendingPathComponent("other.safetensors")
        try SafeTensors.write([("conv.weight", trained)], to: otherBase)
        XCTAssertThrowsError(try CompactWeights.expand(compact, base: otherBase, to: expanded)) { error in
            XCTAssertTrue("\(error)".contains("SHA-256 differs"), "\(error)")
        }
        XCTAssertThrowsError(try CompactWeights.expand(checkpoint, base: base, to: expanded)) { error in
            XCTAssertTrue("\(error)".contains("not compact weights"), "\(error)")
        }
    }
}
