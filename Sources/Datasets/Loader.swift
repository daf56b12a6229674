import Foundation

/// Random-access samples for the loader. `generator` is seeded from (loader seed, epoch, index),
/// so a sample's augmentation is the same whichever worker builds it.
public protocol Dataset: Sendable {
    associatedtype Sample
    var count: Int { get }
    func sample(at index: Int, generator: inout SeededGenerator) throws -> Sample
    /// What to call sample `index` in error messages (usually its file).
    func name(of index: Int) -> String
}

/// A sample that could not be loaded; the epoch goes on without it.
public struct SampleFailure: Error, CustomStringConvertible, @unchecked Sendable {
    public let index: Int
    public let name: String
    public let error: Error
    public var description: String { "sample \(index) (\(name)): \(error)" }
}

public struct LoaderOptions: Sendable {
    public var batchSize: Int
    public var shuffle: Bool
    public var seed: UInt64
    /// Threads building batches; 0 builds them on the caller's thread.
    public var workers: Int
    /// Batches built ahead of the consumer, at most.
    public var prefetch: Int
    public var dropLast: Bool

    public init(batchSize: Int, shuffle: Bool = true, seed: UInt64 = 0, workers: Int = 2, prefetch: Int = 4, dropLast: Bool = false) {
        (self.batchSize, self.shuffle, self.seed, self.workers, self.prefetch, self.dropLast) =
            (batchSize, shuffle, seed, workers, prefetch, dropLast)
    }
}

/// One collated batch with the dataset indices it holds and the samples that failed.
public struct LoadedBatch<Batch> {
    public let batch: Batch
    public let indices: [Int]
    public let failures: [SampleFailure]
}

/// Builds batches in parallel: every epoch the index order is a seeded shuffle, batches are
/// cut from it in order and collated by worker threads, and they come back in order, so the
/// same seed gives the same batches whatever the worker count.
public struct DataLoader<D: Dataset, Batch>: Sendable {
    public let dataset: D
    public let options: LoaderOptions
    let collate: @Sendable ([D.Sample]) throws -> Batch

    public init(_ dataset: D, options: LoaderOptions, collate: @escaping @Sendable ([D.Sample]) throws -> Batch) {
        (self.dataset, self.options, self.collate) = (dataset, options, collate)
    }

    /// Index batches of one epoch (the plan the workers follow).
    public func plan(epoch: Int) -> [[Int]] {
        var order = Array(0..<dataset.count)
        if options.shuffle {
            var generator = SeededGenerator.derived(options.seed, epoch, -1)
            order.shuffle(using: &generator)
        }
        let size = max(1, options.batchSize)
        return stride(from: 0, to: order.count, by: size).compactMap { start in
            let batch = Array(order[start..<min(start + size, order.count)])
            return options.dropLast && batch.count < size ? nil : batch
        }
    }

    public var batchesPerEpoch: Int { plan(epoch: 0).count }

    public func epoch(_ epoch: Int) -> LoaderEpoch<D, Batch> { LoaderEpoch(loader: self, epoch: epoch) }

    /// Loads and collates one planned batch; failing samples are left out and reported.
    func build(_ indices: [Int], epoch: Int) -> BuiltBatch<Batch> {
        var samples: [D.Sample] = [], kept: [Int] = [], failures: [SampleFailure] = []
        for index in indices {
            var generator = SeededGenerator.derived(options.seed, epoch, index)
            do {
                samples.append(try dataset.sample(at: index, generator: &generator))
                kept.append(index)
            } catch {
                failures.append(SampleFailure(index: index, name: dataset.name(of: index), error: error))
            }
        }
        guard !samples.isEmpty else { return BuiltBatch(loaded: nil, failures: failures) }
        do {
            return BuiltBatch(loaded: LoadedBatch(batch: try collate(samples), indices: kept, failures: failures), failures: failures)
        } catch {
            let names = kept.map { dataset.name(of: $0) }.joined(separator: ", ")
            return BuiltBatch(loaded: nil, failures: failures + [SampleFailure(index: kept[0], name: "collating \(names)", error: error)])
        }
    }
}

/// A planned batch after loading: nil when no sample survived.
struct BuiltBatch<Batch> {
    let loaded: LoadedBatch<Batch>?
    let failures: [SampleFailure]
}

/// Iterates one epoch's batches. Batches whose every sample failed are skipped; all failures
/// are kept in `failures`. Dropping the iterator stops its workers.
public final class LoaderEpoch<D: Dataset, Batch>: Sequence, IteratorProtocol {
    private let loader: DataLoader<D, Batch>
    private let epoch: Int
    private let plan: [[Int]]
    private let queue: BatchQueue<Batch>?
    private var position = 0
    public private(set) var failures: [SampleFailure] = []

    init(loader: DataLoader<D, Batch>, epoch: Int) {
        self.loader = loader
        self.epoch = epoch
        plan = loader.plan(epoch: epoch)
        queue = loader.options.workers > 0 ? BatchQueue(loader: loader, epoch: epoch, plan: plan) : nil
    }

    deinit { queue?.cancel() }

    public func next() -> LoadedBatch<Batch>? {
        while position < plan.count {
            let built = if let queue { queue.take(position) } else { loader.build(plan[position], epoch: epoch) }
            position += 1
            failures += built.failures
            if let loaded = built.loaded { return loaded }
        }
        return nil
    }
}

/// Worker threads filling numbered slots, never more than `prefetch` ahead of the consumer.
final class BatchQueue<Batch>: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [Int: BuiltBatch<Batch>] = [:]
    private var claimed = 0, consumed = 0, cancelled = false
    private var running: Int
    private let total: Int, prefetch: Int

    init<D: Dataset>(loader: DataLoader<D, Batch>, epoch: Int, plan: [[Int]]) {
        total = plan.count
        prefetch = max(1, loader.options.prefetch)
        running = loader.options.workers
        for _ in 0..<loader.options.workers {
            let thread = Thread { [self] in
                while let number = claim() {
                    let result = loader.build(plan[number], epoch: epoch)
                    deliver(number, result)
                }
                finished()
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
    }

    private func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled, claimed < total, claimed >= consumed + prefetch { condition.wait() }
        guard !cancelled, claimed < total else { return nil }
        claimed += 1
        return claimed - 1
    }

    private func deliver(_ number: Int, _ result: BuiltBatch<Batch>) {
        condition.lock()
        ready[number] = result
        condition.broadcast()
        condition.unlock()
    }

    func take(_ number: Int) -> BuiltBatch<Batch> {
        condition.lock()
        defer { condition.unlock() }
        while ready[number] == nil { condition.wait() }
        consumed = number + 1
        condition.broadcast()
        return ready.removeValue(forKey: number)!
    }

    private func finished() {
        condition.lock()
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Stops the workers and waits until none is still building: a batch half-built while the
    /// process exits would crash in the image or tensor libraries' teardown.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }
}
