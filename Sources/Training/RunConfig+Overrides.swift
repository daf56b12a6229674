import Foundation
import LookKitCore
import Yams

extension RunConfig {
    /// The config with `key.path=value` overrides applied (values read as YAML scalars: `global`, `0.2`,
    /// `true`), as `lookkit train --set` takes them, so one config file serves an ablation table. The
    /// result is decoded as a file is: an unknown key or a bad value is a config error naming it.
    public func applying(_ overrides: [String]) throws -> RunConfig {
        guard !overrides.isEmpty else { return self }
        guard var tree = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw ConfigError("config did not encode as an object")
        }
        for override in overrides {
            guard let equals = override.firstIndex(of: "="), equals != override.startIndex else {
                throw ConfigError("--set \(override): expected key.path=value, e.g. style.distance=global")
            }
            let path = override[..<equals].split(separator: ".").map(String.init)
            let text = String(override[override.index(after: equals)...])
            let value: Any
            do { value = try Yams.load(yaml: text) ?? NSNull() } catch { throw ConfigError("--set \(override): '\(text)' is not a value") }
            tree = Self.setting(value, at: path[...], in: tree)
        }
        do {
            return try JSONDecoder().decode(RunConfig.self, from: JSONSerialization.data(withJSONObject: tree))
        } catch let error as DecodingError {
            throw ConfigError(decoding: error, in: "--set \(overrides.joined(separator: " "))")
        }
    }

    private static func setting(_ value: Any, at path: ArraySlice<String>, in tree: [String: Any]) -> [String: Any] {
        guard let key = path.first else { return tree }
        var tree = tree
        tree[key] = path.count == 1 ? value : setting(value, at: path.dropFirst(), in: tree[key] as? [String: Any] ?? [:])
        return tree
    }
}
