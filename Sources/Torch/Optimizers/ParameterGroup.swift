/// Parameters of one optimizer that share hyperparameters (an entry of torch.optim's `param_groups`):
/// each group may set its own learning rate and weight decay; what it leaves nil comes from the optimizer.
public struct ParameterGroup {
    /// Names the group for `Optimizer.setLearningRate(_:group:)` and in checkpoints.
    public let name: String
    /// (dotted path, tensor) pairs as `Module.namedTrainableParameters()` gives them; the optimizer
    /// keys its state by the path.
    public let parameters: [(String, Tensor)]
    public var learningRate: Double?
    public var weightDecay: Double?

    public init(_ name: String, _ parameters: [(String, Tensor)], learningRate: Double? = nil, weightDecay: Double? = nil) {
        (self.name, self.parameters, self.learningRate, self.weightDecay) = (name, parameters, learningRate, weightDecay)
    }

    /// The three groups YOLOv5 trains (ultralytics/yolov5 `smart_optimizer`) over `module`'s trainable
    /// parameters: "weights" of convolutions and linear layers with `weightDecay`, and without decay
    /// "norm_weights" (normalization layers' scales) and "biases" (which YOLOv5 also warms up with
    /// their own learning rate).
    public static func yoloStyle(_ module: Module, weightDecay: Double) -> [ParameterGroup] {
        var weights: [(String, Tensor)] = [], normWeights: [(String, Tensor)] = [], biases: [(String, Tensor)] = []
        for (prefix, layer) in module.namedModules() {
            for (name, slot) in layer.ownSlots() where slot.kind == .parameter {
                guard let tensor = slot.tensor, tensor.requiresGrad else { continue }
                let entry = (prefix.isEmpty ? name : prefix + "." + name, tensor)
                if name == "bias" {
                    biases.append(entry)
                } else if name == "weight", layer is NormalizationLayer {
                    normWeights.append(entry)
                } else {
                    weights.append(entry)
                }
            }
        }
        return [ParameterGroup("weights", weights, weightDecay: weightDecay),
                ParameterGroup("norm_weights", normWeights, weightDecay: 0),
                ParameterGroup("biases", biases, weightDecay: 0)]
    }
}
