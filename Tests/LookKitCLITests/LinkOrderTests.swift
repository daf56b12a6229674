import Foundation
import XCTest

/// libtorch exports its own BLAS (`sgemm_`); FAISS needs the system one. Whichever the executable
/// lists first serves every caller, so libtorch must precede it, or libtorch's products run on
/// Debian's BLAS: slower, and training no longer follows PyTorch's numbers.
final class LinkOrderTests: CLITestCase {
    func testLibtorchPrecedesSystemBLAS() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["readelf", "-d", try binary().path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw XCTSkip("readelf is not available here") }
        let needed = text.split(separator: "\n").filter { $0.contains("(NEEDED)") }
        let torch = try XCTUnwrap(needed.firstIndex { $0.contains("[libtorch_cpu.so]") }, text)
        let blas = try XCTUnwrap(needed.firstIndex { $0.contains("[libblas.so") }, text)
        XCTAssertLessThan(torch, blas, "libtorch_cpu must be loaded before the system BLAS:\n\(needed.joined(separator: "\n"))")
    }
}
