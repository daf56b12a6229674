/// PyTorch's default initialisation for Linear and Conv (kaiming_uniform with a = √5): weights and
/// biases uniform on ±1/√fan_in, so models trained from scratch start where PyTorch's would.
enum Init {
    static func uniform(_ shape: [Int], bound: Double) throws -> Tensor {
        try (Tensor.rand(shape) * (2 * bound) - bound).detached()
    }

    static func fanInUniform(_ shape: [Int], fanIn: Int) throws -> Tensor {
        try uniform(shape, bound: 1 / Double(fanIn).squareRoot())
    }
}
