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

        /// The N×N matrix of distances between the rows of `x`.
        public func pairwise(_ x: Tensor) throws -> Tensor {
            switch self {
            case .euclidean: return try x.cdist(x)
            case .squaredEuclidean: return try x.cdist(x).square()
            case .cosine:
                let unit = try x.normalized(dim: 1, eps: 1e-8)
                return try 1 - unit.matmul(unit.transposed())
            }
        }
    }

    /// Batch-hard triplet loss (Hermans et al. 2017) on a P×K batch: for every anchor, its farthest
    /// same-label sample and its nearest other-label sample form the triplet.
    public static func batchHardTriplet(_ embeddings: Tensor, labels: Tensor, margin: Double = 0.2,
                                        distance: Distance = .euclidean) throws -> Tensor {
        let distances = try distance.pairwise(embeddings)
        let same = try labels.unsqueezed(1).eq(labels.unsqueezed(0))
        let hardestPositive = try distances.maskedFill(same.logicalNot(), -Double.infinity).max([1])
        let hardestNegative = try distances.maskedFill(same, Double.infinity).min([1])
        return try (hardestPositive - hardestNegative + margin).clamp(min: 0).mean()
    }

    /// Batch-all triplet loss: every valid (anchor, positive, negative) of the batch, averaged over
    /// the triplets that still violate the margin. Gentler than batch-hard at the start of training.
    public static func batchAllTriplet(_ embeddings: Tensor, labels: Tensor, margin: Double = 0.2,
                                       distance: Distance = .euclidean) throws -> Tensor {
        let d = try distance.pairwise(embeddings)
        let n = labels.shape[0]
        let same = try labels.unsqueezed(1).eq(labels.unsqueezed(0))
        let index = try Tensor.arange(0, Double(n)).to(labels.device)
        let positive = try same.logicalAnd(index.unsqueezed(1).ne(index.unsqueezed(0)))
        // valid[a, p, n] = positive(a, p) ∧ ¬same(a, n)
        let valid = try positive.unsqueezed(2).logicalAnd(same.logicalNot().unsqueezed(1))
        let losses = try (d.unsqueezed(2) - d.unsqueezed(1) + margin).clamp(min: 0) * valid.to(dtype: d.dtype)
        let active = try losses.gt(1e-16).sum().clamp(min: 1)
        return try losses.sum() / active
    }

    /// max(d(a, p) − d(a, n) + margin, 0): pulls the positive closer than the negative by `margin`.
    public static func tripletMargin(anchor: Tensor, positive: Tensor, negative: Tensor, margin: Double = 0.2,
                                     distance: Distance = .euclidean, reduction: Reduction = .mean) throws -> Tensor {
        try tripletMargin(positiveDistance: distance(anchor, positive), negativeDistance: distance(anchor, negative),
                          margin: margin, reduction: reduction)
    }

    /// The same loss on distances computed elsewhere (e.g. the style embedder's scene–product distances).
    public static func tripletMargin(positiveDistance: Tensor, negativeDistance: Tensor, margin: Double = 0.2,
                                     reduction: Reduction = .mean) throws -> Tensor {
        let losses = try (positiveDistance - negativeDistance + margin).clamp(min: 0)
        switch reduction {
        case .none: return losses
        case .mean: return try losses.mean()
        case .sum: return try losses.sum()
        }
    }
}
