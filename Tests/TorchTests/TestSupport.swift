import Foundation
import TestSupport
import XCTest
@testable import Torch

/// Tensors PyTorch produced for the parity tests (see make_fixtures.py beside this file).
enum Fixtures {
    static let parity: [String: Tensor] = {
        let url = Bundle.module.url(forResource: "parity", withExtension: "safetensors", subdirectory: "Fixtures")!
        return Dictionary(uniqueKeysWithValues: try! SafeTensors.read(url))
    }()

}

func fixture(_ name: String) throws -> Tensor {
    guard let t = Fixtures.parity[name] else { throw TorchError("fixture '\(name)' missing: rerun make_fixtures.py") }
    return t
}

/// |a − b| ≤ atol + rtol·|b| elementwise, with the worst offender in the failure message.
func assertClose(_ a: Tensor, _ b: Tensor, rtol: Double = 1e-5, atol: Double = 1e-7, _ what: String = "",
                 file: StaticString = #filePath, line: UInt = #line) throws {
    XCTAssertEqual(a.shape, b.shape, "\(what): shapes differ", file: file, line: line)
    guard a.shape == b.shape else { return }
    let x = try a.doubles(), y = try b.doubles()
    var worst = (index: -1, excess: 0.0)
    for i in x.indices {
        let excess = abs(x[i] - y[i]) - (atol + rtol * abs(y[i]))
        if excess > worst.excess || x[i].isNaN != y[i].isNaN { worst = (i, Swift.max(excess, 1)) }
    }
    if worst.index >= 0 {
        XCTFail("\(what): element \(worst.index) is \(x[worst.index]), PyTorch has \(y[worst.index])", file: file, line: line)
    }
}

class TorchTestCase: XCTestCase {
    override func setUp() {
        super.setUp()
        // Two cores in CI: more threads oversubscribe and make tiny ops orders of magnitude slower.
        Torch.threads = 2
        Torch.manualSeed(0)
    }
}

/// Elementwise equality of float arrays within `accuracy`.
func assertNear(_ a: [Float], _ b: [Float], accuracy: Float = 1e-6, _ what: String = "",
                file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, what, file: file, line: line)
    for (x, y) in zip(a, b) where abs(x - y) > accuracy {
        XCTFail("\(what): \(a) differs from \(b)", file: file, line: line)
        return
    }
}
