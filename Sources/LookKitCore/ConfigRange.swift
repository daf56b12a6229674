/// The values a numeric config field accepts, checked when the config is read so that a negative
/// learning rate or zero steps stop the run there instead of training nothing and "finishing".
public struct ConfigRange<Value: Comparable & Sendable>: Sendable, CustomStringConvertible {
    public let lower: Value?
    public let lowerIncluded: Bool
    public let upper: Value?
    public let upperIncluded: Bool

    /// `> lower`
    public static func above(_ lower: Value) -> Self { Self(lower: lower, lowerIncluded: false, upper: nil, upperIncluded: false) }
    /// `>= lower`
    public static func atLeast(_ lower: Value) -> Self { Self(lower: lower, lowerIncluded: true, upper: nil, upperIncluded: false) }
    /// `lower <= value < upper`, or `lower < value < upper` when `lowerIncluded` is false.
    public static func from(_ lower: Value, below upper: Value, lowerIncluded: Bool = true) -> Self {
        Self(lower: lower, lowerIncluded: lowerIncluded, upper: upper, upperIncluded: false)
    }

    /// False for NaN as well, since every comparison with NaN is false.
    public func contains(_ value: Value) -> Bool {
        if let lower, !(lowerIncluded ? value >= lower : value > lower) { return false }
        if let upper, !(upperIncluded ? value <= upper : value < upper) { return false }
        return true
    }

    /// As the error prints it: `> 0`, `>= 0`, `>= 0 and < 1`.
    public var description: String {
        let low = lower.map { "\(lowerIncluded ? ">=" : ">") \(Self.shown($0))" }
        let high = upper.map { "\(upperIncluded ? "<=" : "<") \(Self.shown($0))" }
        return [low, high].compactMap { $0 }.joined(separator: " and ")
    }

    /// A number as a config file writes it: `1`, not Swift's `1.0`.
    static func shown(_ value: Value) -> String {
        let text = "\(value)"
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}

extension KeyedDecodingContainer {
    /// The key's value (or `value` when absent), refused when outside `range` with an error naming
    /// the key, the value and the range, e.g. `optimizer.learningRate: -0.1 is out of range (> 0)`.
    public func callAsFunction<T: Decodable & Comparable & Sendable>(_ key: Key, default value: T, in range: ConfigRange<T>) throws -> T {
        try checked(self(key, default: value), key, range)
    }

    /// A required key's value, refused when outside `range`.
    public func decode<T: Decodable & Comparable & Sendable>(_ type: T.Type, forKey key: Key, in range: ConfigRange<T>) throws -> T {
        try checked(decode(type, forKey: key), key, range)
    }

    /// An optional key's value, refused when present and outside `range`.
    public func callAsFunction<T: Decodable & Comparable & Sendable>(_ key: Key, in range: ConfigRange<T>) throws -> T? {
        try decodeIfPresent(T.self, forKey: key).map { try checked($0, key, range) }
    }

    private func checked<T>(_ value: T, _ key: Key, _ range: ConfigRange<T>) throws -> T {
        guard range.contains(value) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\(ConfigRange.shown(value)) is out of range (\(range))")
        }
        return value
    }
}
