// An optimizer's checkpoint: `learning_rate` (the default rate), `group.<name>.learning_rate` for
// groups with their own rate, and `state.<parameter path>.<name>` per parameter, e.g.
// `state.backbone.conv1.weight.momentum_buffer` or `state.fc.bias.step`.
extension Optimizer {
    public func stateDict() throws -> [(String, Tensor)] {
        var out = [("learning_rate", try Tensor.scalar(learningRate, dtype: .float64))]
        for group in groups {
            if let rate = group.learningRate { out.append(("group.\(group.name).learning_rate", try Tensor.scalar(rate, dtype: .float64))) }
        }
        for (path, _) in namedParameters {
            out += (state[path] ?? [:]).sorted { $0.key < $1.key }.map { ("state.\(path).\($0.key)", $0.value) }
            if let count = steps[path] { out.append(("state.\(path).step", try Tensor.scalar(Double(count)))) }
        }
        return out
    }

    /// Restores a `stateDict()`. Every key must name a group or a parameter (by path) of this
    /// optimizer, with the parameter's shape: state saved for another set of parameters (say, before
    /// freezing a backbone) is refused with the unknown keys named, never shifted onto other tensors.
    /// Parameters without saved state start fresh, as in PyTorch, where state exists only for
    /// parameters that have stepped.
    public func load(stateDict saved: [(String, Tensor)]) throws {
        let parameters = Dictionary(namedParameters, uniquingKeysWith: { a, _ in a })
        let groupNames = Set(groups.map(\.name))
        var loaded: [String: [String: Tensor]] = [:], loadedSteps: [String: Int] = [:]
        var defaultRate: Double?, groupRates: [String: Double] = [:]
        var unknown: [String] = [], problems: [String] = []
        for (key, tensor) in saved {
            if key == "learning_rate" {
                defaultRate = try tensor.item()
            } else if let group = Self.between(key, "group.", ".learning_rate"), groupNames.contains(group) {
                groupRates[group] = try tensor.item()
            } else if let (path, name) = Self.parameterState(key), let parameter = parameters[path], stateNames.contains(name) {
                if name == "step" {
                    loadedSteps[path] = Int(try tensor.item())
                } else if tensor.shape != parameter.shape {
                    problems.append("\(key) has shape \(tensor.shape), the parameter \(parameter.shape)")
                } else {
                    loaded[path, default: [:]][name] = try withoutGrad { try tensor.to(parameter.device).clone() }
                }
            } else {
                unknown.append(key)
            }
        }
        if !unknown.isEmpty {
            let unsaved = namedParameters.map(\.0).filter { loaded[$0] == nil && loadedSteps[$0] == nil }
            var line = "unknown keys (no such group, parameter or state in this optimizer): \(Self.listed(unknown))"
            if !unsaved.isEmpty { line += "; this optimizer's parameters without saved state: \(Self.listed(unsaved))" }
            if unknown.contains(where: { Self.parameterState($0).map { Int($0.path) != nil } ?? false }) {
                line += " (state keyed by parameter index comes from an older LookKit)"
            }
            problems.insert(line, at: 0)
        }
        guard problems.isEmpty else {
            throw TorchError("optimizer state does not fit this optimizer: " + problems.joined(separator: "; "),
                             category: unknown.isEmpty ? .invalidValue : .badInput)
        }
        (state, steps) = (loaded, loadedSteps)
        if let defaultRate { learningRate = defaultRate }
        for (group, rate) in groupRates { try setLearningRate(rate, group: group) }
    }

    /// `state.<path>.<name>` split at its last dot (state names have none; paths do).
    private static func parameterState(_ key: String) -> (path: String, name: String)? {
        guard key.hasPrefix("state."), let dot = key.lastIndex(of: ".") else { return nil }
        let path = key[key.index(key.startIndex, offsetBy: 6) ..< dot]
        return path.isEmpty ? nil : (String(path), String(key[key.index(after: dot)...]))
    }

    private static func between(_ key: String, _ prefix: String, _ suffix: String) -> String? {
        guard key.count > prefix.count + suffix.count, key.hasPrefix(prefix), key.hasSuffix(suffix) else { return nil }
        return String(key.dropFirst(prefix.count).dropLast(suffix.count))
    }

    private static func listed(_ names: [String], limit: Int = 8) -> String {
        names.prefix(limit).joined(separator: ", ") + (names.count > limit ? " … and \(names.count - limit) more" : "")
    }
}
