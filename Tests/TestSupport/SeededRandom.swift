import Datasets
import Foundation

/// Data's seeded generator with uniform and Gaussian (Box–Muller) draws, so test fixtures are the
/// same on every machine and failures reproduce.
public struct SeededRandom: RandomNumberGenerator {
    private var generator: SeededGenerator

    public init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    public mutating func next() -> UInt64 { generator.next() }

    public mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    public mutating func gaussian() -> Float {
        Float((-2 * log(max(uniform(), 1e-300))).squareRoot() * cos(2 * .pi * uniform()))
    }

    public mutating func matrix(rows: Int, columns: Int) -> [Float] {
        (0..<rows * columns).map { _ in gaussian() }
    }

    public mutating func pick<T>(_ values: [T]) -> T { values[Int(next() % UInt64(values.count))] }
}
