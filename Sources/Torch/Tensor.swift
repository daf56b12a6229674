import CTorch
import LookKitCore

/// An n-dimensional array held by libtorch. The Swift object owns its handle and frees it on deinit;
/// every operation returns a new Tensor and throws `TorchError` with libtorch's message on failure.
public final class Tensor {
    let handle: OpaquePointer

    init(handle: OpaquePointer) { self.handle = handle }
    deinit { lk_free(handle) }

    // MARK: creation

    /// Copies `values` into a new CPU tensor of the given shape (a flat vector when shape is nil).
    public convenience init(_ values: [Float], shape: [Int]? = nil) throws {
        try self.init(copying: values, shape: shape ?? [values.count], dtype: .float32)
    }

    public convenience init(_ values: [Double], shape: [Int]? = nil) throws {
        try self.init(copying: values, shape: shape ?? [values.count], dtype: .float64)
    }

    public convenience init(_ values: [Int64], shape: [Int]? = nil) throws {
        try self.init(copying: values, shape: shape ?? [values.count], dtype: .int64)
    }

    public convenience init(_ values: [Int], shape: [Int]? = nil) throws {
        try self.init(values.map(Int64.init), shape: shape)
    }

    public convenience init(_ values: [Bool], shape: [Int]? = nil) throws {
        try self.init(copying: values.map { $0 ? UInt8(1) : 0 }, shape: shape ?? [values.count], dtype: .bool)
    }

    /// Copies raw little-endian elements of `dtype` (e.g. a safetensors payload).
    public convenience init(bytes: UnsafeRawBufferPointer, shape: [Int], dtype: DType) throws {
        self.init(handle: try Tensor.copy(bytes, shape: shape, dtype: dtype))
    }

    private convenience init<T>(copying values: [T], shape: [Int], dtype: DType) throws {
        guard Tensor.elementCount(shape) == values.count else {
            throw TorchError("\(values.count) values cannot fill shape \(shape)")
        }
        // The copy happens inside withUnsafeBytes: the pointer is only valid there (an escaped one let
        // optimised builds free the array first and copy garbage).
        self.init(handle: try values.withUnsafeBytes { try Tensor.copy($0, shape: shape, dtype: dtype) })
    }

    private static func copy(_ bytes: UnsafeRawBufferPointer, shape: [Int], dtype: DType) throws -> OpaquePointer {
        guard let size = byteCount(shape: shape, dtype: dtype), bytes.count == size else {
            throw TorchError("\(bytes.count) bytes cannot fill a \(dtype) tensor of shape \(shape)")
        }
        let dims = shape.map(Int64.init)
        var empty: UInt8 = 0
        let handle = withUnsafeMutablePointer(to: &empty) { fallback in
            lk_from_data(bytes.baseAddress ?? UnsafeRawPointer(fallback), dims, Int32(dims.count), dtype.c)
        }
        guard let handle else { throw TorchError.last() }
        return handle
    }

    /// Elements in a tensor of `shape`; nil when a dimension is negative or the product overflows
    /// (shapes read from files can be anything).
    public static func elementCount(_ shape: [Int]) -> Int? { checkedProduct(shape) }

    /// Bytes of a tensor of `shape` and `dtype`; nil as for `elementCount`.
    public static func byteCount(shape: [Int], dtype: DType) -> Int? { checkedProduct(shape + [dtype.byteSize]) }

    /// A 0-dimensional tensor.
    public static func scalar(_ value: Double, dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        try full([], value, dtype: dtype, device: device)
    }

    public static func full(_ shape: [Int], _ value: Double, dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        let dims = shape.map(Int64.init)
        return try wrap(lk_full(dims, Int32(dims.count), value, dtype.c, device.type, device.index))
    }

    public static func zeros(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        try full(shape, 0, dtype: dtype, device: device)
    }

    public static func ones(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        try full(shape, 1, dtype: dtype, device: device)
    }

    public static func arange(_ start: Double, _ end: Double, step: Double = 1, dtype: DType = .int64) throws -> Tensor {
        try wrap(lk_arange(start, end, step, dtype.c))
    }

    /// Uniform on [0, 1).
    public static func rand(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        let dims = shape.map(Int64.init)
        return try wrap(lk_rand(dims, Int32(dims.count), dtype.c, device.type, device.index))
    }

    /// Standard normal.
    public static func randn(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        let dims = shape.map(Int64.init)
        return try wrap(lk_randn(dims, Int32(dims.count), dtype.c, device.type, device.index))
    }

    /// Integers uniform on [low, high).
    public static func randint(_ low: Int, _ high: Int, _ shape: [Int], device: Device = .cpu) throws -> Tensor {
        let dims = shape.map(Int64.init)
        return try wrap(lk_randint(Int64(low), Int64(high), dims, Int32(dims.count), device.type, device.index))
    }

    public static func randperm(_ n: Int, device: Device = .cpu) throws -> Tensor {
        try wrap(lk_randperm(Int64(n), device.type, device.index))
    }

    // MARK: inspection

    public var rank: Int { Int(lk_ndim(handle)) }

    public var shape: [Int] {
        var dims = [Int64](repeating: 0, count: rank)
        lk_shape(handle, &dims)
        return dims.map(Int.init)
    }

    public var count: Int { shape.reduce(1, *) }

    /// Every tensor LookKit hands out has one of `DType`'s types: the readers of foreign tensors
    /// (`Checkpoint.load`) check with `checkedDType(_:)` and throw instead.
    public var dtype: DType {
        guard let dtype = DType(rawValue: lk_dtype_of(handle)) else { preconditionFailure(TorchError.last().message) }
        return dtype
    }

    /// This tensor's dtype, or an error naming `name` and libtorch's type when LookKit has no `DType` for it.
    func checkedDType(_ name: String) throws -> DType {
        guard let dtype = DType(rawValue: lk_dtype_of(handle)) else {
            throw TorchError("tensor '\(name)': \(TorchError.last().message), which LookKit does not support "
                + "(supported: \(DType.allCases.map { "\($0)" }.joined(separator: ", ")))", category: .badInput)
        }
        return dtype
    }

    public var device: Device {
        var type: Int32 = 0, index: Int32 = 0
        lk_device_of(handle, &type, &index)
        return type == Int32(LK_CUDA.rawValue) ? .cuda(Int(index)) : .cpu
    }

    /// Moves and/or converts; returns self's data unchanged in a new handle when nothing changes.
    public func to(_ device: Device? = nil, dtype: DType? = nil) throws -> Tensor {
        let target = device ?? self.device
        return try wrap(lk_to(handle, (dtype ?? self.dtype).c, target.type, target.index))
    }

    /// The raw contiguous CPU bytes of this tensor, in its own dtype.
    public func bytes() throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count * dtype.byteSize)
        try out.withUnsafeMutableBytes { try check(lk_copy_to(handle, $0.baseAddress, $0.count)) }
        return out
    }

    private func elements<T>(as dtype: DType, _: T.Type) throws -> [T] {
        let source = self.dtype == dtype ? self : try to(dtype: dtype)
        let n = count
        return try [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            try check(lk_copy_to(source.handle, buffer.baseAddress, n * MemoryLayout<T>.stride))
            initialized = n
        }
    }

    /// The elements in row-major order as Float (converted if needed).
    public func floats() throws -> [Float] { try elements(as: .float32, Float.self) }
    public func doubles() throws -> [Double] { try elements(as: .float64, Double.self) }
    public func int64s() throws -> [Int64] { try elements(as: .int64, Int64.self) }
    public func bools() throws -> [Bool] { try elements(as: .uint8, UInt8.self).map { $0 != 0 } }

    /// The single value of a one-element tensor.
    public func item() throws -> Double {
        guard count == 1 else { throw TorchError("item() needs one element, tensor has shape \(shape)") }
        return try doubles()[0]
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        guard let text = lk_describe(handle) else { return "Tensor(\(shape), \(dtype))" }
        defer { lk_free_string(text) }
        return String(cString: text)
    }
}
