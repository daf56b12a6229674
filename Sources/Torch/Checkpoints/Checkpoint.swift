import CTorch
import Foundation

/// Named tensors on disk, in the format the file name says: `.safetensors`, or PyTorch's zip
/// format (`.pt`, `.pth`, `.bin`, `.ckpt`) that `torch.load` reads and `torch.save(dict(...))` writes.
public enum Checkpoint {
    public static func save(_ tensors: [(String, Tensor)], to url: URL, metadata: [String: String] = [:]) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if url.pathExtension == "safetensors" {
            try SafeTensors.write(tensors, to: url, metadata: metadata)
        } else {
            try writeTorch(tensors, to: url)
        }
    }

    public static func load(_ url: URL) throws -> [(String, Tensor)] {
        guard FileManager.default.fileExists(atPath: url.path) else { throw TorchError("\(url.path): no such checkpoint file") }
        return url.pathExtension == "safetensors" ? try SafeTensors.read(url) : try readTorch(url)
    }

    /// PyTorch zip archive of a plain dict[str, Tensor], written beside the target and renamed into
    /// place so an interrupted save never destroys the previous checkpoint.
    static func writeTorch(_ tensors: [(String, Tensor)], to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
        var names = tensors.map { strdup($0.0) }
        defer { names.forEach { free($0) } }
        let status = withExtendedLifetime(tensors) {
            names.withUnsafeMutableBufferPointer { namePointers in
                namePointers.withMemoryRebound(to: UnsafePointer<CChar>?.self) { constNames in
                    lk_save_tensors(temporary.path, constNames.baseAddress, tensors.map { Optional($0.1.handle) }, Int32(tensors.count))
                }
            }
        }
        guard status == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw TorchError("\(url.path): \(TorchError.last().message)")
        }
        try replace(url, with: temporary)
    }

    static func readTorch(_ url: URL) throws -> [(String, Tensor)] {
        var count: Int32 = 0
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        var handles: UnsafeMutablePointer<OpaquePointer?>?
        guard lk_load_tensors(url.path, &count, &names, &handles) == 0 else {
            throw TorchError("\(url.path): \(TorchError.last().message)", category: .badInput)
        }
        defer { lk_free_loaded(count, names, handles) }
        let tensors = (0 ..< Int(count)).map { (String(cString: names![$0]!), Tensor(handle: handles![$0]!)) }
        for (name, tensor) in tensors {
            do { _ = try tensor.checkedDType(name) } catch let error as TorchError {
                throw TorchError("\(url.path): \(error.message)", category: error.category)
            }
        }
        return tensors
    }

    static func contents(of url: URL) throws -> Data {
        do { return try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw TorchError("\(url.path): cannot read (\(error.localizedDescription))")
        }
    }

    static func writeAtomically(_ data: Data, to url: URL) throws {
        do { try data.write(to: url, options: .atomic) } catch {
            throw TorchError("\(url.path): cannot write (\(error.localizedDescription))")
        }
    }

    private static func replace(_ url: URL, with temporary: URL) throws {
        if rename(temporary.path, url.path) != 0 {
            throw TorchError("\(url.path): cannot move the new checkpoint into place (errno \(errno))")
        }
    }
}

extension Module {
    /// Saves `stateDict()` in the format the extension names (see `Checkpoint`).
    public func save(to url: URL, metadata: [String: String] = [:]) throws {
        try Checkpoint.save(stateDict(), to: url, metadata: metadata)
    }

    /// Loads a checkpoint written by LookKit or by Python (`torch.save(dict(model.state_dict()), f)`
    /// or safetensors). Strict by default: any mismatch throws one error listing all problems.
    public func load(from url: URL, strict: Bool = true) throws {
        do { try load(stateDict: Checkpoint.load(url), strict: strict) } catch var mismatch as StateDictMismatch {
            mismatch.file = url.path
            throw mismatch
        }
    }
}
