import CTorch

// Broadcasting elementwise arithmetic and comparisons, with Python-number semantics for scalars.

extension Tensor {
    func binary(_ op: lk_binary_op, _ other: Tensor) throws -> Tensor { try wrap(lk_binary(op, handle, other.handle)) }
    func binary(_ op: lk_binary_op, _ scalar: Double, scalarFirst: Bool = false) throws -> Tensor {
        try wrap(lk_binary_scalar(op, handle, scalar, scalarFirst ? 1 : 0))
    }
    func unary(_ op: lk_unary_op) throws -> Tensor { try wrap(lk_unary(op, handle)) }

    public static func + (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(LK_ADD, b) }
    public static func - (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(LK_SUB, b) }
    public static func * (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(LK_MUL, b) }
    public static func / (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(LK_DIV, b) }
    public static func + (a: Tensor, s: Double) throws -> Tensor { try a.binary(LK_ADD, s) }
    public static func - (a: Tensor, s: Double) throws -> Tensor { try a.binary(LK_SUB, s) }
    public static func * (a: Tensor, s: Double) throws -> Tensor { try a.binary(LK_MUL, s) }
    public static func / (a: Tensor, s: Double) throws -> Tensor { try a.binary(LK_DIV, s) }
    public static func + (s: Double, a: Tensor) throws -> Tensor { try a.binary(LK_ADD, s, scalarFirst: true) }
    public static func - (s: Double, a: Tensor) throws -> Tensor { try a.binary(LK_SUB, s, scalarFirst: true) }
    public static func * (s: Double, a: Tensor) throws -> Tensor { try a.binary(LK_MUL, s, scalarFirst: true) }
    public static func / (s: Double, a: Tensor) throws -> Tensor { try a.binary(LK_DIV, s, scalarFirst: true) }
    public static prefix func - (a: Tensor) throws -> Tensor { try a.unary(LK_NEG) }

    /// self + alpha · other in one kernel and one new tensor (torch.add with alpha).
    public func adding(_ other: Tensor, alpha: Double) throws -> Tensor { try wrap(lk_add_alpha(handle, other.handle, alpha)) }

    public func pow(_ exponent: Double) throws -> Tensor { try binary(LK_POW, exponent) }
    public func pow(_ exponent: Tensor) throws -> Tensor { try binary(LK_POW, exponent) }
    public func maximum(_ other: Tensor) throws -> Tensor { try binary(LK_MAXIMUM, other) }
    public func minimum(_ other: Tensor) throws -> Tensor { try binary(LK_MINIMUM, other) }
    public func remainder(_ s: Double) throws -> Tensor { try binary(LK_REMAINDER, s) }

    // Comparisons give bool tensors (named, not operators, so == keeps its Swift meaning).
    public func eq(_ other: Tensor) throws -> Tensor { try binary(LK_EQ, other) }
    public func ne(_ other: Tensor) throws -> Tensor { try binary(LK_NE, other) }
    public func lt(_ other: Tensor) throws -> Tensor { try binary(LK_LT, other) }
    public func le(_ other: Tensor) throws -> Tensor { try binary(LK_LE, other) }
    public func gt(_ other: Tensor) throws -> Tensor { try binary(LK_GT, other) }
    public func ge(_ other: Tensor) throws -> Tensor { try binary(LK_GE, other) }
    public func eq(_ s: Double) throws -> Tensor { try binary(LK_EQ, s) }
    public func ne(_ s: Double) throws -> Tensor { try binary(LK_NE, s) }
    public func lt(_ s: Double) throws -> Tensor { try binary(LK_LT, s) }
    public func le(_ s: Double) throws -> Tensor { try binary(LK_LE, s) }
    public func gt(_ s: Double) throws -> Tensor { try binary(LK_GT, s) }
    public func ge(_ s: Double) throws -> Tensor { try binary(LK_GE, s) }
    public func logicalAnd(_ other: Tensor) throws -> Tensor { try binary(LK_LOGICAL_AND, other) }
    public func logicalOr(_ other: Tensor) throws -> Tensor { try binary(LK_LOGICAL_OR, other) }
    public func logicalNot() throws -> Tensor { try unary(LK_LOGICAL_NOT) }
    public func isNaN() throws -> Tensor { try unary(LK_ISNAN) }

    public func abs() throws -> Tensor { try unary(LK_ABS) }
    public func exp() throws -> Tensor { try unary(LK_EXP) }
    public func log() throws -> Tensor { try unary(LK_LOG) }
    public func log1p() throws -> Tensor { try unary(LK_LOG1P) }
    public func sqrt() throws -> Tensor { try unary(LK_SQRT) }
    public func rsqrt() throws -> Tensor { try unary(LK_RSQRT) }
    public func reciprocal() throws -> Tensor { try unary(LK_RECIPROCAL) }
    public func sign() throws -> Tensor { try unary(LK_SIGN) }
    public func floor() throws -> Tensor { try unary(LK_FLOOR) }
    public func ceil() throws -> Tensor { try unary(LK_CEIL) }
    public func round() throws -> Tensor { try unary(LK_ROUND) }
    public func sin() throws -> Tensor { try unary(LK_SIN) }
    public func atan() throws -> Tensor { try unary(LK_ATAN) }
    public func cos() throws -> Tensor { try unary(LK_COS) }
    public func erf() throws -> Tensor { try unary(LK_ERF) }
    public func square() throws -> Tensor { try self * self }

    public func clamp(min: Double? = nil, max: Double? = nil) throws -> Tensor {
        try wrap(lk_clamp(handle, min ?? 0, max ?? 0, min == nil ? 0 : 1, max == nil ? 0 : 1))
    }

    /// `condition ? self : other`, elementwise with broadcasting.
    public func `where`(_ condition: Tensor, else other: Tensor) throws -> Tensor {
        try wrap(lk_where(condition.handle, handle, other.handle))
    }

    public func maskedFill(_ mask: Tensor, _ value: Double) throws -> Tensor {
        try wrap(lk_masked_fill(handle, mask.handle, value))
    }

    public func matmul(_ other: Tensor) throws -> Tensor { try wrap(lk_matmul(handle, other.handle)) }
}
