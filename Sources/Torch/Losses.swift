import CTorch

/// Loss functions with PyTorch's definitions (torch.nn.functional), so numbers match a Python run.
public enum Loss {
    /// Cross-entropy over logits N×C and class indices N (int64), with optional per-class weights and
    /// label smoothing ε (targets become (1−ε)·onehot + ε/C).
    public static func crossEntropy(_ logits: Tensor, _ targets: Tensor, weight: Tensor? = nil, labelSmoothing: Double = 0,
                                    ignoreIndex: Int = -100, reduction: Reduction = .mean) throws -> Tensor {
        try wrap(lk_cross_entropy(logits.handle, targets.handle, weight?.handle, reduction.c, Int64(ignoreIndex), labelSmoothing))
    }

    /// Binary cross-entropy on logits (numerically stable sigmoid + BCE).
    public static func bceWithLogits(_ logits: Tensor, _ targets: Tensor, weight: Tensor? = nil, positiveWeight: Tensor? = nil,
                                     reduction: Reduction = .mean) throws -> Tensor {
        try wrap(lk_bce_with_logits(logits.handle, targets.handle, weight?.handle, positiveWeight?.handle, reduction.c))
    }

    public static func mse(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) throws -> Tensor {
        try wrap(lk_mse_loss(input.handle, target.handle, reduction.c))
    }

    /// How far apart two embeddings are, row by row.
    public enum Distance: String, Sendable, CaseIterable {
        /// ‖a − b‖₂ with PyTorch's eps = 1e-6 added to the difference (F.triplet_margin_loss).
        case euclidean
        /// ‖a − b‖₂², the FaceNet form.
        case squaredEuclidean
        /// 1 − cos(a, b), for L2-normalised embeddings.
        case cosine

        public func callAsFunction(_ a: Tensor, _ b: Tensor) throws -> Tensor {
            switch self {
            case .euclidean: return try (a - b + 1e-6).norm(2, dims: [-1])
            case .squaredEuclidean: return try (a - b).square().sum([-1])
            case .cosine:
                // F.cosine_similarity clamps each norm at eps = 1e-8.
                let dot = try (a * b).sum([-1])
                let norms = try a.norm(2, dims: [-1]).clamp(min: 1e-8) * b.norm(2, dims: [-1]).clamp(min: 1e-8)
                return try 1 - dot / norms
            }
        }
    }

    /// max(d(a, p) − d(a, n) + margin, 0): pulls the positive closer than the negative by `margin`.
    public static func tripletMargin(anchor: Tensor, positive: Tensor, negative: Tensor, margin: Double = 0.2,
                                     distance: Distance = .euclidean, reduction: Reduction = .mean) throws -> Tensor {
        let losses = try (distance(anchor, positive) - distance(anchor, negative) + margin).clamp(min: 0)
        switch reduction {
        case .none: return losses
        case .mean: return try losses.mean()
        case .sum: return try losses.sum()
        }
    }
}
