import CVision
import Torch

/// ImageNet channel statistics that pretrained backbones expect.
public enum ImageNet {
    public static let mean: [Float] = [0.485, 0.456, 0.406]
    public static let std: [Float] = [0.229, 0.224, 0.225]
}

extension Image {
    /// Float CHW planes, (value/255 - mean) / std per channel.
    public func normalizedCHW(mean: [Float] = ImageNet.mean, std: [Float] = ImageNet.std) throws -> [Float] {
        var out = [Float](repeating: 0, count: width * height * 3)
        try writeNormalizedCHW(into: &out, at: 0, mean: mean, std: std)
        return out
    }

    func writeNormalizedCHW(into out: inout [Float], at offset: Int, mean: [Float], std: [Float]) throws {
        guard mean.count == 3, std.count == 3 else { throw VisionError("mean and std need 3 values") }
        let status = pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                cv_normalize_chw(src.baseAddress, Int32(width), Int32(height), mean, std, dst.baseAddress! + offset)
            }
        }
        try checkCV(status)
    }
}

/// Stacks same-sized images into an N×3×H×W float tensor normalised with `mean`/`std`.
public func imageBatchTensor(_ images: [Image], mean: [Float] = ImageNet.mean,
                             std: [Float] = ImageNet.std) throws -> Tensor {
    guard let first = images.first else { throw VisionError("cannot batch zero images") }
    let plane = first.width * first.height * 3
    var values = [Float](repeating: 0, count: plane * images.count)
    for (i, image) in images.enumerated() {
        guard image.width == first.width, image.height == first.height else {
            throw VisionError("batch image \(i) is \(image.width)x\(image.height), expected \(first.width)x\(first.height)")
        }
        try image.writeNormalizedCHW(into: &values, at: i * plane, mean: mean, std: std)
    }
    return try Tensor(values, shape: [images.count, 3, first.height, first.width])
}
