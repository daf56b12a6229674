/// Updates parameters from their gradients. Written over in-place tensor ops (outside autograd)
/// with PyTorch's update rules, so a step matches torch.optim's on the same inputs.
public protocol Optimizer: AnyObject {
    var parameters: [Tensor] { get }
    /// Current learning rate; schedules set it before each step.
    var learningRate: Double { get set }
    func step() throws
    /// Per-parameter state (momentum buffers, moments, step counts) by name, for checkpoints.
    func stateDict() throws -> [(String, Tensor)]
    func load(stateDict: [(String, Tensor)]) throws
}

extension Optimizer {
    /// Clears every parameter's gradient (set_to_none, PyTorch's default).
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }
}

/// Lazily created per-parameter state tensors, saved as `state.<param index>.<name>`.
final class OptimizerState {
    private(set) var tensors: [Int: [String: Tensor]] = [:]

    func get(_ index: Int, _ name: String) -> Tensor? { tensors[index]?[name] }
    func set(_ index: Int, _ name: String, _ t: Tensor) { tensors[index, default: [:]][name] = t }

    func stateDict() -> [(String, Tensor)] {
        tensors.keys.sorted().flatMap { i in tensors[i]!.keys.sorted().map { ("state.\(i).\($0)", tensors[i]![$0]!) } }
    }

    func load(_ state: [(String, Tensor)], parameterCount: Int) throws {
        var loaded: [Int: [String: Tensor]] = [:]
        for (key, tensor) in state {
            let parts = key.split(separator: ".", maxSplits: 2)
            guard parts.count == 3, parts[0] == "state", let i = Int(parts[1]), i < parameterCount else {
                throw TorchError("optimizer state: unexpected key '\(key)'")
            }
            loaded[i, default: [:]][String(parts[2])] = try tensor.clone()
        }
        tensors = loaded
    }
}
