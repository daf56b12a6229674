import CTorch

// Reductions over all elements (dims empty) or the given dims, and sorting.

extension Tensor {
    func reduce(_ op: lk_reduce_op, _ dims: [Int], keepDim: Bool) throws -> Tensor {
        let d = dims.map(Int64.init)
        return try wrap(lk_reduce(op, handle, d, Int32(d.count), keepDim ? 1 : 0))
    }

    public func sum(_ dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(LK_SUM, dims, keepDim: keepDim) }
    public func mean(_ dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(LK_MEAN, dims, keepDim: keepDim) }
    public func max(_ dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(LK_AMAX, dims, keepDim: keepDim) }
    public func min(_ dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(LK_AMIN, dims, keepDim: keepDim) }
    public func prod(_ dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(LK_PROD, dims, keepDim: keepDim) }
    /// Unbiased (n − 1) variance, as torch.var's default.
    public func variance(_ dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(LK_VAR, dims, keepDim: keepDim) }
    public func std(_ dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(LK_STD, dims, keepDim: keepDim) }
    public func logSumExp(_ dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(LK_LOGSUMEXP, dims, keepDim: keepDim) }
    public func all(_ dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(LK_ALL, dims, keepDim: keepDim) }
    public func any(_ dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(LK_ANY, dims, keepDim: keepDim) }

    public func argmax(_ dim: Int, keepDim: Bool = false) throws -> Tensor { try wrap(lk_argmax(handle, Int64(dim), keepDim ? 1 : 0)) }
    public func argmin(_ dim: Int, keepDim: Bool = false) throws -> Tensor { try wrap(lk_argmin(handle, Int64(dim), keepDim ? 1 : 0)) }

    /// The k largest (or smallest) entries along `dim` and their indices.
    public func topk(_ k: Int, dim: Int = -1, largest: Bool = true, sorted: Bool = true) throws -> (values: Tensor, indices: Tensor) {
        var values: OpaquePointer?, indices: OpaquePointer?
        try check(lk_topk(handle, Int64(k), Int64(dim), largest ? 1 : 0, sorted ? 1 : 0, &values, &indices))
        return (Tensor(handle: values!), Tensor(handle: indices!))
    }

    /// A stable sort along `dim`.
    public func sort(dim: Int = -1, descending: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        var values: OpaquePointer?, indices: OpaquePointer?
        try check(lk_sort(handle, Int64(dim), descending ? 1 : 0, &values, &indices))
        return (Tensor(handle: values!), Tensor(handle: indices!))
    }

    /// The p-norm over `dims` (all elements when empty).
    public func norm(_ p: Double = 2, dims: [Int] = [], keepDim: Bool = false) throws -> Tensor {
        let d = dims.map(Int64.init)
        return try wrap(lk_norm(handle, p, d, Int32(d.count), keepDim ? 1 : 0))
    }

    /// Divides by the p-norm along `dim`, at least `eps` (F.normalize).
    public func normalized(p: Double = 2, dim: Int = 1, eps: Double = 1e-12) throws -> Tensor {
        try self / norm(p, dims: [dim], keepDim: true).clamp(min: eps)
    }

    /// Pairwise p-distances between the rows of self (…×P×M) and other (…×R×M).
    public func cdist(_ other: Tensor, p: Double = 2) throws -> Tensor { try wrap(lk_cdist(handle, other.handle, p)) }
}
