import LookKitCore

import CVision

extension Image {
    /// Scales hue, saturation and value by the gains (YOLO-style colour augmentation).
    public mutating func applyHSVGain(hue: Double, saturation: Double, value: Double) throws {
        let (w, h) = (Int32(width), Int32(height))
        try editing { cv_hsv_gain($0, w, h, hue, saturation, value) }
    }

    /// Blends `image` onto this one with its top-left at (x, y), clipped to the canvas;
    /// opacity 1 replaces the pixels, 0.5 mixes half and half.
    public mutating func paste(_ image: Image, x: Int, y: Int, opacity: Double = 1) throws {
        let (w, h) = (Int32(width), Int32(height))
        try image.pixels.withUnsafeBufferPointer { src in
            try editing {
                cv_paste($0, w, h, src.baseAddress, Int32(image.width), Int32(image.height), 3,
                         Int32(x), Int32(y), opacity)
            }
        }
    }

    public mutating func draw(_ box: Box, color: (UInt8, UInt8, UInt8), thickness: Int = 2) throws {
        let (w, h) = (Int32(width), Int32(height))
        try editing {
            cv_draw_rectangle($0, w, h, Int32(box.x1.rounded()), Int32(box.y1.rounded()),
                              Int32(box.x2.rounded()), Int32(box.y2.rounded()),
                              color.0, color.1, color.2, Int32(thickness))
        }
    }

    /// Draws `text` with its baseline starting at (x, y).
    public mutating func draw(text: String, x: Int, y: Int, scale: Double = 0.5,
                              color: (UInt8, UInt8, UInt8), thickness: Int = 1) throws {
        let (w, h) = (Int32(width), Int32(height))
        try editing {
            cv_draw_text($0, w, h, text, Int32(x), Int32(y), scale, color.0, color.1, color.2, Int32(thickness))
        }
    }
}

extension Image {
    /// Shows a rows×cols grid of weights (an attention map over the image's regions, row-major): each
    /// cell is darkened by how far its weight falls below the largest, and the largest is outlined in red.
    public func attentionOverlay(_ weights: [Float], rows: Int, cols: Int) throws -> Image {
        guard rows > 0, cols > 0, weights.count == rows * cols else {
            throw VisionError("attention overlay: \(weights.count) weights for a \(rows)x\(cols) grid")
        }
        var out = self
        let top = weights.max() ?? 1
        func cell(_ i: Int) -> PixelRect {
            let (r, c) = (i / cols, i % cols)
            let (x1, y1) = (c * width / cols, r * height / rows)
            return PixelRect(x: x1, y: y1, width: (c + 1) * width / cols - x1, height: (r + 1) * height / rows - y1)
        }
        for (i, weight) in weights.enumerated() where top > 0 {
            let rect = cell(i)
            let shade = 0.8 * (1 - Double(weight / top))
            if shade > 0 { try out.paste(try Image(width: rect.width, height: rect.height, fill: (0, 0, 0)), x: rect.x, y: rect.y, opacity: shade) }
        }
        if let best = weights.indices.max(by: { weights[$0] < weights[$1] }) {
            let rect = cell(best)
            try out.draw(Box(x1: Double(rect.x), y1: Double(rect.y), x2: Double(rect.x + rect.width - 1), y2: Double(rect.y + rect.height - 1)),
                         color: (230, 30, 30), thickness: 2)
        }
        return out
    }
}
