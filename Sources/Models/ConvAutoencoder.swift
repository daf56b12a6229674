import Torch

/// The seeds' baseline embedder: a convolutional autoencoder whose 512-d bottleneck, L2-normalised,
/// is the embedding. Four stride-2 convolutions down to S/16, a linear bottleneck, and the mirror
/// image with transposed convolutions back up; trained to reconstruct its (normalised) input.
public final class ConvAutoencoder: Module, UnaryLayer {
    public let encoder: Sequential
    public let bottleneck: Linear
    public let expand: Linear
    public let decoder: Sequential
    let gridSize: Int

    public init(imageSize: Int = 64, embeddingDimension: Int = 512) throws {
        guard imageSize % 16 == 0 else { throw TorchError("ConvAutoencoder needs an image size divisible by 16, got \(imageSize)") }
        let widths = [3, 32, 64, 128, 256]
        func down(_ i: Int) throws -> [any UnaryLayer] {
            [try Conv2d(widths[i], widths[i + 1], kernelSize: 4, stride: 2, padding: 1), try BatchNorm2d(widths[i + 1]), Activation.relu]
        }
        func up(_ i: Int) throws -> [any UnaryLayer] {
            let conv = try ConvTranspose2d(widths[i + 1], widths[i], kernelSize: 4, stride: 2, padding: 1)
            return i == 0 ? [conv] : [conv, try BatchNorm2d(widths[i]), Activation.relu]
        }
        gridSize = imageSize / 16
        encoder = Sequential(try (0 ..< 4).flatMap(down))
        bottleneck = try Linear(256 * gridSize * gridSize, embeddingDimension)
        expand = try Linear(embeddingDimension, 256 * gridSize * gridSize)
        decoder = Sequential(try (0 ..< 4).reversed().flatMap(up))
        super.init()
    }

    /// The bottleneck code (not normalised).
    public func encode(_ x: Tensor) throws -> Tensor { try bottleneck(encoder(x).flatten(from: 1)) }

    /// Unit-length embeddings for retrieval.
    public func embed(_ x: Tensor) throws -> Tensor { try encode(x).normalized(dim: 1) }

    /// The reconstruction of `x`.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let grid = try expand(encode(x)).relu().reshape([-1, 256, gridSize, gridSize])
        return try decoder(grid)
    }
}
