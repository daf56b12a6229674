import XCTest
@testable import Torch

/// Tensor operations on small hand-computed cases.
final class OpsTests: TorchTestCase {
    func testArithmeticBroadcastsAndScalarsFollowPythonNumberRules() throws {
        let a = try Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])
        let row = try Tensor([10, 20, 30] as [Float])
        XCTAssertEqual(try (a + row).floats(), [11, 22, 33, 14, 25, 36])
        XCTAssertEqual(try (1 - a).floats(), [0, -1, -2, -3, -4, -5])
        XCTAssertEqual(try (6 / a).floats(), [6, 3, 2, 1.5, 1.2, 1])
        XCTAssertEqual(try (Tensor([1, 2] as [Int64]) * 2.5).dtype, .float32, "int tensor × float scalar promotes to float")
        XCTAssertEqual(try a.pow(2).sum().item(), 91)
        XCTAssertEqual(try a.clamp(min: 2, max: 5).floats(), [2, 2, 3, 4, 5, 5])
        XCTAssertEqual(try a.gt(3).bools(), [false, false, false, true, true, true])
        XCTAssertEqual(try a.where(a.gt(3), else: -a).floats(), [-1, -2, -3, 4, 5, 6])
        XCTAssertEqual(try a.maskedFill(a.lt(3), 0).floats(), [0, 0, 3, 4, 5, 6])
    }

    func testReductionsAndSorting() throws {
        let a = try Tensor([3, 1, 2, 9, 7, 8] as [Float], shape: [2, 3])
        XCTAssertEqual(try a.sum([1]).floats(), [6, 24])
        XCTAssertEqual(try a.mean([0]).floats(), [6, 4, 5])
        XCTAssertEqual(try a.max([1], keepDim: true).shape, [2, 1])
        XCTAssertEqual(try a.argmax(1).int64s(), [0, 0])
        XCTAssertEqual(try a.min().item(), 1)
        XCTAssertEqual(try a.variance([1]).floats(), [1, 1])
        XCTAssertEqual(try a.prod([0, 1]).item(), 3024)
        let (values, indices) = try a.topk(2, dim: 1)
        XCTAssertEqual(try values.floats(), [3, 2, 9, 8])
        XCTAssertEqual(try indices.int64s(), [0, 2, 0, 2])
        XCTAssertEqual(try a.sort(dim: 1, descending: true).indices.int64s(), [0, 2, 1, 0, 2, 1])
        XCTAssertEqual(try a.norm(2, dims: [1]).floats()[0], Float(14).squareRoot(), accuracy: 1e-6)
        let unit = try a.normalized(dim: 1)
        assertNear(try unit.square().sum([1]).floats(), [1, 1])
    }

    func testShapesJoinsAndIndexing() throws {
        let a = try Tensor.arange(0, 12, dtype: .float32).reshape([3, 4])
        XCTAssertEqual(try a.transposed().contiguous().floats().prefix(3), [0, 4, 8])
        XCTAssertEqual(try a.permute([1, 0]).shape, [4, 3])
        XCTAssertEqual(try a.slice(1, 1, 3).floats(), [1, 2, 5, 6, 9, 10])
        XCTAssertEqual(try a.slice(0, 0, Int.max, step: 2).floats(), [0, 1, 2, 3, 8, 9, 10, 11])
        XCTAssertEqual(try a.indexSelect(0, Tensor([2, 0] as [Int64])).floats().prefix(5), [8, 9, 10, 11, 0])
        XCTAssertEqual(try a.gather(1, Tensor([3, 0, 1] as [Int64], shape: [3, 1])).floats(), [3, 4, 9])
        XCTAssertEqual(try a.chunk(3, dim: 1).map(\.shape), [[3, 2], [3, 2]])
        XCTAssertEqual(try a.split([1, 3], dim: 1).map(\.shape), [[3, 1], [3, 3]])
        XCTAssertEqual(try Tensor.cat([a, a], dim: 0).shape, [6, 4])
        XCTAssertEqual(try Tensor.stack([a, a], dim: 1).shape, [3, 2, 4])
        XCTAssertEqual(try a.unsqueezed(0).squeezed(0).shape, [3, 4])
        XCTAssertEqual(try a.flatten().shape, [12])
        XCTAssertEqual(try a.maskedSelect(a.ge(10)).floats(), [10, 11])
        XCTAssertEqual(try a.flipped([1]).floats().prefix(4), [3, 2, 1, 0])
        XCTAssertEqual(try a.reshape([1, 1, 3, 4]).upsampleNearest(Pair(6, 8)).shape, [1, 1, 6, 8])
        XCTAssertEqual(try a.padded([1, 1]).shape, [3, 6])
    }

    func testActivationsAndDistances() throws {
        let x = try Tensor([-4, -1, 0, 1, 4, 8] as [Float])
        XCTAssertEqual(try x.relu().floats(), [0, 0, 0, 1, 4, 8])
        XCTAssertEqual(try x.relu6().floats(), [0, 0, 0, 1, 4, 6])
        assertNear(try x.hardswish().floats(), [0, -1.0 / 3, 0, 2.0 / 3, 4, 8])
        XCTAssertEqual(try x.sigmoid().floats()[3], Float(1 / (1 + exp(-1.0))), accuracy: 1e-6)
        XCTAssertEqual(try x.silu().floats()[3], Float(1 / (1 + exp(-1.0))), accuracy: 1e-6)
        assertNear(try x.reshape([2, 3]).softmax(dim: 1).sum([1]).floats(), [1, 1])
        let p = try Tensor([0, 0, 3, 4] as [Float], shape: [2, 2]), q = try Tensor([0, 0] as [Float], shape: [1, 2])
        XCTAssertEqual(try p.cdist(q).floats(), [0, 5])
    }

    func testDTypesDevicesAndSeeds() throws {
        let x = try Tensor([1.5, -2.25] as [Float])
        for dtype in [DType.float16, .bfloat16, .float64] {
            XCTAssertEqual(try x.to(dtype: dtype).dtype, dtype)
            XCTAssertEqual(try x.to(dtype: dtype).floats(), [1.5, -2.25], "\(dtype) round trip")
        }
        XCTAssertEqual(try x.to(dtype: .int64).int64s(), [1, -2])
        XCTAssertEqual(try Device("cuda:1"), .cuda(1))
        XCTAssertEqual(x.device, .cpu)
        if !Device.cudaAvailable { XCTAssertThrowsError(try x.to(.cuda(0))) }
        Torch.manualSeed(42)
        let first = try Tensor.randn([5]).floats(), perm = try Tensor.randperm(6).int64s()
        Torch.manualSeed(42)
        XCTAssertEqual(try Tensor.randn([5]).floats(), first)
        XCTAssertEqual(try Tensor.randperm(6).int64s(), perm)
        XCTAssertEqual(Set(perm), Set(0 ..< 6))
        let r = try Tensor.randint(3, 7, [1000]).int64s()
        XCTAssertEqual(r.min(), 3)
        XCTAssertEqual(r.max(), 6)
        // Generator state round trip, per device: what resumed runs rely on.
        for device in Device.cudaAvailable ? [Device.cpu, .cuda(0)] : [.cpu] {
            let saved = try Torch.randomState(of: device)
            let draw = try Tensor.rand([4], device: device).floats()
            try Torch.setRandomState(saved, of: device)
            XCTAssertEqual(try Tensor.rand([4], device: device).floats(), draw, "\(device)")
        }
        if !Device.cudaAvailable {
            XCTAssertThrowsError(try Torch.randomState(of: .cuda(0)), "no CUDA generator in a CPU build: an error, not an abort")
        }
    }

    func testAutogradControls() throws {
        let w = try Tensor([2, 3] as [Float]).requiringGrad()
        let y = try (w * w).sum()
        try y.backward()
        XCTAssertEqual(try XCTUnwrap(w.grad).floats(), [4, 6])
        let frozen = try withoutGrad { try w * 2 }
        XCTAssertFalse(frozen.requiresGrad)
        XCTAssertTrue(isGradEnabled)
        XCTAssertFalse(try w.detached().requiresGrad)
        w.zeroGrad()
        XCTAssertNil(w.grad)
        // A vector output needs an explicit upstream gradient.
        let v = try w * 3
        XCTAssertThrowsError(try v.backward())
        try v.backward(Tensor([1, 10] as [Float]))
        XCTAssertEqual(try XCTUnwrap(w.grad).floats(), [3, 30])
    }

    func testModuleTraversalNamesAndModes() throws {
        let model = Sequential(try Linear(4, 3), Activation.relu, Dropout(0.5), try BatchNorm1d(3))
        XCTAssertEqual(model.stateDict().map(\.0), ["0.weight", "0.bias", "3.weight", "3.bias", "3.running_mean",
                                                    "3.running_var", "3.num_batches_tracked"])
        XCTAssertEqual(model.parameterCount, 4 * 3 + 3 + 3 + 3)
        model.eval()
        XCTAssertTrue(model.modules().allSatisfy { !$0.training })
        let x = try Tensor.randn([2, 4])
        XCTAssertEqual(try model(x).floats(), try model(x).floats(), "eval mode is deterministic")
        model.train()
        XCTAssertTrue(model.modules().allSatisfy(\.training))
    }
}
