import Foundation
import LookKitCore

extension Image {
    /// The tight box of pixels darker than `threshold` in some channel: the product on a
    /// white studio background. nil when the image is all background.
    public func foregroundRect(threshold: UInt8 = 245) -> PixelRect? {
        var (x1, y1, x2, y2) = (width, height, -1, -1)
        pixels.withUnsafeBufferPointer { p in
            for y in 0..<height {
                var i = y * width * 3
                for x in 0..<width {
                    if p[i] < threshold || p[i + 1] < threshold || p[i + 2] < threshold {
                        (x1, x2) = (min(x1, x), max(x2, x))
                        (y1, y2) = (min(y1, y), max(y2, y))
                    }
                    i += 3
                }
            }
        }
        return x2 < 0 ? nil : PixelRect(x: x1, y: y1, width: x2 - x1 + 1, height: y2 - y1 + 1)
    }
}

/// Composes "style boards": product photos trimmed to their foreground and pasted at random
/// scale and position on a plain canvas. Every box is the pasted rectangle itself, so the
/// labels are exact; `maxOverlap` bounds how much of any box later items may cover.
public struct StyleBoardComposer: Sendable {
    public let products: [(image: URL, classID: Int)]
    public let names: [String]
    public var width = 640, height = 640
    public var itemsPerBoard = 3...6
    /// Longer side of a pasted item, as a share of the canvas's shorter side.
    public var itemScale = 0.2...0.45
    /// Largest share of an item's box that any other item may overlap.
    public var maxOverlap = 0.15
    public var background: UInt8 = 255

    public init(products: [(image: URL, classID: Int)], names: [String]) throws {
        guard !products.isEmpty else { throw VisionError("a style board needs at least one product") }
        if let bad = products.first(where: { !names.indices.contains($0.classID) }) {
            throw DataIssue(file: bad.image.path, reason: "class id \(bad.classID) outside the \(names.count) names")
        }
        (self.products, self.names) = (products, names)
    }

    /// Board `index` for `seed`: the same pair always gives the same board.
    public func compose(board index: Int, seed: UInt64, cache: ImageCache? = nil) throws -> (Image, [LabeledBox]) {
        var generator = SeededGenerator.derived(seed, index)
        var board = Board(try Image(width: width, height: height, fill: (background, background, background)))
        let wanted = Int.random(in: itemsPerBoard, using: &generator)
        for _ in 0..<wanted * 10 where board.placed.count < wanted {
            _ = try place(products.randomElement(using: &generator)!, on: &board, using: &generator, cache: cache)
        }
        return (board.canvas, board.labels(width: width, height: height))
    }

    /// A board of exactly these product photos (an outfit's other items: Complete the Look's scene),
    /// laid out by the same rules; an item that finds no free place in 10 tries is pasted overlapping.
    public func compose(items: [URL], seed: UInt64, index: Int, cache: ImageCache? = nil) throws -> Image {
        var generator = SeededGenerator.derived(seed, index)
        var board = Board(try Image(width: width, height: height, fill: (background, background, background)))
        for item in items {
            var placed = false
            for attempt in 0..<11 where !placed {
                placed = try place((item, 0), on: &board, using: &generator, cache: cache, allowOverlap: attempt == 10)
            }
        }
        return board.canvas
    }

    /// A canvas and the boxes pasted on it so far.
    struct Board {
        var canvas: Image
        var placed: [(Box, Int)] = []
        init(_ canvas: Image) { self.canvas = canvas }
        func labels(width: Int, height: Int) -> [LabeledBox] {
            placed.map { LabeledBox(classID: $0.1, box: $0.0.inFractions(imageWidth: width, imageHeight: height)) }
        }
    }

    /// Pastes the product's foreground at a random scale and place unless it would overlap another
    /// item too much; returns whether it was pasted.
    func place(_ product: (image: URL, classID: Int), on board: inout Board, using generator: inout SeededGenerator,
               cache: ImageCache?, allowOverlap: Bool = false) throws -> Bool {
        let photo = try load(product.image, cache: cache)
        guard let trim = photo.foregroundRect() else { return false }
        let longer = Double(min(width, height)) * .random(in: itemScale, using: &generator)
        let scale = longer / Double(max(trim.width, trim.height))
        let (w, h) = (max(1, Int((Double(trim.width) * scale).rounded())), max(1, Int((Double(trim.height) * scale).rounded())))
        guard w < width, h < height else { return false }
        let (x, y) = (Int.random(in: 0...(width - w), using: &generator), Int.random(in: 0...(height - h), using: &generator))
        let box = Box(x1: Double(x), y1: Double(y), x2: Double(x + w), y2: Double(y + h))
        guard allowOverlap || board.placed.allSatisfy({ overlap(box, $0.0) <= maxOverlap }) else { return false }
        try board.canvas.paste(try photo.cropped(to: trim, resizedTo: (w, h), interpolation: .area), x: x, y: y)
        board.placed.append((box, product.classID))
        return true
    }

    /// The larger share of either box covered by their intersection.
    func overlap(_ a: Box, _ b: Box) -> Double {
        let inter = Box(x1: max(a.x1, b.x1), y1: max(a.y1, b.y1), x2: min(a.x2, b.x2), y2: min(a.y2, b.y2))
        guard inter.width > 0, inter.height > 0 else { return 0 }
        return inter.area / min(a.area, b.area)
    }

    /// Writes `count` boards as an ultralytics dataset (`images/{train,val}`, `labels/{train,val}`,
    /// `data.yaml`); every `valEvery`-th board goes to val. Returns the data.yaml URL.
    @discardableResult
    public func writeDataset(to folder: URL, count: Int, seed: UInt64, valEvery: Int = 5,
                             format: Image.Format = .jpeg, progress: ((Int) -> Void)? = nil) throws -> URL {
        let cache = try ImageCache(byteLimit: 512 << 20)
        for split in ["train", "val"] {
            for kind in ["images", "labels"] {
                try FileManager.default.createDirectory(at: folder.appendingPathComponent("\(kind)/\(split)"), withIntermediateDirectories: true)
            }
        }
        for index in 0..<count {
            let (image, boxes) = try compose(board: index, seed: seed, cache: cache)
            let split = valEvery > 0 && index % valEvery == valEvery - 1 ? "val" : "train"
            let name = String(format: "board_%06d", index)
            try image.write(to: folder.appendingPathComponent("images/\(split)/\(name)\(format.rawValue)"), quality: 95)
            try (boxes.map(YOLORows.line).joined(separator: "\n") + "\n")
                .write(to: folder.appendingPathComponent("labels/\(split)/\(name).txt"), atomically: true, encoding: .utf8)
            progress?(index + 1)
        }
        let yaml = folder.appendingPathComponent("data.yaml")
        let names = names.enumerated().map { "  \($0): \($1)" }.joined(separator: "\n")
        try "path: .\ntrain: images/train\nval: images/val\nnames:\n\(names)\n".write(to: yaml, atomically: true, encoding: .utf8)
        return yaml
    }
}

/// The seed project's five style-board classes, from Myntra's subCategory.
public enum CoarseFashionClass {
    public static let names = ["topwear", "bottomwear", "footwear", "bag", "accessory"]
    static let bySubCategory: [String: Int] = [
        "Topwear": 0, "Dress": 0, "Apparel Set": 0, "Saree": 0,
        "Bottomwear": 1,
        "Shoes": 2, "Flip Flops": 2, "Sandal": 2,
        "Bags": 3,
        "Watches": 4, "Eyewear": 4, "Jewellery": 4, "Belts": 4, "Headwear": 4, "Wallets": 4, "Accessories": 4,
        "Ties": 4, "Scarves": 4, "Cufflinks": 4, "Socks": 4, "Mufflers": 4, "Gloves": 4, "Stoles": 4,
    ]

    /// Products whose subCategory maps to one of the five classes.
    public static func products(from styles: [ProductStyle]) -> [(image: URL, classID: Int)] {
        styles.compactMap { style in bySubCategory[style.subCategory].map { (style.image, $0) } }
    }
}
