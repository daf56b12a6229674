import LookKitCore

/// YOLOv5-style mosaic: four images meet at a random centre of a size×size canvas, each scaled
/// (aspect kept) so its longer side is `size`/2 and placed in its quadrant against the centre;
/// boxes follow their image and are clipped, keeping those with ≥ `minVisible` of their area.
public func mosaic<G: RandomNumberGenerator>(_ tiles: [(image: Image, boxes: [LabeledBox])], size: Int, minVisible: Double = 0.2,
                                             fill: UInt8 = 114, using generator: inout G) throws -> (Image, [LabeledBox]) {
    guard tiles.count == 4 else { throw VisionError("mosaic needs 4 images, got \(tiles.count)") }
    var canvas = try Image(width: size, height: size, fill: (fill, fill, fill))
    let cx = Int.random(in: size / 4...(3 * size / 4), using: &generator)
    let cy = Int.random(in: size / 4...(3 * size / 4), using: &generator)
    var boxes: [LabeledBox] = []
    for (quadrant, tile) in tiles.enumerated() {
        let scale = Double(size / 2) / Double(max(tile.image.width, tile.image.height))
        let w = max(1, Int((Double(tile.image.width) * scale).rounded()))
        let h = max(1, Int((Double(tile.image.height) * scale).rounded()))
        // Quadrants 0..3: top-left, top-right, bottom-left, bottom-right of the centre.
        let x = quadrant % 2 == 0 ? cx - w : cx, y = quadrant < 2 ? cy - h : cy
        try canvas.paste(try tile.image.resized(width: w, height: h), x: x, y: y)
        let place = AffineTransform.scale(Double(w), Double(h)).then(.translation(Double(x), Double(y)))
        for box in tile.boxes {
            let full = place.apply(box.box)
            let visible = full.clipped(width: Double(size), height: Double(size))
            guard visible.width > 1, visible.height > 1, visible.area >= minVisible * full.area else { continue }
            boxes.append(LabeledBox(classID: box.classID, box: visible.inFractions(imageWidth: size, imageHeight: size)))
        }
    }
    return (canvas, boxes)
}
