import Foundation

/// A JSON object flattened to dotted key paths ("optimizer.lr" → "0.001"), each value as compact
/// JSON, so two configs compare key by key. Text that is not JSON comes back under "config".
public func flattenedJSON(_ json: String) -> [String: String] {
    guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]) else {
        return ["config": json]
    }
    var flat: [String: String] = [:]
    func visit(_ value: Any, _ key: String) {
        if let dictionary = value as? [String: Any] {
            for (name, inner) in dictionary { visit(inner, key.isEmpty ? name : "\(key).\(name)") }
        } else if let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]) {
            flat[key] = String(decoding: data, as: UTF8.self)
        }
    }
    visit(object, "")
    return flat
}
