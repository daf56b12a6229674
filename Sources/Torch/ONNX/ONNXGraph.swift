import LookKitCore

/// An ONNX graph under construction, independent of the file format: layers append nodes that read
/// and write named values, and their weights become initializers. A module knows the nodes it stands
/// for (`ONNXExportable`), so a model's graph is built from its own module tree; the ONNXExport
/// library writes it as a .onnx file. Value names start with the module path that made them.
public struct ONNXGraph {
    public struct Node {
        public let op: String, name: String
        public let inputs: [String], outputs: [String]
        public let attributes: [ONNXAttribute]
    }
    public private(set) var nodes: [Node] = []
    /// Weights and constants, float32 or int64, on the CPU.
    public private(set) var initializers: [(name: String, tensor: Tensor)] = []
    private var used = Set<String>()
    /// The input's N×C×H×W shape: layers whose padding depends on the size (TensorFlow's "SAME")
    /// follow the spatial size from it.
    public let inputShape: [Int]

    public init(inputShape: [Int]) { self.inputShape = inputShape }

    /// A fresh value name from `base`, suffixed when already taken.
    public mutating func name(_ base: String) -> String {
        let base = base.isEmpty ? "value" : base
        var candidate = base, n = 1
        while used.contains(candidate) { n += 1; candidate = "\(base)_\(n)" }
        used.insert(candidate)
        return candidate
    }

    /// Adds `tensor` (any device) as an initializer; returns its name.
    public mutating func constant(_ tensor: Tensor, name base: String) throws -> String {
        let stored = try tensor.dtype == .int64 ? tensor.to(.cpu).contiguous() : tensor.to(.cpu, dtype: .float32).contiguous()
        let name = name(base)
        initializers.append((name, try stored.detached()))
        return name
    }

    public mutating func constant(_ values: [Float], name base: String) throws -> String {
        try constant(Tensor(values), name: base)
    }

    public mutating func constant(int64 values: [Int64], name base: String) throws -> String {
        try constant(Tensor(values), name: base)
    }

    /// Replaces the node list (graph rewrites such as batch-norm folding); initializers no node
    /// reads any more are dropped.
    public mutating func replaceNodes(_ rewritten: [Node]) {
        nodes = rewritten
        let read = Set(nodes.flatMap(\.inputs))
        initializers.removeAll { !read.contains($0.name) }
    }

    /// Appends `op` reading `inputs`; returns its output's name.
    @discardableResult
    public mutating func op(_ op: String, _ inputs: [String], name base: String, attributes: [ONNXAttribute] = []) -> String {
        let output = name("\(base)/\(op)")
        nodes.append(Node(op: op, name: output, inputs: inputs, outputs: [output], attributes: attributes))
        return output
    }
}

/// A node attribute, as ONNX operators take them.
public enum ONNXAttribute: Equatable {
    case int(String, Int)
    case ints(String, [Int])
    case float(String, Float)
    case string(String, String)
}

/// A module that can write the ONNX nodes it stands for (inference mode: batch norm from running
/// statistics, dropout as identity).
public protocol ONNXExportable: Module {
    /// Appends this module's nodes reading `input`; returns the name of its output. `path` is the
    /// module's dotted path in the model (value names start with it; errors name it).
    func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String
}

/// The error for a module without an ONNX form: names its path, so no graph is silently wrong.
public func onnxExport(_ module: Module, _ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
    guard let exportable = module as? any ONNXExportable else {
        throw TorchError("ONNX export: \(path.isEmpty ? "the model" : path) is a \(type(of: module)), which has no ONNX form", category: .badInput)
    }
    return try exportable.exportONNX(input, path: path, to: &graph)
}

/// `parent.child` module paths.
public func onnxPath(_ parent: String, _ child: String) -> String { parent.isEmpty ? child : "\(parent).\(child)" }
