// Freezing as PyTorch's `requires_grad_(False)`: a frozen parameter gets no gradient and is left out
// of `namedTrainableParameters()`, hence out of optimizers built from them, but stays in `stateDict()`.
// Buffers (batch-norm running statistics) are untouched and keep updating in training mode; putting a
// frozen part in eval mode is the caller's choice, as in PyTorch and MLX.
extension Module {
    /// Freezes every parameter whose dotted path is one of `prefixes` or lies below one
    /// (`"backbone"` covers `backbone.conv1.weight`, not `backbone2.weight`); `""` covers all.
    /// Throws naming any prefix that matches no parameter.
    public func freeze(_ prefixes: [String] = [""]) throws { try setTrainable(false, prefixes) }

    /// Makes the parameters under `prefixes` trainable again (see `freeze`).
    public func unfreeze(_ prefixes: [String] = [""]) throws { try setTrainable(true, prefixes) }

    private func setTrainable(_ trainable: Bool, _ prefixes: [String]) throws {
        let parameters = namedParameters()
        func covers(_ prefix: String, _ path: String) -> Bool {
            prefix.isEmpty || path == prefix || path.hasPrefix(prefix + ".")
        }
        let unknown = prefixes.filter { prefix in !parameters.contains { covers(prefix, $0.0) } }
        guard unknown.isEmpty else {
            throw TorchError("\(trainable ? "unfreeze" : "freeze"): no parameter lies under "
                + unknown.map { "'\($0)'" }.joined(separator: ", "), category: .badConfig)
        }
        for (path, tensor) in parameters where prefixes.contains(where: { covers($0, path) }) {
            tensor.requiresGrad = trainable
            if !trainable { tensor.zeroGrad() }  // a stale gradient would still be clipped and stepped
        }
    }
}

extension Module {
    /// Runs `body` (a forward through this module) as a frozen part runs: eval mode, so batch norm
    /// keeps its pretrained statistics, and no graph, since nothing below it trains.
    public func frozenForward<R>(_ body: () throws -> R) rethrows -> R {
        eval()
        return try withoutGrad(body)
    }
}
