import Foundation

/// One product of an outfit: its id, the category used for pairing, and its photo if present.
public struct OutfitItem: Sendable, Hashable {
    public let id: String
    public let category: String
    public let image: URL?
    public init(id: String, category: String, image: URL?) { (self.id, self.category, self.image) = (id, category, image) }
}

public struct Outfit: Sendable, Hashable {
    public let id: String
    public let items: [OutfitItem]
    public init(id: String, items: [OutfitItem]) { (self.id, self.items) = (id, items) }
}

/// A MANGO product from `product_data.csv`.
public struct MangoProduct: Sendable, Hashable {
    public let id, colour, category, aggregatedFamily, family, type: String
    /// nil when the photo is not staged (only products of sampled outfits have one).
    public let image: URL?
}

/// MANGO datathon outfits: `product_data.csv` + an outfit table (`outfit_data.csv` or
/// `sampled_outfits.csv`: cod_outfit,cod_modelo_color) + `images/`.
public enum MangoReader {
    public static func readProducts(_ folder: URL, onBadRow: OnBadRow = .skip) throws -> Loaded<MangoProduct> {
        var log = IssueLog(onBadRow)
        let url = folder.appendingPathComponent("product_data.csv")
        let table = try DelimitedTable(url: url, issues: &log)
        let c = try table.columns(["cod_modelo_color", "des_agrup_color_eng", "des_product_category",
                                   "des_product_aggregated_family", "des_product_family", "des_product_type", "des_filename"])
        var seen = Set<String>()
        let records = try log.records(of: table) { f -> MangoProduct in
            guard !f[c[0]].isEmpty, !f[c[2]].isEmpty else { throw RowError("empty product id or category") }
            guard seen.insert(f[c[0]]).inserted else { throw RowError("duplicate product \(f[c[0]])") }
            let image = folder.appendingPathComponent("images").appendingPathComponent(URL(fileURLWithPath: f[c[6]]).lastPathComponent)
            return MangoProduct(id: f[c[0]], colour: f[c[1]], category: f[c[2]], aggregatedFamily: f[c[3]],
                                family: f[c[4]], type: f[c[5]], image: fileExists(image) ? image : nil)
        }
        return Loaded(records: records, issues: log.issues)
    }

    /// Outfits whose products all exist (and, with `requireImages`, all have a photo). An item's pairing
    /// category is its product family (Trousers, Jeans, Shirt, …): negatives and FITB distractors share it,
    /// as in the datathon's questions (the coarser des_product_category would let shape alone answer).
    public static func readOutfits(_ folder: URL, table name: String = "sampled_outfits.csv", requireImages: Bool = true,
                                   onBadRow: OnBadRow = .skip) throws -> Loaded<Outfit> {
        let products = try readProducts(folder, onBadRow: onBadRow)
        let byID = Dictionary(uniqueKeysWithValues: products.records.map { ($0.id, $0) })
        var log = IssueLog(onBadRow)
        for issue in products.issues { try log.report(issue) }
        let url = folder.appendingPathComponent(name)
        let table = try DelimitedTable(url: url, issues: &log)
        let c = try table.columns(["cod_outfit", "cod_modelo_color"])
        var order: [String] = [], items: [String: [OutfitItem]] = [:]
        let rows = try log.records(of: table) { f -> (String, OutfitItem) in
            guard let product = byID[f[c[1]]] else { throw RowError("unknown product \(f[c[1]])") }
            if requireImages, product.image == nil { throw RowError("product \(product.id) has no image") }
            return (f[c[0]], OutfitItem(id: product.id, category: product.family, image: product.image))
        }
        for (outfit, item) in rows {
            if items[outfit] == nil { order.append(outfit) }
            items[outfit, default: []].append(item)
        }
        return Loaded(records: order.map { Outfit(id: $0, items: items[$0]!) }, issues: log.issues)
    }
}

/// Polyvore Outfits (Vasileva et al. 2018): a JSON array of `{set_id, items:[{item_id, index}]}`
/// and a metadata object `{item_id: {semantic_category, …}}`; photos are `<images>/<item_id>.jpg`.
public enum PolyvoreReader {
    public static func read(outfits: URL, metadata: URL, images: URL? = nil, onBadRow: OnBadRow = .skip) throws -> Loaded<Outfit> {
        guard let categories = try json(metadata) as? [String: Any] else {
            throw DataIssue(file: metadata.path, reason: "expected an object of item_id -> metadata")
        }
        guard let sets = try json(outfits) as? [Any] else { throw DataIssue(file: outfits.path, reason: "expected an array of outfits") }
        // JSON parsers give no line numbers; find each outfit's line from its set_id in the text.
        let lines = try numberedLines(of: outfits)
        func line(of setID: String) -> Int? {
            lines.first { $0.text.contains("\"set_id\"") && ($0.text.contains("\"\(setID)\"") || $0.text.contains(": \(setID)")) }?.number
        }
        var log = IssueLog(onBadRow)
        var records: [Outfit] = []
        for (position, entry) in sets.enumerated() {
            let object = entry as? [String: Any]
            let setID = (object?["set_id"] as? String) ?? (object?["set_id"] as? NSNumber)?.stringValue
            let outfit: Outfit? = try log.row(outfits, line: setID.flatMap(line(of:))) {
                guard let setID else { throw RowError("outfit \(position) has no set_id") }
                guard let items = object?["items"] as? [[String: Any]], !items.isEmpty else { throw RowError("outfit \(setID) has no items") }
                return Outfit(id: setID, items: try items.map { item in
                    guard let itemID = (item["item_id"] as? String) ?? (item["item_id"] as? NSNumber)?.stringValue else {
                        throw RowError("outfit \(setID) has an item without item_id")
                    }
                    guard let meta = categories[itemID] as? [String: Any], let category = meta["semantic_category"] as? String else {
                        throw RowError("item \(itemID) of outfit \(setID) has no semantic_category in \(metadata.lastPathComponent)")
                    }
                    let image = images?.appendingPathComponent("\(itemID).jpg")
                    if let image, !fileExists(image) { throw RowError("item \(itemID) of outfit \(setID): image is missing") }
                    return OutfitItem(id: itemID, category: category, image: image)
                })
            }
            if let outfit { records.append(outfit) }
        }
        return Loaded(records: records, issues: log.issues)
    }

    static func json(_ url: URL) throws -> Any {
        do { return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) } catch {
            throw DataIssue(file: url.path, reason: "not valid JSON (\(error.localizedDescription))")
        }
    }
}
