import Foundation
import LookKitCore

/// A product seen inside a scene photo or collage, with its box normalised to [0,1] (x1,y1,x2,y2).
public struct SceneItem: Sendable, Hashable {
    public let productID: String
    public let category: String
    public let box: Box
    public init(productID: String, category: String, box: Box) {
        (self.productID, self.category, self.box) = (productID, category, box)
    }
}

/// A scene (street photo, Pinterest scene, outfit collage) and the products in it.
public struct Scene: Sendable, Hashable {
    public let id: String
    public let image: URL?
    public var items: [SceneItem]
    public init(id: String, image: URL?, items: [SceneItem]) { (self.id, self.image, self.items) = (id, image, items) }
}

/// Checks a normalised box lies in [0,1] with positive size; an inverted box is called negative, not empty.
func checkNormalized(_ box: Box) throws {
    let corners = "\(box.x1),\(box.y1),\(box.x2),\(box.y2)"
    guard box.width >= 0, box.height >= 0 else { throw RowError("negative box size (w \(box.width), h \(box.height)): \(corners)") }
    guard box.width > 0, box.height > 0 else { throw RowError("zero-sized box \(corners)") }
    let t = YOLOReader.edgeTolerance
    guard box.x1 >= -t, box.y1 >= -t, box.x2 <= 1 + t, box.y2 <= 1 + t else {
        throw RowError("box outside [0,1]: \(box.x1),\(box.y1),\(box.x2),\(box.y2)")
    }
}

func isSignature(_ s: String) -> Bool { s.count == 32 && s.allSatisfy(\.isHexDigit) }

/// Groups rows into scenes in first-seen order.
func groupScenes(_ rows: [(scene: String, item: SceneItem)], image: (String) -> URL? = { _ in nil }) -> [Scene] {
    var order: [String] = [], items: [String: [SceneItem]] = [:]
    for (scene, item) in rows {
        if items[scene] == nil { order.append(scene) }
        items[scene, default: []].append(item)
    }
    return order.map { Scene(id: $0, image: image($0), items: items[$0]!) }
}

/// Pinterest Shop-The-Look (Kang et al. 2019): `fashion-cat.json` maps product signatures to
/// category paths; `fashion.json` holds one `{product, scene, bbox:[l,t,r,b]}` object per line.
public enum STLReader {
    public static func readCategories(_ url: URL, onBadRow: OnBadRow = .skip) throws -> Loaded<(product: String, category: String)> {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) } catch {
            throw DataIssue(file: url.path, reason: "not valid JSON (\(error.localizedDescription))")
        }
        guard let map = object as? [String: Any] else { throw DataIssue(file: url.path, reason: "expected a JSON object of product -> category") }
        var log = IssueLog(onBadRow)
        var records: [(String, String)] = []
        for (product, value) in map.sorted(by: { $0.key < $1.key }) {
            guard isSignature(product) else { try log.report(url, "product '\(product)' is not a 32-hex-digit signature"); continue }
            guard let category = value as? String, !category.isEmpty else { try log.report(url, "product \(product) has no category string"); continue }
            records.append((product, category))
        }
        return Loaded(records: records, issues: log.issues)
    }

    /// Scenes from the pairs file; categories come from `categories` (product -> path), "unknown" if absent.
    public static func readScenes(_ url: URL, categories: [String: String] = [:], onBadRow: OnBadRow = .skip) throws -> Loaded<Scene> {
        var log = IssueLog(onBadRow)
        var rows: [(scene: String, item: SceneItem)] = []
        for (line, text) in try numberedLines(of: url) {
            let row: (String, SceneItem)? = try log.row(url, line: line) {
                guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                    throw RowError("not a JSON object")
                }
                guard let product = object["product"] as? String, isSignature(product) else { throw RowError("missing or bad 'product' signature") }
                guard let scene = object["scene"] as? String, isSignature(scene) else { throw RowError("missing or bad 'scene' signature") }
                guard let b = object["bbox"] as? [Any], b.count == 4, let v = b as? [NSNumber] else {
                    throw RowError("'bbox' must be 4 numbers [left, top, right, bottom]")
                }
                let box = Box(x1: v[0].doubleValue, y1: v[1].doubleValue, x2: v[2].doubleValue, y2: v[3].doubleValue)
                try checkNormalized(box)
                return (scene, SceneItem(productID: product, category: categories[product] ?? "unknown", box: box))
            }
            if let row { rows.append(row) }
        }
        return Loaded(records: groupScenes(rows), issues: log.issues)
    }
}

/// Pinterest Complete-The-Look TSV: `image_signature x y width height label` per item (normalised,
/// top-left origin); rows sharing a signature form one outfit. The header is space-separated
/// while rows are tab-separated.
public enum CTLReader {
    public static func read(_ url: URL, onBadRow: OnBadRow = .skip) throws -> Loaded<Scene> {
        var log = IssueLog(onBadRow)
        let table = try DelimitedTable(url: url, separator: "\t", headerSeparator: " ", issues: &log)
        let c = try table.columns(["image_signature", "bounding_x", "bounding_y", "bounding_width", "bounding_height", "label"])
        var counts: [String: Int] = [:]
        let rows = try log.records(of: table) { f -> (scene: String, item: SceneItem) in
            let signature = f[c[0]]
            guard isSignature(signature) else { throw RowError("image_signature '\(signature)' is not 32 hex digits") }
            let (x, y) = (try f[c[1]].number("bounding_x"), try f[c[2]].number("bounding_y"))
            let box = Box(x1: x, y1: y, x2: x + (try f[c[3]].number("bounding_width")), y2: y + (try f[c[4]].number("bounding_height")))
            try checkNormalized(box)
            guard !f[c[5]].isEmpty else { throw RowError("empty label") }
            let index = counts[signature, default: 0]
            counts[signature] = index + 1
            return (signature, SceneItem(productID: "\(signature)#\(index)", category: f[c[5]], box: box))
        }
        return Loaded(records: groupScenes(rows), issues: log.issues)
    }
}
