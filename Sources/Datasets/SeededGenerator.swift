/// SplitMix64: a small, fast generator whose stream depends only on its seed, so shuffles,
/// augmentations and triplets repeat exactly across runs and machines.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An independent stream for (seed, a, b), e.g. (run seed, epoch, sample index).
    public static func derived(_ seed: UInt64, _ a: Int, _ b: Int = 0) -> SeededGenerator {
        var mixer = SeededGenerator(seed: seed ^ (UInt64(bitPattern: Int64(a)) &* 0xD1B5_4A32_D192_ED03))
        var generator = SeededGenerator(seed: mixer.next() ^ (UInt64(bitPattern: Int64(b)) &* 0x8CB9_2BA7_2F3D_8DD7))
        _ = generator.next()
        return generator
    }
}
