import Foundation
import Search
import Torch

/// What a bench table was measured on, printed above it so a table from another machine is never
/// taken for this one: CPU model and vector extensions, threads, and the BLAS each side uses.
func machineHeader(threads: Int) throws -> String {
    let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let field = { (name: String) in
        cpuinfo.split(separator: "\n").first { $0.hasPrefix(name) }?.split(separator: ":", maxSplits: 1).last?
            .trimmingCharacters(in: .whitespaces) ?? "unknown"
    }
    let flags = Set(field("flags").split(separator: " ").map(String.init))
    let vector = ["avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx512_bf16", "amx_tile"].filter(flags.contains).joined(separator: " ")
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let torch = Torch.buildConfiguration
    let capability = torch.split(separator: "\n").first { $0.contains("CPU capability") }?.split(separator: ":").last?
        .trimmingCharacters(in: .whitespaces) ?? "?"
    let blas = torch.range(of: #"BLAS_INFO=[^,]*"#, options: .regularExpression).map { String(torch[$0].dropFirst(10)) } ?? "?"
    let python = (try? runPythonBench("machine.py", [])) ?? "Python reference: unavailable"
    // FAISS links the system libblas.so.3, whichever library Debian's alternatives point it at.
    let systemBLAS = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/etc/alternatives/libblas.so.3-x86_64-linux-gnu")) ?? "?"
    return """
        CPU: \(field("model name")), \(cores) cores visible, \(vector.isEmpty ? "no AVX2" : vector)
        threads: \(threads) (OMP_NUM_THREADS), libtorch intra-op \(Torch.threads)
        LookKit: libtorch \(capability) kernels, BLAS \(blas); FAISS \(FaissIndex.version) on \(systemBLAS) (OpenMP, one thread below 4 queries); exact search below 20 queries, HNSW and IVF-Flat searched by LookKit's loops on \(FaissIndex.searchKernels) kernels, exact from 20 queries by FAISS's BLAS search
        \(python)
        """
}
