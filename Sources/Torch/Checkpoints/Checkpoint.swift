import CTorch
import Foundation
import LookKitCore

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
        try load(contents(of: url), file: url.path)
    }

    /// Reads `data` as the contents of `file`, whose extension says the format and which errors name
    /// (`load(_:)` and tests feeding bytes share it).
    public static func load(_ data: Data, file: String) throws -> [(String, Tensor)] {
        file.hasSuffix(".safetensors") ? try SafeTensors.read(data, file: file) : try readTorch(data, file: file)
    }

    /// PyTorch zip archive of a plain dict[str, Tensor], written beside the target and renamed into
    /// place (`OutputFile`) so an interrupted save never destroys the previous checkpoint.
    static func writeTorch(_ tensors: [(String, Tensor)], to url: URL) throws {
        var names = tensors.map { strdup($0.0) }
        defer { names.forEach { free($0) } }
        try OutputFile.writeTogether([(url.path, { temporary in
            let status = withExtendedLifetime(tensors) {
                names.withUnsafeMutableBufferPointer { namePointers in
                    namePointers.withMemoryRebound(to: UnsafePointer<CChar>?.self) { constNames in
                        lk_save_tensors(temporary, constNames.baseAddress, tensors.map { Optional($0.1.handle) }, Int32(tensors.count))
                    }
                }
            }
            guard status == 0 else { throw TorchError("\(url.path): \(TorchError.last().message)") }
        })])
    }

    /// libtorch reads the zip from memory; its failures come back as errors (see serialize.cpp).
    static func readTorch(_ data: Data, file: String) throws -> [(String, Tensor)] {
        try ZipDirectory.check(data, file: file)
        var count: Int32 = 0
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        var handles: UnsafeMutablePointer<OpaquePointer?>?
        let status = data.withUnsafeBytes { lk_load_tensors($0.baseAddress, $0.count, &count, &names, &handles) }
        guard status == 0 else { throw TorchError("\(file): \(TorchError.last().message)", category: .badInput) }
        defer { lk_free_loaded(count, names, handles) }
        let tensors = (0 ..< Int(count)).map { (String(cString: names![$0]!), Tensor(handle: handles![$0]!)) }
        for (name, tensor) in tensors {
            do { _ = try tensor.checkedDType(name) } catch let error as TorchError {
                throw TorchError("\(file): \(error.message)", category: error.category)
            }
        }
        return tensors
    }

    /// The bytes of a checkpoint file; a missing file or a directory (a run folder given for its
    /// checkpoint) says so.
    static func contents(of url: URL) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw TorchError("\(url.path): no such checkpoint file", category: .notFound)
        }
        guard !isDirectory.boolValue else {
            let best = url.appendingPathComponent("best.safetensors")
            let hint = FileManager.default.fileExists(atPath: best.path) ? "; its trained weights are \(best.path)" : ""
            throw TorchError("\(url.path): is a directory, not a checkpoint file\(hint)", category: .badInput)
        }
        do { return try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw TorchError("\(url.path): cannot read (\(error.localizedDescription))", category: .badInput)
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
