import CTorch

// Reverse-mode differentiation through libtorch's autograd.

extension Tensor {
    public var requiresGrad: Bool {
        get { lk_requires_grad(handle) != 0 }
        set { lk_set_requires_grad(handle, newValue ? 1 : 0) }
    }

    /// Marks a leaf for gradient tracking and returns it, for chaining at creation.
    @discardableResult
    public func requiringGrad(_ flag: Bool = true) -> Tensor {
        requiresGrad = flag
        return self
    }

    /// The accumulated gradient, nil until a backward pass reached this tensor.
    public var grad: Tensor? {
        var out: OpaquePointer?
        guard lk_grad(handle, &out) == 0, let out else { return nil }
        return Tensor(handle: out)
    }

    /// Clears the gradient (PyTorch's zero_grad(set_to_none=True)).
    public func zeroGrad() { lk_set_grad(handle, nil) }

    public func setGrad(_ gradient: Tensor?) throws { try check(lk_set_grad(handle, gradient?.handle)) }

    /// Back-propagates from this tensor; a non-scalar needs `gradient` of the same shape.
    public func backward(_ gradient: Tensor? = nil, retainGraph: Bool = false) throws {
        try check(lk_backward(handle, gradient?.handle, retainGraph ? 1 : 0))
    }

    /// The same data cut from the graph.
    public func detached() throws -> Tensor { try wrap(lk_detach(handle)) }
}

// In-place updates used by optimizers and state loading; they run outside autograd.
extension Tensor {
    public func copy(from source: Tensor) throws { try check(lk_copy_(handle, source.handle)) }
    public func fill(_ value: Double) throws { try check(lk_fill_(handle, value)) }
    public func scale(by s: Double) throws { try check(lk_mul_scalar_(handle, s)) }
    /// self /= s (a division, not a multiplication by 1/s, so results match PyTorch's `div_` bit for bit)
    public func divide(by s: Double) throws { try check(lk_scalar_op_(LK_DIV, handle, s)) }
    /// self += s (integral for integer tensors)
    public func add(scalar s: Double) throws { try check(lk_scalar_op_(LK_ADD, handle, s)) }
    /// self += alpha · other
    public func add(_ other: Tensor, alpha: Double = 1) throws { try check(lk_add_scaled_(handle, other.handle, alpha)) }
    /// self += value · a · b
    public func addProduct(_ a: Tensor, _ b: Tensor, value: Double = 1) throws { try check(lk_addcmul_(handle, a.handle, b.handle, value)) }
    /// self += value · a / b
    public func addQuotient(_ a: Tensor, _ b: Tensor, value: Double = 1) throws { try check(lk_addcdiv_(handle, a.handle, b.handle, value)) }
    /// self += weight · (end − self)
    public func lerp(to end: Tensor, weight: Double) throws { try check(lk_lerp_(handle, end.handle, weight)) }
}

/// Runs `body` with gradient tracking off on this thread (torch.no_grad()).
public func withoutGrad<R>(_ body: () throws -> R) rethrows -> R {
    let previous = lk_set_grad_enabled(0)
    defer { lk_set_grad_enabled(previous) }
    return try body()
}

public var isGradEnabled: Bool { lk_is_grad_enabled() != 0 }
