import Torch

/// A compact classifier for small images (32×32 and up): three conv → BN → ReLU stages, global
/// average pooling and a linear head. The demo's model and the benchmark's small CNN.
public final class SmallCNN: Module, UnaryLayer {
    public let features: Sequential
    public let classifier: Linear

    public init(classes: Int, width: Int = 32) throws {
        func stage(_ input: Int, _ output: Int, pool: any UnaryLayer) throws -> [any UnaryLayer] {
            [try Conv2d(input, output, kernelSize: 3, padding: 1, bias: false), try BatchNorm2d(output), Activation.relu, pool]
        }
        features = Sequential(try stage(3, width, pool: MaxPool2d(2))
            + stage(width, 2 * width, pool: MaxPool2d(2))
            + stage(2 * width, 4 * width, pool: AdaptiveAvgPool2d(1)))
        classifier = try Linear(4 * width, classes)
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try classifier(pooledFeatures(x))
    }
}
