import Datasets
import Foundation
import LookKitCore

/// What `lookkit detect` leaves in its output folder, laid out as ultralytics' detect.py does:
/// `<stem>.jpg` (the photo with its boxes drawn and labelled), with `saveText` `labels/<stem>.txt`
/// (`class cx cy w h conf`, normalised, what `lookkit eval detections` reads), and with `saveCrops`
/// `crops/<class>/<stem>_<n>.jpg` (one crop per detection: the pipeline's input).
public struct DetectionWriter {
    public let folder: URL
    public let names: [String]
    public var saveText = false, saveCrops = false

    public init(folder: URL, names: [String]) throws {
        (self.folder, self.names) = (folder, names)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    public func name(_ id: Int) -> String { names.indices.contains(id) ? names[id] : String(id) }

    /// Writes one photo's outputs; `stem` names its files.
    public func write(_ photo: Image, stem: String, detections: [ScoredBox]) throws {
        var drawn = photo
        for (n, d) in detections.enumerated() {
            let color = Self.palette[d.classID % Self.palette.count]
            try drawn.draw(d.box, color: color)
            try drawn.draw(text: "\(name(d.classID)) \(String(format: "%.2f", d.confidence))", x: Int(d.box.x1), y: max(Int(d.box.y1) - 4, 10), color: color)
            if saveCrops, let crop = try Self.crop(photo, d.box) {
                let folder = folder.appendingPathComponent("crops").appendingPathComponent(name(d.classID))
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try crop.write(to: folder.appendingPathComponent("\(stem)_\(n).jpg"))
            }
        }
        try drawn.write(to: folder.appendingPathComponent("\(stem).jpg"))
        if saveText {
            let labels = folder.appendingPathComponent("labels")
            try FileManager.default.createDirectory(at: labels, withIntermediateDirectories: true)
            let lines = detections.map { d in
                YOLORows.line(LabeledBox(classID: d.classID, box: d.box.inFractions(imageWidth: photo.width, imageHeight: photo.height)))
                    + String(format: " %.6f", d.confidence)
            }
            try (lines.map { $0 + "\n" }.joined()).write(toPath: labels.appendingPathComponent("\(stem).txt").path)
        }
    }

    /// The box's whole pixels (at least one), or nil when nothing of it lies in the photo.
    static func crop(_ photo: Image, _ box: Box) throws -> Image? {
        let x1 = max(0, Int(box.x1.rounded(.down))), y1 = max(0, Int(box.y1.rounded(.down)))
        let x2 = min(photo.width, Int(box.x2.rounded(.up))), y2 = min(photo.height, Int(box.y2.rounded(.up)))
        guard x2 > x1, y2 > y1 else { return nil }
        return try photo.cropped(to: PixelRect(x: x1, y: y1, width: x2 - x1, height: y2 - y1))
    }

    /// ultralytics' first colours (its `Colors` palette), one per class.
    static let palette: [(UInt8, UInt8, UInt8)] = [(255, 56, 56), (255, 157, 151), (255, 112, 31), (255, 178, 29), (207, 210, 49),
                                                   (72, 249, 10), (146, 204, 23), (61, 219, 134), (26, 147, 52), (0, 212, 187)]
}
