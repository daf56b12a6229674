import Foundation
import TestSupport
import XCTest
@testable import Torch

/// Optimizers over named parameter groups land on torch.optim's parameters with the same groups:
/// YOLOv5's three SGD groups (Nesterov, momentum 0.937, per-group decay and rates) and AdamW with two.
final class ParameterGroupTests: TorchTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("lookkit-groups-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    func testYoloStyleGroupsFollowSmartOptimizer() throws {
        let groups = ParameterGroup.yoloStyle(TinyNet(), weightDecay: 5e-4)
        XCTAssertEqual(groups.map(\.name), ["weights", "norm_weights", "biases"])
        XCTAssertEqual(groups.map { $0.parameters.map(\.0) }, [["features.0.weight", "classifier.weight"], ["features.1.weight"],
                                                              ["features.0.bias", "features.1.bias", "classifier.bias"]])
        XCTAssertEqual(groups.map(\.weightDecay), [5e-4, 0, 0])
    }

    /// Runs `steps` steps in Swift and in PyTorch from the same weights and gradients; `python` builds
    /// `opt` over the TinyNet `m` and may define `adjust(opt, k)`, called before step k as `adjust` is here.
    private func checkAgainstPyTorch(_ optimizer: (TinyNet) throws -> Optimizer, adjust: (Optimizer, Int) throws -> Void,
                                     python: String, steps: Int = 3) throws {
        let model = TinyNet()
        let start = try model.namedParameters().map { ("p.\($0.0)", try $0.1.detached().clone()) }
        let grads = try (0 ..< steps).flatMap { k in try model.namedParameters().map { ("g.\(k).\($0.0)", try Tensor.randn($0.1.shape)) } }
        try Checkpoint.save(start + grads, to: directory.appendingPathComponent("in.pt"))

        let opt = try optimizer(model)
        var swift: [String: Tensor] = [:]
        let byName = Dictionary(uniqueKeysWithValues: grads)
        for k in 0 ..< steps {
            try adjust(opt, k)
            for (name, p) in model.namedParameters() { try p.setGrad(byName["g.\(k).\(name)"]!.clone()) }
            try opt.step()
            for (name, p) in model.namedParameters() { swift["\(k).\(name)"] = try p.detached().clone() }
        }

        try ReferencePython.run(code: """
        import torch, torch.nn as nn
        class TinyNet(nn.Module):
            def __init__(s):
                super().__init__()
                s.features = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2))
                s.classifier = nn.Linear(128, 5)
        d = '\(directory.path)'
        io = torch.load(d + '/in.pt', weights_only=True)
        m = TinyNet()
        for name, p in m.named_parameters(): p.data.copy_(io['p.' + name])
        def adjust(opt, k): pass
        \(python)
        out = {}
        for k in range(\(steps)):
            adjust(opt, k)
            for name, p in m.named_parameters(): p.grad = io['g.%d.%s' % (k, name)].clone()
            opt.step()
            for name, p in m.named_parameters(): out['%d.%s' % (k, name)] = p.detach().clone()
        torch.save(out, d + '/out.pt')
        """)
        let reference = try Checkpoint.load(directory.appendingPathComponent("out.pt"))
        XCTAssertEqual(reference.count, swift.count)
        for (key, expected) in reference {
            try assertClose(XCTUnwrap(swift[key]), expected, rtol: 0, atol: 1e-6, "step.parameter \(key)")
        }
        // The steps really moved every parameter.
        for (name, p) in model.namedParameters() {
            XCTAssertNotEqual(try p.doubles(), try XCTUnwrap(start.first { $0.0 == "p.\(name)" }).1.doubles(), name)
        }
    }

    /// YOLOv5's optimizer: biases with their own (warm-up) rate, BN weights undecayed, the rest decayed.
    func testSGDWithYoloGroupsMatchesPyTorch() throws {
        try checkAgainstPyTorch({ model in
            var groups = ParameterGroup.yoloStyle(model, weightDecay: 0.05)
            groups[1].learningRate = 0.02
            let sgd = try SGD(groups, learningRate: 0.01, momentum: 0.937, nesterov: true)
            try sgd.setLearningRate(0.1, group: "biases")
            return sgd
        }, adjust: { opt, k in
            // From step 2 a schedule sets every group's rate, then the bias warm-up its own.
            guard k == 2 else { return }
            opt.learningRate = 0.005
            try opt.setLearningRate(0.05, group: "biases")
        }, python: """
        # ultralytics/yolov5 utils/torch_utils.py smart_optimizer
        g = [], [], []
        bn = tuple(v for k, v in nn.__dict__.items() if 'Norm' in k)
        for v in m.modules():
            for p_name, p in v.named_parameters(recurse=0):
                if p_name == 'bias': g[2].append(p)
                elif p_name == 'weight' and isinstance(v, bn): g[1].append(p)
                else: g[0].append(p)
        opt = torch.optim.SGD(g[2], lr=0.1, momentum=0.937, nesterov=True)
        opt.add_param_group({'params': g[0], 'weight_decay': 0.05, 'lr': 0.01})
        opt.add_param_group({'params': g[1], 'weight_decay': 0.0, 'lr': 0.02})
        def adjust(opt, k):
            if k != 2: return
            for group in opt.param_groups: group['lr'] = 0.005
            opt.param_groups[0]['lr'] = 0.05
        """)
    }

    func testAdamWWithTwoGroupsMatchesPyTorch() throws {
        try checkAgainstPyTorch({ model in
            let named = model.namedTrainableParameters()
            let isDecayed = { (name: String) in name.hasSuffix(".weight") && !name.hasPrefix("features.1.") }
            return try Adam.adamW([ParameterGroup("decay", named.filter { isDecayed($0.0) }, weightDecay: 0.1),
                                   ParameterGroup("no_decay", named.filter { !isDecayed($0.0) }, learningRate: 3e-3, weightDecay: 0)],
                                  learningRate: 1e-2)
        }, adjust: { _, _ in }, python: """
        decay = [p for n, p in m.named_parameters() if n.endswith('.weight') and not n.startswith('features.1.')]
        rest = [p for n, p in m.named_parameters() if not (n.endswith('.weight') and not n.startswith('features.1.'))]
        opt = torch.optim.AdamW([{'params': decay, 'weight_decay': 0.1}, {'params': rest, 'weight_decay': 0.0, 'lr': 3e-3}], lr=1e-2)
        """)
    }
}
