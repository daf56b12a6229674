import LookKitCore

/// How a photo becomes a network's size×size input. It is part of a run's config, so training's
/// evaluation, `eval`, `embed`, the catalog and exported models (ONNX metadata `resize`) all
/// prepare photos the same way.
public enum ResizeRule: String, ConfigChoice {
    /// The whole photo resized to size×size, aspect ratio not kept.
    case stretch
    /// The short side resized to `size`, then the centred size×size square (ImageNet's evaluation
    /// crop; for portrait product photos it trims background above and below the item).
    case centerCrop = "center-crop"
}

extension Image {
    /// The photo as a size×size input under `rule` (area averaging when shrinking, bilinear when enlarging).
    public func fitted(_ size: Int, _ rule: ResizeRule) throws -> Image {
        switch rule {
        case .stretch:
            return try resized(width: size, height: size)
        case .centerCrop:
            let scale = Double(size) / Double(min(width, height))
            let (w, h) = (max(size, Int((Double(width) * scale).rounded())), max(size, Int((Double(height) * scale).rounded())))
            let scaled = try resized(width: w, height: h)
            return try scaled.cropped(to: PixelRect(x: (w - size) / 2, y: (h - size) / 2, width: size, height: size))
        }
    }
}
