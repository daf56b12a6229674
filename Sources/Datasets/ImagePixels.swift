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
