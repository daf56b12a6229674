/// A config value chosen from a closed set (mining, optimizer, schedule…). Decoding an unknown
/// value fails naming the allowed ones, so a typo stops the run when its config is read.
public protocol ConfigChoice: RawRepresentable, CaseIterable, Codable, Sendable where RawValue == String {}

extension ConfigChoice {
    public static var allowed: String { allCases.map(\.rawValue).joined(separator: ", ") }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let value = Self(rawValue: raw) else {
            let hint = DidYouMean.hint(for: raw, in: Self.allCases.map(\.rawValue))
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown value '\(raw)'\(hint) (allowed: \(Self.allowed))")
        }
        self = value
    }
}

/// Any key, to see every key an object holds.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Decoder {
    /// The object's container, refusing keys the type does not know (a misspelt key would
    /// otherwise be ignored and its default silently used).
    public func strictContainer<Key: CodingKey & CaseIterable>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let all = try container(keyedBy: AnyKey.self)
        let known = Key.allCases.map(\.stringValue)
        if let unknown = all.allKeys.first(where: { !known.contains($0.stringValue) }) {
            let hint = DidYouMean.hint(for: unknown.stringValue, in: known)
            throw DecodingError.dataCorruptedError(forKey: unknown, in: all,
                                                   debugDescription: "unknown key\(hint) (known: \(known.joined(separator: ", ")))")
        }
        return try container(keyedBy: Key.self)
    }
}

extension KeyedDecodingContainer {
    /// The key's value, or `value` when the key is absent (defaults live in the type).
    public func callAsFunction<T: Decodable>(_ key: Key, default value: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? value
    }
}

extension ConfigError {
    /// A decoding failure as one line naming the file and the dotted key, e.g.
    /// `run.yaml: triplet.mining: unknown value 'hardest' (allowed: batch-hard, batch-all, random)`.
    public init(decoding error: Error, in file: String) {
        func path(_ keys: [CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case let DecodingError.keyNotFound(key, context):
            self.init("\(file): missing key '\(path(context.codingPath + [key]))'")
        case let DecodingError.typeMismatch(type, context):
            self.init("\(file): \(path(context.codingPath)): expected \(type)")
        case let DecodingError.valueNotFound(type, context):
            self.init("\(file): \(path(context.codingPath)): expected \(type), found null")
        case let DecodingError.dataCorrupted(context):
            let at = path(context.codingPath)
            self.init("\(file): \(at.isEmpty ? "" : at + ": ")\(context.debugDescription)")
        default:
            self.init("\(file): \(error)")
        }
    }
}
