/// `--simplify-bn`: every BatchNormalization that directly follows a Conv (and is that Conv's only
/// reader) is folded into the Conv's weights, as yolov5's `fuse()` does before export:
/// W' = W·γ/√(σ²+ε) per output channel, b' = (b − μ)·γ/√(σ²+ε) + β. One node fewer per block,
/// and the same numbers up to float rounding.
extension ONNXGraph {
    public mutating func foldBatchNorms() throws {
        var readers: [String: Int] = [:]
        for node in nodes { for input in node.inputs { readers[input, default: 0] += 1 } }
        let producer = Dictionary(nodes.enumerated().map { ($0.element.outputs[0], $0.offset) }, uniquingKeysWith: { a, _ in a })
        var folded = Set<Int>(), replaced: [Int: Node] = [:]
        for (i, norm) in nodes.enumerated() where norm.op == "BatchNormalization" {
            guard let c = producer[norm.inputs[0]], nodes[c].op == "Conv", readers[norm.inputs[0]] == 1,
                  let epsilon = norm.attributes.compactMap({ if case .float("epsilon", let e) = $0 { e } else { nil } }).first
            else { continue }
            let conv = nodes[c]
            let (gamma, beta, mean, variance) = (try value(norm.inputs[1]), try value(norm.inputs[2]), try value(norm.inputs[3]), try value(norm.inputs[4]))
            let weight = try value(conv.inputs[1])
            let scale = try gamma / (variance + Double(epsilon)).sqrt()
            let bias = try conv.inputs.count > 2 ? value(conv.inputs[2]) : Tensor.zeros([weight.shape[0]])
            let foldedWeight = try weight * scale.reshape([weight.shape[0], 1, 1, 1])
            let foldedBias = try (bias - mean) * scale + beta
            let inputs = [conv.inputs[0], try constant(foldedWeight, name: "\(conv.name)/folded_weight"),
                          try constant(foldedBias, name: "\(conv.name)/folded_bias")]
            // The Conv now writes the BatchNormalization's output, so its readers are unchanged.
            replaced[c] = Node(op: "Conv", name: conv.name, inputs: inputs, outputs: norm.outputs, attributes: conv.attributes)
            folded.insert(i)
        }
        replaceNodes(nodes.indices.filter { !folded.contains($0) }.map { replaced[$0] ?? nodes[$0] })
    }

    private func value(_ name: String) throws -> Tensor {
        guard let found = initializers.first(where: { $0.name == name }) else {
            throw TorchError("ONNX export: \(name) is not a constant, so its batch norm cannot be folded", category: .badInput)
        }
        return found.tensor
    }
}
