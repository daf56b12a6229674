import Foundation
import CTorch

/// Where a tensor lives. `--device cuda` picks the first GPU; everything also runs on CPU.
public enum Device: Equatable, Sendable, CustomStringConvertible {
    case cpu
    case cuda(Int)

    /// Parses "cpu", "cuda" or "cuda:N".
    public init(_ text: String) throws {
        let parts = text.lowercased().split(separator: ":", maxSplits: 1)
        switch parts.first {
        case "cpu" where parts.count == 1: self = .cpu
        case "cuda":
            guard let index = parts.count == 2 ? Int(parts[1]) : 0 else { throw TorchError("bad device '\(text)'") }
            self = .cuda(index)
        default: throw TorchError("unknown device '\(text)' (use cpu, cuda or cuda:N)")
        }
    }

    /// Parses like `init(_:)` and checks this process can use the device, so a missing GPU is one
    /// clear line rather than libtorch's dispatcher listing at the first tensor moved.
    public static func usable(_ text: String) throws -> Device {
        let device = try Device(text)
        if case .cuda(let index) = device {
            guard cudaAvailable else {
                throw TorchError("--device \(text): this libtorch has no usable CUDA (the CPU wheel, or no GPU visible); "
                    + "use --device cpu, or `make setup TORCH=cuda` on a GPU machine")
            }
            guard index < cudaDeviceCount else { throw TorchError("--device \(text): only \(cudaDeviceCount) GPU(s) visible") }
        }
        return device
    }

    public static var cudaAvailable: Bool { lk_cuda_is_available() != 0 }
    public static var cudaDeviceCount: Int { Int(lk_cuda_device_count()) }

    /// The device to train on when the user did not say: the first GPU if present.
    public static var best: Device { cudaAvailable ? .cuda(0) : .cpu }

    public var isCUDA: Bool { self != .cpu }
    var type: Int32 { if case .cpu = self { Int32(LK_CPU.rawValue) } else { Int32(LK_CUDA.rawValue) } }
    var index: Int32 { if case .cuda(let i) = self { Int32(i) } else { 0 } }

    public var description: String {
        switch self {
        case .cpu: "cpu"
        case .cuda(let i): "cuda:\(i)"
        }
    }
}

/// Process-wide libtorch settings.
public enum Torch {
    /// Intra-op threads. Tests and CI set this explicitly: oversubscribing 2 cores made tiny ops 100× slower.
    public static var threads: Int {
        get { Int(lk_get_num_threads()) }
        set { lk_set_num_threads(Int32(newValue)) }
    }

    /// Runs `body` with `count` intra-op threads on the calling thread, then restores the previous
    /// count. Small ops are faster on one thread when the cores are shared: waking a second OpenMP
    /// thread then costs milliseconds (one-query search at 10k rows: 8 ms on two threads, 0.3 ms on one).
    public static func withThreads<R>(_ count: Int, _ body: () throws -> R) rethrows -> R {
        let previous = threads
        guard previous != count else { return try body() }
        threads = count
        defer { threads = previous }
        return try body()
    }

    /// Keeps freed memory in the process for reuse (glibc: no fresh mappings for large blocks, no
    /// trimming). Training and batch inference allocate the same large activations every step; left
    /// to the defaults, mapping and zero-filling them again cost a third of a detector step on CPU.
    /// Peak memory stays held until the process ends, so long-lived servers may prefer the default.
    @discardableResult
    public static func retainFreedMemory() -> Bool { lk_retain_freed_memory() == 1 }

    /// libtorch's build configuration as `at::show_config()` prints it (BLAS, CPU capability, versions).
    public static var buildConfiguration: String {
        guard let text = lk_show_config() else { return "" }
        defer { free(text) }
        return String(cString: text)
    }

    /// Seeds libtorch's generators (rand, randn, dropout, randperm…).
    public static func manualSeed(_ seed: UInt64) { lk_manual_seed(seed) }
}
