/// Free-form labels of one item, e.g. `["gender": "Men", "category": "Topwear"]`.
public typealias ItemMetadata = [String: String]

/// Items match when, for every key, their value is one of the allowed values
/// (keys are ANDed, values of one key ORed). Items without the key never match.
public struct MetadataFilter: Equatable, Sendable {
    public var allowed: [String: Set<String>]

    public init(_ allowed: [String: Set<String>]) {
        self.allowed = allowed
    }

    /// Parses terms like `gender=Men`; repeating a key allows several values.
    public init(parsing terms: [String]) throws {
        var allowed: [String: Set<String>] = [:]
        for term in terms {
            guard let equals = term.firstIndex(of: "="), equals != term.startIndex else {
                throw SearchError.invalidArgument("filter '\(term)' is not key=value")
            }
            allowed[String(term[..<equals]), default: []].insert(String(term[term.index(after: equals)...]))
        }
        self.allowed = allowed
    }

    public func matches(_ metadata: ItemMetadata?) -> Bool {
        allowed.allSatisfy { key, values in metadata?[key].map(values.contains) ?? false }
    }
}
