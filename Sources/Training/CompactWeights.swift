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
    /// The checkpoint's names that the backbone file supplies (it may hold more, e.g. ImageNet's classifier).
    static let baseNamesKey = "compact_base_names"

    /// Writes `checkpoint`'s tensors that are not bit-equal to `base`'s, floats as float16; returns
    /// how many were kept and how many `base` supplies.
    @discardableResult
    public static func write(checkpoint: URL, base: URL, to out: URL) throws -> (kept: Int, fromBase: Int) {
        let pretrained = Dictionary(try SafeTensors.read(base), uniquingKeysWith: { first, _ in first })
        var kept: [(String, Tensor)] = [], fromBase: [String] = []
        for (name, tensor) in try SafeTensors.read(checkpoint) {
            if let same = pretrained[baseName(name)], same.shape == tensor.shape, same.dtype == tensor.dtype,
               try same.bytes() == tensor.bytes() {
                fromBase.append(name)
            } else {
                kept.append((name, tensor.dtype == .float32 ? try tensor.to(dtype: .float16) : tensor))
            }
        }
        var metadata = try SafeTensors.metadata(checkpoint)
        metadata[baseDigestKey] = try FileDigest.sha256Hex(ofFile: base)
        metadata[baseNamesKey] = String(decoding: try JSONEncoder().encode(fromBase), as: UTF8.self)
        try SafeTensors.write(kept, to: out, metadata: metadata)
        return (kept.count, fromBase.count)
    }

    /// The full float32 checkpoint: every backbone tensor of `base`, overwritten by the compact file's.
    public static func expand(_ compact: URL, base: URL, to out: URL) throws {
        var metadata = try SafeTensors.metadata(compact)
        guard let digest = metadata.removeValue(forKey: baseDigestKey), let names = metadata.removeValue(forKey: baseNamesKey),
              let fromBase = try? JSONDecoder().decode([String].self, from: Data(names.utf8)) else {
            throw MalformedFile(file: compact.path, reason: "not compact weights (no \(baseDigestKey) and \(baseNamesKey) in its metadata)")
        }
        guard try FileDigest.sha256Hex(ofFile: base) == digest else {
            throw MalformedFile(file: base.path, reason: "is not the backbone file \(compact.path) was made against (SHA-256 differs)")
        }
        let pretrained = Dictionary(try SafeTensors.read(base), uniquingKeysWith: { first, _ in first })
        var tensors = try fromBase.map { name in
            guard let tensor = pretrained[baseName(name)] else { throw MalformedFile(file: base.path, reason: "has no tensor \(baseName(name))") }
            return (name, tensor)
        }
        for (name, tensor) in try SafeTensors.read(compact) {
            tensors.append((name, tensor.dtype == .float16 ? try tensor.to(dtype: .float32) : tensor))
        }
        try FileManager.default.createDirectory(at: out.deletingLastPathComponent(), withIntermediateDirectories: true)
        try SafeTensors.write(tensors, to: out, metadata: metadata)
    }

    private static func baseName(_ name: String) -> String {
        name.hasPrefix(backbonePrefix) ? String(name.dropFirst(backbonePrefix.count)) : name
    }
}
