import XCTest
@testable import Torch

/// Autograd against central finite differences on a small composite network in float64.
final class GradientCheckTests: TorchTestCase {
    func testConvBatchNormReluPoolLinearCrossEntropy() throws {
        let x = try Tensor.randn([3, 2, 6, 6], dtype: .float64)
        let labels = try Tensor([0, 2, 1] as [Int64])
        let params: [String: Tensor] = [
            "conv": try (Tensor.randn([4, 2, 3, 3], dtype: .float64) * 0.5).requiringGrad(),
            "gamma": try (Tensor.rand([4], dtype: .float64) + 0.5).requiringGrad(),
            "beta": try Tensor.randn([4], dtype: .float64).requiringGrad(),
            "fc": try (Tensor.randn([3, 4 * 3 * 3], dtype: .float64) * 0.3).requiringGrad(),
        ]
        func loss() throws -> Tensor {
            let h = try x.conv2d(params["conv"]!, padding: 1)
                .batchNorm(weight: params["gamma"]!, bias: params["beta"]!, runningMean: nil, runningVar: nil, training: true)
                .relu().maxPool2d(kernel: 2)
            return try Loss.crossEntropy(h.flatten(from: 1).linear(params["fc"]!), labels)
        }
        try loss().backward()
        let eps = 1e-6
        for (name, p) in params {
            let analytic = try XCTUnwrap(p.grad).doubles()
            var values = try p.doubles()
            // Probe a spread of coordinates; each needs two forward passes.
            for i in stride(from: 0, to: values.count, by: Swift.max(1, values.count / 12)) {
                let original = values[i]
                func lossWith(_ v: Double) throws -> Double {
                    values[i] = v
                    try p.copy(from: Tensor(values, shape: p.shape))
                    return try withoutGrad { try loss().item() }
                }
                let numeric = try (lossWith(original + eps) - lossWith(original - eps)) / (2 * eps)
                _ = try lossWith(original)
                XCTAssertEqual(analytic[i], numeric, accuracy: 1e-6 + 1e-4 * abs(numeric), "\(name)[\(i)]")
            }
        }
    }
}
