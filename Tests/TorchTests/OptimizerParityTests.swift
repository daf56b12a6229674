import XCTest
@testable import Torch

/// Three steps of each optimizer from PyTorch's start and gradients land on PyTorch's parameters.
final class OptimizerParityTests: TorchTestCase {
    private func checkSteps(_ name: String, make: ([(String, Tensor)]) throws -> Optimizer) throws {
        let params = [try fixture("opt.p0").clone().requiringGrad(), try fixture("opt.p1").clone().requiringGrad()]
        let optimizer = try make([("p0", params[0]), ("p1", params[1])])
        for k in 0 ..< 3 {
            try params[0].setGrad(fixture("opt.g0.\(k)").clone())
            try params[1].setGrad(fixture("opt.g1.\(k)").clone())
            try optimizer.step()
            try assertClose(params[0], fixture("opt.\(name).\(k).p0"), "\(name) step \(k) p0")
            try assertClose(params[1], fixture("opt.\(name).\(k).p1"), "\(name) step \(k) p1")
        }
    }

    func testSGD() throws {
        try checkSteps("sgd") { try SGD($0, learningRate: 0.1) }
        try checkSteps("sgd_momentum") { try SGD($0, learningRate: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 1e-2) }
        try checkSteps("sgd_nesterov") { try SGD($0, learningRate: 0.1, momentum: 0.9, weightDecay: 1e-2, nesterov: true) }
    }

    func testAdamAndAdamW() throws {
        try checkSteps("adam") { try Adam($0, learningRate: 1e-2, weightDecay: 1e-2) }
        try checkSteps("adamw") { try Adam.adamW($0, learningRate: 1e-2, weightDecay: 0.1) }
    }

    /// Saving the state after one step and loading it into a fresh optimizer continues identically.
    func testOptimizerStateResumes() throws {
        let start = [try fixture("opt.p0"), try fixture("opt.p1")]
        let grads = (0 ..< 3).map { k in [try! fixture("opt.g0.\(k)"), try! fixture("opt.g1.\(k)")] }
        func named(_ params: [Tensor]) -> [(String, Tensor)] { [("p0", params[0]), ("p1", params[1])] }
        func run(_ params: [Tensor], _ optimizer: Optimizer, steps: Range<Int>) throws {
            for k in steps {
                for (p, g) in zip(params, grads[k]) { try p.setGrad(g.clone()) }
                try optimizer.step()
            }
        }
        let straight = try start.map { try $0.clone().requiringGrad() }
        try run(straight, Adam(named(straight), learningRate: 1e-2), steps: 0 ..< 3)

        let first = try start.map { try $0.clone().requiringGrad() }
        let firstOptimizer = try Adam(named(first), learningRate: 1e-2)
        try run(first, firstOptimizer, steps: 0 ..< 1)
        let resumed = try first.map { try $0.detached().clone().requiringGrad() }
        let resumedOptimizer = try Adam(named(resumed), learningRate: 1e-2)
        try resumedOptimizer.load(stateDict: firstOptimizer.stateDict())
        try run(resumed, resumedOptimizer, steps: 1 ..< 3)
        for (a, b) in zip(resumed, straight) { try assertClose(a, b, rtol: 0, atol: 0, "resumed Adam") }
    }

    func testSchedulesMatchPyTorch() throws {
        // PyTorch's cosine climbs back after T_max; LookKit holds the minimum, so compare up to T_max.
        func check(_ schedule: LearningRateSchedule, _ key: String, steps: Int = 12) throws {
            try assertClose(Tensor((0 ..< steps).map { schedule.learningRate(at: $0) }),
                            fixture("lr.\(key)").slice(0, 0, steps), rtol: 1e-9, key)
        }
        try check(StepSchedule(base: 0.5, stepSize: 4, gamma: 0.5), "step")
        try check(CosineSchedule(base: 0.5, totalSteps: 10, minimum: 0.01), "cosine", steps: 11)
        try check(WarmupSchedule(CosineSchedule(base: 0.5, totalSteps: 9), warmupSteps: 3, startFactor: 0.1), "warmup_cosine")
    }
}
