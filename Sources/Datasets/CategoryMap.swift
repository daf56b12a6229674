import Foundation
import LookKitCore

/// Which catalog categories each detector class stands for (`shoe: [Casual Shoes, Heels, …]`): a
/// garment found in a photo is matched only with products of its categories. Read from a YAML file
/// of `detector_class: [category, …]`; a category belongs to one class at most.
public struct CategoryMap: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let detectorClass: String
        public let categories: [String]
        public init(detectorClass: String, categories: [String]) {
            (self.detectorClass, self.categories) = (detectorClass, categories)
        }
    }

    /// In file order.
    public let entries: [Entry]

    public init(_ entries: [Entry]) throws {
        var owner: [String: String] = [:]
        for entry in entries {
            for category in entry.categories {
                if let other = owner.updateValue(entry.detectorClass, forKey: category) {
                    throw ConfigError("category '\(category)' is mapped from both '\(other)' and '\(entry.detectorClass)'")
                }
            }
        }
        self.entries = entries
    }

    public init(yaml url: URL) throws { try self.init(yaml: readText(url), file: url.path) }

    public init(yaml text: String, file: String) throws {
        let yaml = try YAMLDocument(text, file: file)
        var entries: [Entry] = [], owner: [String: String] = [:]
        for entry in yaml.entries {
            guard let name = entry.key.string, !name.isEmpty else { throw yaml.issue(at: entry.key, "a detector class name is expected") }
            var categories: [String] = []
            for (category, node) in try yaml.strings(entry.value, "'\(name)'") {
                if let other = owner.updateValue(name, forKey: category) {
                    throw yaml.issue(at: node, "category '\(category)' is already mapped from '\(other)'")
                }
                categories.append(category)
            }
            entries.append(Entry(detectorClass: name, categories: categories))
        }
        try self.init(entries)
    }

    /// The catalog categories a detected `detectorClass` may be matched with (empty: none).
    public func categories(of detectorClass: String) -> [String] {
        entries.first { $0.detectorClass == detectorClass }?.categories ?? []
    }

    /// The detector class whose categories include `category`, if any.
    public func detectorClass(of category: String) -> String? {
        entries.first { $0.categories.contains(category) }?.detectorClass
    }

    /// The map as the YAML it reads (a catalog keeps the one it was built with).
    public var yaml: String {
        entries.map { entry in
            "\(entry.detectorClass): [\(entry.categories.map(Self.quotedIfNeeded).joined(separator: ", "))]"
        }.joined(separator: "\n") + "\n"
    }

    private static func quotedIfNeeded(_ text: String) -> String {
        text.allSatisfy { $0.isLetter || $0.isNumber || $0 == " " || $0 == "-" } ? text : "\"\(text.replacingOccurrences(of: "\"", with: "\\\""))\""
    }

    /// The shared detection data's ten classes (colorful-fashion-detection) onto the article types of
    /// fashion-product-images' styles.csv.
    public static let fashionProductImages = try! CategoryMap([
        Entry(detectorClass: "shoe", categories: ["Casual Shoes", "Sports Shoes", "Formal Shoes", "Heels", "Flats", "Sandals", "Flip Flops"]),
        Entry(detectorClass: "shirt", categories: ["Tshirts", "Shirts", "Tops", "Kurtas", "Kurtis", "Tunics"]),
        Entry(detectorClass: "pants", categories: ["Jeans", "Trousers", "Track Pants", "Leggings", "Capris"]),
        Entry(detectorClass: "bag", categories: ["Handbags", "Backpacks", "Clutches", "Laptop Bag", "Duffel Bag"]),
        Entry(detectorClass: "sunglass", categories: ["Sunglasses"]),
        Entry(detectorClass: "hat", categories: ["Caps", "Hats"]),
        Entry(detectorClass: "jacket", categories: ["Jackets", "Sweaters", "Sweatshirts", "Blazers"]),
        Entry(detectorClass: "shorts", categories: ["Shorts"]),
        Entry(detectorClass: "skirt", categories: ["Skirts"]),
        Entry(detectorClass: "dress", categories: ["Dresses"]),
    ])
}
