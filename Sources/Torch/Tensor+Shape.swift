import CTorch

// Views, reshapes, joins and indexing.

extension Tensor {
    /// Shapes with one -1 entry are inferred, as in PyTorch.
    public func reshape(_ shape: [Int]) throws -> Tensor {
        let dims = shape.map(Int64.init)
        return try wrap(lk_reshape(handle, dims, Int32(dims.count)))
    }

    /// Keeps the first `startDim` dimensions and flattens the rest into one.
    public func flatten(from startDim: Int = 0) throws -> Tensor {
        try reshape(Array(shape.prefix(startDim)) + [-1])
    }

    public func permute(_ dims: [Int]) throws -> Tensor {
        let d = dims.map(Int64.init)
        return try wrap(lk_permute(handle, d, Int32(d.count)))
    }

    public func transposed(_ d0: Int = 0, _ d1: Int = 1) throws -> Tensor {
        try wrap(lk_transpose(handle, Int64(d0), Int64(d1)))
    }

    public func expand(_ shape: [Int]) throws -> Tensor {
        let d = shape.map(Int64.init)
        return try wrap(lk_expand(handle, d, Int32(d.count)))
    }

    public func repeated(_ repeats: [Int]) throws -> Tensor {
        let d = repeats.map(Int64.init)
        return try wrap(lk_repeat(handle, d, Int32(d.count)))
    }

    public func flipped(_ dims: [Int]) throws -> Tensor {
        let d = dims.map(Int64.init)
        return try wrap(lk_flip(handle, d, Int32(d.count)))
    }

    public func squeezed(_ dim: Int) throws -> Tensor { try wrap(lk_squeeze(handle, Int64(dim))) }
    public func unsqueezed(_ dim: Int) throws -> Tensor { try wrap(lk_unsqueeze(handle, Int64(dim))) }
    public func contiguous() throws -> Tensor { try wrap(lk_contiguous(handle)) }
    /// The same N×C×H×W values laid out channels-last (NHWC strides): convolutions that follow keep
    /// that layout and run on oneDNN's faster kernels on CPU (depthwise ones several times faster).
    public func channelsLast() throws -> Tensor {
        guard shape.count == 4 else { throw TorchError("channelsLast needs an N×C×H×W tensor, got shape \(shape)", category: .invalidValue) }
        return try wrap(lk_channels_last(handle))
    }
    public func clone() throws -> Tensor { try wrap(lk_clone(handle)) }

    /// Elements start..<end (clamped like Python slices) with a step along `dim`.
    public func slice(_ dim: Int, _ start: Int = 0, _ end: Int = Int.max, step: Int = 1) throws -> Tensor {
        try wrap(lk_slice(handle, Int64(dim), Int64(start), Int64(end), Int64(step)))
    }

    public func indexSelect(_ dim: Int, _ index: Tensor) throws -> Tensor {
        try wrap(lk_index_select(handle, Int64(dim), index.handle))
    }

    public func gather(_ dim: Int, _ index: Tensor) throws -> Tensor {
        try wrap(lk_gather(handle, Int64(dim), index.handle))
    }

    public func scatter(_ dim: Int, _ index: Tensor, _ source: Tensor) throws -> Tensor {
        try wrap(lk_scatter(handle, Int64(dim), index.handle, source.handle))
    }

    public func maskedSelect(_ mask: Tensor) throws -> Tensor { try wrap(lk_masked_select(handle, mask.handle)) }
    public func nonzero() throws -> Tensor { try wrap(lk_nonzero(handle)) }

    public static func cat(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        try wrap(withExtendedLifetime(tensors) { lk_cat(tensors.map(\.handle), Int32(tensors.count), Int64(dim)) })
    }

    public static func stack(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        try wrap(withExtendedLifetime(tensors) { lk_stack(tensors.map(\.handle), Int32(tensors.count), Int64(dim)) })
    }

    /// Pieces of the given sizes along `dim`.
    public func split(_ sizes: [Int], dim: Int = 0) throws -> [Tensor] {
        var out = [OpaquePointer?](repeating: nil, count: sizes.count)
        try check(lk_split(handle, sizes.map(Int64.init), Int32(sizes.count), Int64(dim), &out))
        return out.map { Tensor(handle: $0!) }
    }

    /// `chunks` nearly equal pieces, the last possibly smaller (PyTorch's chunk).
    public func chunk(_ chunks: Int, dim: Int = 0) throws -> [Tensor] {
        let length = shape[dim < 0 ? dim + rank : dim]
        let size = (length + chunks - 1) / Swift.max(chunks, 1)
        let sizes = stride(from: 0, to: length, by: Swift.max(size, 1)).map { Swift.min(size, length - $0) }
        return try split(sizes, dim: dim)
    }
}
