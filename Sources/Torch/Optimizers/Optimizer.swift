/// Updates parameters from their gradients. Parameters come in named groups with their own learning
/// rate and weight decay (torch.optim's `param_groups`); updates are written over in-place tensor ops
/// (outside autograd) with PyTorch's rules, so a step matches torch.optim's on the same inputs.
/// Per-parameter state is keyed by the parameter's path, so a checkpoint can only ever load onto the
/// parameter it was saved for. `SGD` and `Adam` are the concrete optimizers.
public class Optimizer {
    public private(set) var groups: [ParameterGroup]
    /// The rate of groups that set none. Setting it sets every group's, as a schedule does each step;
    /// `setLearningRate(_:group:)` afterwards gives one group another (e.g. YOLOv5's bias warm-up).
    public var learningRate: Double {
        didSet { for i in groups.indices { groups[i].learningRate = nil } }
    }
    /// The decay of groups that set none.
    public let weightDecay: Double
    /// Per-parameter state tensors (momentum buffers, moments) by parameter path, then by name.
    var state: [String: [String: Tensor]] = [:]
    /// Per-parameter update counts (Adam's bias correction), saved as `state.<path>.step`. Swift
    /// integers: reading a tensor back every step cost more than the update itself on small models.
    var steps: [String: Int] = [:]
    /// The state names this optimizer keeps per parameter; loading rejects others.
    let stateNames: Set<String>

    init(_ groups: [ParameterGroup], learningRate: Double, weightDecay: Double, stateNames: Set<String>) throws {
        var names = Set<String>(), paths = Set<String>()
        for group in groups {
            guard names.insert(group.name).inserted else {
                throw TorchError("optimizer: two parameter groups are named '\(group.name)'", category: .badConfig)
            }
            for (path, _) in group.parameters where !paths.insert(path).inserted {
                throw TorchError("optimizer: parameter '\(path)' is in more than one group", category: .badConfig)
            }
        }
        (self.groups, self.learningRate, self.weightDecay, self.stateNames) = (groups, learningRate, weightDecay, stateNames)
    }

    /// Every parameter by path, in group order.
    public var namedParameters: [(String, Tensor)] { groups.flatMap(\.parameters) }
    public var parameters: [Tensor] { namedParameters.map(\.1) }

    public func learningRate(group name: String) throws -> Double {
        try groups[index(of: name)].learningRate ?? learningRate
    }

    public func setLearningRate(_ rate: Double, group name: String) throws {
        groups[try index(of: name)].learningRate = rate
    }

    private func index(of group: String) throws -> Int {
        guard let i = groups.firstIndex(where: { $0.name == group }) else {
            throw TorchError("optimizer has no parameter group '\(group)' (it has \(groups.map(\.name).joined(separator: ", ")))",
                             category: .badConfig)
        }
        return i
    }

    /// Clears every parameter's gradient (set_to_none, PyTorch's default).
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }

    /// One update of every parameter that has a gradient.
    public func step() throws { preconditionFailure("\(Self.self) does not implement step()") }

    /// Calls `body` for each parameter with a gradient, with its group's learning rate and weight decay.
    func forEachGradient(_ body: (_ path: String, _ parameter: Tensor, _ gradient: Tensor,
                                  _ learningRate: Double, _ weightDecay: Double) throws -> Void) rethrows {
        for group in groups {
            let (rate, decay) = (group.learningRate ?? learningRate, group.weightDecay ?? weightDecay)
            for (path, parameter) in group.parameters {
                if let gradient = parameter.grad { try body(path, parameter, gradient, rate, decay) }
            }
        }
    }
}
