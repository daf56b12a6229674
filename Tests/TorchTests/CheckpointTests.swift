import Foundation
import TestSupport
import XCTest
@testable import Torch

/// A model with the same structure as the Python `TinyNet` in the snippets below.
final class TinyNet: Module, UnaryLayer {
    let features: Sequential
    let classifier: Linear

    override init() {
        features = Sequential(try! Conv2d(3, 8, kernelSize: 3, padding: 1), try! BatchNorm2d(8), Activation.relu, MaxPool2d(2))
        classifier = try! Linear(8 * 4 * 4, 5)
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor { try classifier(features(x).flatten(from: 1)) }
}

private let pythonTinyNet = """
import torch, torch.nn as nn, json, sys
class TinyNet(nn.Module):
    def __init__(s):
        super().__init__()
        s.features = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2))
        s.classifier = nn.Linear(128, 5)
    def forward(s, x): return s.classifier(s.features(x).flatten(1))

"""

final class CheckpointTests: TorchTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("lookkit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    /// A model trained a little so running statistics and the batch counter are not at their defaults.
    private func trainedTinyNet() throws -> TinyNet {
        let model = TinyNet()
        _ = try model(Tensor.randn([4, 3, 8, 8]))
        model.eval()
        return model
    }

    func testStateDictNamesMatchPyTorch() throws {
        let names = TinyNet().stateDict().map(\.0)
        XCTAssertEqual(names, ["features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias",
                               "features.1.running_mean", "features.1.running_var", "features.1.num_batches_tracked",
                               "classifier.weight", "classifier.bias"])
        XCTAssertEqual(TinyNet().parameters().count, 6)
    }

    func testSafetensorsRoundTripKeepsEveryTensor() throws {
        let model = try trainedTinyNet()
        let url = directory.appendingPathComponent("tiny.safetensors")
        try model.save(to: url)
        let copy = TinyNet()
        try copy.load(from: url)
        for ((name, a), (_, b)) in zip(model.stateDict(), copy.stateDict()) {
            XCTAssertEqual(a.dtype, b.dtype, name)
            try assertClose(b, a, rtol: 0, atol: 0, name)
        }
    }

    /// Swift writes .pt and .safetensors; Python loads both strictly into its TinyNet and must compute
    /// the same output on the same input.
    func testSwiftCheckpointLoadsInPython() throws {
        let model = try trainedTinyNet()
        let x = try Tensor.randn([2, 3, 8, 8])
        try Checkpoint.save([("x", x), ("y", model(x))], to: directory.appendingPathComponent("io.safetensors"))
        try model.save(to: directory.appendingPathComponent("tiny.pt"))
        try model.save(to: directory.appendingPathComponent("tiny.safetensors"))
        let report = try ReferencePython.run(code: pythonTinyNet + """
        import struct, numpy as np
        def read_safetensors(path):
            raw = open(path, 'rb').read(); n = struct.unpack('<Q', raw[:8])[0]; header = json.loads(raw[8:8 + n])
            types = {'F32': np.float32, 'I64': np.int64}
            return {k: torch.from_numpy(np.frombuffer(raw[8 + n + v['data_offsets'][0]: 8 + n + v['data_offsets'][1]],
                    dtype=types[v['dtype']]).reshape(v['shape']).copy()) for k, v in header.items() if k != '__metadata__'}
        d = '\(directory.path)'
        io = read_safetensors(d + '/io.safetensors')
        out = {}
        for name, state in [('pt', torch.load(d + '/tiny.pt', weights_only=True)), ('st', read_safetensors(d + '/tiny.safetensors'))]:
            m = TinyNet(); m.load_state_dict(state, strict=True); m.eval()
            with torch.no_grad(): out[name] = (m(io['x']) - io['y']).abs().max().item()
            out[name + '_batches'] = int(state['features.1.num_batches_tracked'])
        print(json.dumps(out))
        """)
        let result = try JSONSerialization.jsonObject(with: Data(report.utf8)) as! [String: Double]
        XCTAssertLessThan(result["pt"]!, 1e-5, "Python output from the .pt differs: \(report)")
        XCTAssertLessThan(result["st"]!, 1e-5, "Python output from the .safetensors differs: \(report)")
        XCTAssertEqual(result["pt_batches"], 1)
    }

    /// Python saves `dict(model.state_dict())` with torch.save; Swift loads it strictly and matches
    /// Python's output.
    func testPythonCheckpointLoadsInSwift() throws {
        _ = try ReferencePython.run(code: pythonTinyNet + """
        torch.manual_seed(3)
        m = TinyNet(); m.train(); m(torch.randn(4, 3, 8, 8)); m.eval()
        x = torch.randn(2, 3, 8, 8)
        with torch.no_grad(): y = m(x)
        torch.save(dict(m.state_dict()), '\(directory.path)/py.pt')
        torch.save({'x': x, 'y': y}, '\(directory.path)/py_io.pt')
        """)
        let model = TinyNet()
        try model.load(from: directory.appendingPathComponent("py.pt"))
        model.eval()
        let io = Dictionary(uniqueKeysWithValues: try Checkpoint.load(directory.appendingPathComponent("py_io.pt")))
        try assertClose(model(io["x"]!), io["y"]!, rtol: 1e-5, atol: 1e-6, "Swift output from Python weights")
    }

    func testPythonOrderedDictGetsAClearError() throws {
        _ = try ReferencePython.run(code: "import torch; torch.save(torch.nn.Linear(2, 2).state_dict(), '\(directory.path)/od.pt')")
        XCTAssertThrowsError(try Checkpoint.load(directory.appendingPathComponent("od.pt"))) { error in
            XCTAssertTrue("\(error)".contains("dict(model.state_dict())"), "message was: \(error)")
        }
    }
}
