import Foundation
import TestSupport
import XCTest
@testable import Torch

/// Mixed precision matches `torch.autocast` step for step. Run on CPU (bfloat16), which exercises
/// the same autocast switch CUDA runs use: three SGD steps of a linear regression, where a weight
/// cast cached across steps (stale after each update) would change every loss after the first.
final class AutocastTests: TorchTestCase {
    private let (batch, inputs, outputs) = (16, 8, 4)

    private func values(_ count: Int, _ f: (Double) -> Double) -> [Float] { (0..<count).map { Float(f(Double($0))) } }

    func testBFloat16StepsMatchTorchAutocast() throws {
        let x = values(batch * inputs) { sin($0 * 0.37) }, target = values(batch * outputs) { sin($0 * 0.05) }
        let start = values(outputs * inputs) { 0.3 * cos($0 * 0.11) }
        func losses(autocast: Bool) throws -> [Float] {
            let weight = try Tensor(start, shape: [outputs, inputs]).requiringGrad()
            let optimizer = try SGD([("weight", weight)], learningRate: 0.5)
            let (input, goal) = (try Tensor(x, shape: [batch, inputs]), try Tensor(target, shape: [batch, outputs]))
            return try (0..<3).map { _ in
                optimizer.zeroGrad()
                let forward = { () throws -> Tensor in
                    let prediction = try input.linear(weight)
                    if autocast { XCTAssertEqual(prediction.dtype, .bfloat16, "linear runs in bfloat16 under autocast") }
                    return try (prediction.to(dtype: .float32) - goal).square().mean()
                }
                let loss = try autocast ? Torch.withAutocast(on: .cpu, forward) : forward()
                try loss.backward()
                try optimizer.step()
                return try loss.floats()[0]
            }
        }
        let mixed = try losses(autocast: true), full = try losses(autocast: false)
        let after = try Tensor(x, shape: [batch, inputs]).linear(try Tensor(start, shape: [outputs, inputs]))
        XCTAssertEqual(after.dtype, .float32, "autocast ends with its region")

        let json = { (v: [Float]) in "[" + v.map { String($0) }.joined(separator: ",") + "]" }
        let python = try ReferencePython.run(code: """
            import json, sys, torch
            x, t, w = (torch.tensor(json.loads(a)) for a in sys.argv[1:4])
            x, t, w = x.view(\(batch), \(inputs)), t.view(\(batch), \(outputs)), w.view(\(outputs), \(inputs)).requires_grad_()
            opt = torch.optim.SGD([w], lr=0.5)
            for _ in range(3):
                opt.zero_grad()
                with torch.autocast("cpu", dtype=torch.bfloat16):
                    loss = ((torch.nn.functional.linear(x, w).float() - t) ** 2).mean()
                loss.backward()
                opt.step()
                print(loss.item())
            """, [json(x), json(target), json(start)])
        let reference = python.split(separator: "\n").compactMap { Float($0) }
        XCTAssertEqual(reference.count, 3, python)
        for (step, (ours, theirs)) in zip(mixed, reference).enumerated() {
            XCTAssertEqual(ours, theirs, accuracy: 1e-6 * max(1, abs(theirs)), "step \(step)")
        }
        // The bfloat16 run really is lower precision: it parts from the float32 run.
        XCTAssertGreaterThan(abs(mixed[0] - full[0]), 1e-5)
    }
}
