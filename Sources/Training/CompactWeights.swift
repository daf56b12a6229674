import Experiments
import Foundation
import LookKitCore
import Torch

/// Trained weights kept as what training changed: only the tensors that differ from the pretrained
/// backbone file the run started from, in float16. A network whose backbone stayed frozen (the
/// embedder, the style embedder, a linear probe) shrinks to its head, which is how the demo's
/// weights fit in a few megabytes of the repository; `expand` rebuilds a full checkpoint from the
/// same backbone file (checked by its SHA-256).
public enum CompactWeights {
    /// Checkpoint names of backbone tensors are the backbone file's names under this prefix.
    public static let backbonePrefix = "backbone."
    static let baseDigestKey = "compact_base_sha256"

    /// Writes `checkpoint`'s tensors that are not bit-equal to `base`'s, floats as float16; returns
    /// how many were kept and how many `base` supplies.
    @discardableResult
    public static func write(checkpoint: URL, base: URL, to out: URL) throws -> (kept: Int, fromBase: Int) {
        let pretrained = Dictionary(try SafeTensors.read(base), uniquingKeysWith: { first, _ in first })
        var kept: [(String, Tensor)] = [], fromBase = 0
        for (name, tensor) in try SafeTensors.read(checkpoint) {
            if let same = pretrained[baseName(name)], same.shape == tensor.shape, same.dtype == tensor.dtype,
               try same.bytes() == tensor.bytes() {
                fromBase += 1
            } else {
                kept.append((name, tensor.dtype == .float32 ? try tensor.to(dtype: .float16) : tensor))
            }
        }
        var metadata = try SafeTensors.metadata(checkpoint)
        metadata[baseDigestKey] = try FileDigest.sha256Hex(ofFile: base)
        try SafeTensors.write(kept, to: out, metadata: metadata)
        return (kept.count, fromBase)
    }

    /// The full float32 checkpoint: every backbone tensor of `base`, overwritten by the compact file's.
    public static func expand(_ compact: URL, base: URL, to out: URL) throws {
        var metadata = try SafeTensors.metadata(compact)
        guard let digest = metadata.removeValue(forKey: baseDigestKey) else {
            throw MalformedFile(file: compact.path, reason: "not compact weights (no \(baseDigestKey) in its metadata)")
        }
        guard try FileDigest.sha256Hex(ofFile: base) == digest else {
            throw MalformedFile(file: base.path, reason: "is not the backbone file \(compact.path) was made against (SHA-256 differs)")
        }
        var tensors = try SafeTensors.read(base).map { (backbonePrefix + $0.0, $0.1) }
        let position = Dictionary(tensors.enumerated().map { ($1.0, $0) }, uniquingKeysWith: { first, _ in first })
        for (name, tensor) in try SafeTensors.read(compact) {
            let full = tensor.dtype == .float16 ? try tensor.to(dtype: .float32) : tensor
            if let i = position[name] { tensors[i] = (name, full) } else { tensors.append((name, full)) }
        }
        try FileManager.default.createDirectory(at: out.deletingLastPathComponent(), withIntermediateDirectories: true)
        try SafeTensors.write(tensors, to: out, metadata: metadata)
    }

    private static func baseName(_ name: String) -> String {
        name.hasPrefix(backbonePrefix) ? String(name.dropFirst(backbonePrefix.count)) : name
    }
}
