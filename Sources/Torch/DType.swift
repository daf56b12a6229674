import CTorch

/// Element types LookKit's tensors use; raw values match CTorch's `lk_dtype`.
public enum DType: Int32, Sendable, CaseIterable {
    case float32 = 0, float16, bfloat16, float64, int64, int32, uint8, bool

    var c: lk_dtype { lk_dtype(rawValue: UInt32(rawValue)) }

    public var byteSize: Int {
        switch self {
        case .float64, .int64: 8
        case .float32, .int32: 4
        case .float16, .bfloat16: 2
        case .uint8, .bool: 1
        }
    }

    public var isFloatingPoint: Bool { [.float32, .float16, .bfloat16, .float64].contains(self) }

    /// The dtype's name as safetensors spells it.
    public var safetensorsName: String {
        switch self {
        case .float32: "F32"
        case .float16: "F16"
        case .bfloat16: "BF16"
        case .float64: "F64"
        case .int64: "I64"
        case .int32: "I32"
        case .uint8: "U8"
        case .bool: "BOOL"
        }
    }

    public init?(safetensorsName: String) {
        guard let match = DType.allCases.first(where: { $0.safetensorsName == safetensorsName }) else { return nil }
        self = match
    }
}
