import XCTest
@testable import Torch

/// Forward values and gradients of the nn kernels against PyTorch's, from the same inputs.
final class KernelParityTests: TorchTestCase {
    /// Runs `forward` on leaf copies of the named fixture inputs, back-propagates PyTorch's upstream
    /// gradient and compares output and every input gradient.
    private func checkParity(_ prefix: String, _ inputs: [String], forward: ([String: Tensor]) throws -> Tensor) throws {
        var leaves: [String: Tensor] = [:]
        for name in inputs { leaves[name] = try fixture("\(prefix).\(name)").clone().requiringGrad() }
        let y = try forward(leaves)
        try assertClose(y, fixture("\(prefix).out"), "\(prefix) output")
        try (y * fixture("\(prefix).upstream")).sum().backward()
        for name in inputs {
            let grad = try XCTUnwrap(leaves[name]?.grad, "\(prefix): no gradient for \(name)")
            try assertClose(grad, fixture("\(prefix).grad_\(name)"), "\(prefix) d/d\(name)")
        }
    }

    func testConv2dStridedPadded() throws {
        try checkParity("conv", ["x", "w", "b"]) { try $0["x"]!.conv2d($0["w"]!, bias: $0["b"]!, stride: 2, padding: 1) }
    }

    func testConv2dGroupedDilated() throws {
        try checkParity("conv_grouped", ["x", "w"]) { try $0["x"]!.conv2d($0["w"]!, padding: 2, dilation: 2, groups: 3) }
    }

    func testLinear() throws {
        try checkParity("linear", ["x", "w", "b"]) { try $0["x"]!.linear($0["w"]!, bias: $0["b"]!) }
    }

    func testPools() throws {
        try checkParity("maxpool", ["x"]) { try $0["x"]!.maxPool2d(kernel: 3, stride: 2, padding: 1) }
        try checkParity("avgpool", ["x"]) { try $0["x"]!.avgPool2d(kernel: 2) }
        try checkParity("adaptive", ["x"]) { try $0["x"]!.adaptiveAvgPool2d(Pair(3, 3)) }
    }

    func testBatchNormTrainingUpdatesRunningStatsAndEvalUsesThem() throws {
        let bn = try BatchNorm2d(3)
        // Fixtures are float64: run the layer in float64 too.
        for (_, slot) in bn.namedSlots() where slot.tensor!.dtype == .float32 {
            slot.set(try slot.tensor!.detached().to(dtype: .float64))
        }
        try bn.load(stateDict: ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"].map {
            ($0, try fixture("bn.before.\($0)"))
        })
        let x = try fixture("bn.x").clone().requiringGrad()
        let y = try bn(x)
        try assertClose(y, fixture("bn.out"), "bn train output")
        try (y * fixture("bn.upstream")).sum().backward()
        try assertClose(XCTUnwrap(x.grad), fixture("bn.grad_x"), "bn d/dx")
        try assertClose(XCTUnwrap(bn.weight?.grad), fixture("bn.grad_weight"), "bn d/dweight")
        try assertClose(XCTUnwrap(bn.bias?.grad), fixture("bn.grad_bias"), "bn d/dbias")
        for (name, tensor) in bn.stateDict() { try assertClose(tensor, fixture("bn.after.\(name)"), "bn \(name) after a step") }
        bn.eval()
        try assertClose(bn(fixture("bn.x")), fixture("bn.eval_out"), "bn eval output")
    }

    func testBatchHardAndBatchAllTripletLossesAndGradients() throws {
        for (distance, key) in [(Loss.Distance.euclidean, "euclidean"), (.squaredEuclidean, "squared"), (.cosine, "cosine")] {
            let embeddings = try fixture("bh.emb").clone().requiringGrad()
            let loss = try Loss.batchHardTriplet(embeddings, labels: fixture("bh.labels"), margin: 0.2, distance: distance)
            try assertClose(loss, fixture("bh.\(key)"), "batch-hard \(key)")
            try loss.backward()
            try assertClose(XCTUnwrap(embeddings.grad), fixture("bh.\(key).grad"), "batch-hard \(key) gradient")

            let fresh = try fixture("bh.emb").clone().requiringGrad()
            let all = try Loss.batchAllTriplet(fresh, labels: fixture("bh.labels"), margin: 0.2, distance: distance)
            try assertClose(all, fixture("ba.\(key)"), "batch-all \(key)")
            try all.backward()
            try assertClose(XCTUnwrap(fresh.grad), fixture("ba.\(key).grad"), "batch-all \(key) gradient")
        }
    }

    func testLosses() throws {
        let logits = try fixture("ce.logits"), target = try fixture("ce.target")
        try assertClose(Loss.crossEntropy(logits, target), fixture("ce.plain"), "cross-entropy")
        try assertClose(Loss.crossEntropy(logits, target, weight: fixture("ce.weight"), labelSmoothing: 0.1),
                        fixture("ce.smooth_weighted"), "weighted, smoothed cross-entropy")
        try assertClose(Loss.bceWithLogits(fixture("bce.x"), fixture("bce.y"), positiveWeight: fixture("bce.pos_weight")),
                        fixture("bce.out"), "BCE with logits")
        try assertClose(Loss.mse(fixture("bce.x"), fixture("bce.y")), fixture("mse.out"), "MSE")
        let (a, p, n) = (try fixture("triplet.a"), try fixture("triplet.p"), try fixture("triplet.n"))
        for (distance, key) in [(Loss.Distance.euclidean, "euclidean"), (.cosine, "cosine"), (.squaredEuclidean, "squared")] {
            try assertClose(Loss.tripletMargin(anchor: a, positive: p, negative: n, margin: 0.2, distance: distance),
                            fixture("triplet.\(key)"), "triplet \(key)")
        }
    }
}
