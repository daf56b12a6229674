import Foundation

/// SplitMix64 with uniform and Gaussian (Box–Muller) draws, so test fixtures are the same on every
/// machine and failures reproduce.
public struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    public mutating func gaussian() -> Float {
        Float((-2 * log(max(uniform(), 1e-300))).squareRoot() * cos(2 * .pi * uniform()))
    }

    public mutating func matrix(rows: Int, columns: Int) -> [Float] {
        (0..<rows * columns).map { _ in gaussian() }
    }

    public mutating func pick<T>(_ values: [T]) -> T { values[Int(next() % UInt64(values.count))] }
}
