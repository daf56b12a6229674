import LookKitCore

/// A slot holding one named tensor of a module: a trainable parameter or a buffer (running statistics).
/// Slots are objects so that loading and device moves can replace the tensor the module sees.
public class TensorSlot {
    public enum Kind { case parameter, buffer }
    public let kind: Kind
    /// The state-dict name when it differs from the Swift property name.
    public let key: String?
    public internal(set) var tensor: Tensor?

    init(_ tensor: Tensor?, kind: Kind, key: String?) {
        self.kind = kind
        self.key = key
        set(tensor)
    }

    /// Replaces the tensor. A parameter keeps whether it is trainable (a frozen one stays frozen across
    /// `move(to:)`); a new one is trainable.
    public func set(_ tensor: Tensor?) {
        if kind == .parameter { tensor?.requiresGrad = self.tensor?.requiresGrad ?? true }
        self.tensor = tensor
    }
}

/// A trainable tensor of a module; its gradient is tracked.
@propertyWrapper
public final class Parameter: TensorSlot {
    public var wrappedValue: Tensor { tensor! }
    public init(wrappedValue: Tensor, key: String? = nil) { super.init(wrappedValue, kind: .parameter, key: key) }
}

/// A parameter that may be absent, like a convolution's bias.
@propertyWrapper
public final class OptionalParameter: TensorSlot {
    public var wrappedValue: Tensor? { tensor }
    public init(wrappedValue: Tensor? = nil, key: String? = nil) { super.init(wrappedValue, kind: .parameter, key: key) }
}

/// State saved with the module but not trained (running mean/var, counters).
@propertyWrapper
public final class Buffer: TensorSlot {
    public var wrappedValue: Tensor? { tensor }
    public init(wrappedValue: Tensor? = nil, key: String? = nil) { super.init(wrappedValue, kind: .buffer, key: key) }
}

/// The base of every layer and model. Parameters, buffers and child modules are found by reflection
/// over stored properties, so their dotted names are the property names — chosen to equal the names
/// PyTorch's `state_dict()` uses for the same architecture (e.g. `layer1.0.bn1.running_mean`).
/// Arrays of modules are named by index, as `nn.Sequential` / `nn.ModuleList` are.
open class Module {
    public private(set) var training = true

    public init() {}

    /// Direct child modules in declaration order. Override to name children differently.
    open func children() -> [(String, Module)] {
        reflect().children
    }

    /// This module's own parameters and buffers (not its children's), in declaration order.
    public func ownSlots() -> [(String, TensorSlot)] {
        reflect().slots
    }

    private func reflect() -> (slots: [(String, TensorSlot)], children: [(String, Module)]) {
        var mirrors: [Mirror] = []
        var mirror: Mirror? = Mirror(reflecting: self)
        while let m = mirror { mirrors.insert(m, at: 0); mirror = m.superclassMirror }
        var slots: [(String, TensorSlot)] = [], children: [(String, Module)] = []
        for m in mirrors {
            for case let (label?, value) in m.children {
                if let slot = value as? TensorSlot {
                    // Property wrappers store as `_name`.
                    slots.append((slot.key ?? String(label.dropFirst()), slot))
                } else if let module = value as? Module {
                    children.append((label, module))
                } else if let modules = value as? [Module] {
                    children += modules.enumerated().map { ("\(label).\($0.offset)", $0.element) }
                }
            }
        }
        return (slots, children)
    }

    /// Every (dotted name, slot) below this module, PyTorch's state_dict order: own slots, then children.
    public func namedSlots(prefix: String = "") -> [(String, TensorSlot)] {
        var out = ownSlots().map { (prefix + $0.0, $0.1) }
        for (name, child) in children() { out += child.namedSlots(prefix: prefix + name + ".") }
        return out
    }

    public func namedParameters() -> [(String, Tensor)] {
        namedSlots().compactMap { name, slot in slot.kind == .parameter ? slot.tensor.map { (name, $0) } : nil }
    }

    public func parameters() -> [Tensor] { namedParameters().map(\.1) }

    /// The parameters not frozen: what an optimizer should update.
    public func namedTrainableParameters() -> [(String, Tensor)] { namedParameters().filter { $0.1.requiresGrad } }

    public func trainableParameters() -> [Tensor] { namedTrainableParameters().map(\.1) }

    public func namedBuffers() -> [(String, Tensor)] {
        namedSlots().compactMap { name, slot in slot.kind == .buffer ? slot.tensor.map { (name, $0) } : nil }
    }

    /// Parameters and buffers by dotted name, as `model.state_dict()`.
    public func stateDict() -> [(String, Tensor)] {
        namedSlots().compactMap { name, slot in slot.tensor.map { (name, $0) } }
    }

    /// Every module in the tree, this one first (depth-first).
    public func modules() -> [Module] { namedModules().map(\.1) }

    /// Every module in the tree by dotted path (this one is ""), depth-first.
    public func namedModules() -> [(String, Module)] {
        [("", self)] + children().flatMap { name, child in child.namedModules().map { (name + ($0.0.isEmpty ? "" : "." + $0.0), $0.1) } }
    }

    /// Training mode: batch norm uses batch statistics, dropout drops.
    public func train(_ on: Bool = true) { for m in modules() { m.training = on } }
    public func eval() { train(false) }

    /// Moves every parameter and buffer to `device` (call before building the optimizer).
    public func move(to device: Device) throws {
        for (_, slot) in namedSlots() {
            guard let t = slot.tensor, t.device != device else { continue }
            slot.set(try withoutGrad { try t.to(device) })
        }
    }

    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }

    /// Copies `state` into this module's tensors. Strict loading requires exactly the same names and
    /// shapes, and reports every missing, unexpected and wrong-shape key in one error.
    public func load(stateDict state: [(String, Tensor)], strict: Bool = true) throws {
        let own = Dictionary(namedSlots().compactMap { n, s in s.tensor.map { (n, $0) } }, uniquingKeysWith: { a, _ in a })
        let given = Dictionary(state, uniquingKeysWith: { _, b in b })
        var mismatch = StateDictMismatch()
        mismatch.missing = own.keys.filter { given[$0] == nil }.sorted()
        mismatch.unexpected = given.keys.filter { own[$0] == nil }.sorted()
        for (name, target) in own {
            if let source = given[name], source.shape != target.shape {
                mismatch.wrongShape.append((name, expected: target.shape, found: source.shape))
            }
        }
        mismatch.wrongShape.sort { $0.name < $1.name }
        if !mismatch.wrongShape.isEmpty || (strict && !mismatch.isEmpty) { throw mismatch }
        for (name, target) in own {
            if let source = given[name] { try target.copy(from: source) }
        }
    }
}

/// Why a state dict did not fit a module: a checkpoint for another network is bad input.
public struct StateDictMismatch: LookKitError {
    public var missing: [String] = []
    public var unexpected: [String] = []
    public var wrongShape: [(name: String, expected: [Int], found: [Int])] = []
    public var file: String?

    var isEmpty: Bool { missing.isEmpty && unexpected.isEmpty && wrongShape.isEmpty }
    public var category: ErrorCategory { .badInput }

    public var description: String {
        var lines = ["state dict does not match the model" + (file.map { " (\($0))" } ?? "") + ":"]
        if !missing.isEmpty { lines.append("  missing keys: " + missing.joined(separator: ", ")) }
        if !unexpected.isEmpty { lines.append("  unexpected keys: " + unexpected.joined(separator: ", ")) }
        for w in wrongShape { lines.append("  wrong shape for \(w.name): model has \(w.expected), file has \(w.found)") }
        return lines.joined(separator: "\n")
    }
}

/// A module mapping one tensor to one tensor, the kind `Sequential` chains.
public protocol UnaryLayer: Module {
    func callAsFunction(_ x: Tensor) throws -> Tensor
}
