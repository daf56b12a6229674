import Foundation

/// One epoch of a dataset cut into batches by a fixed index plan (shuffled batches, P×K batches…),
/// startable at any batch: a sample's augmentation stream depends only on (seed, epoch, position in
/// the epoch), so a run resumed mid-epoch sees exactly the batches an uninterrupted run would.
public struct PlannedEpoch<Base: Dataset>: Dataset {
    public let base: Base
    let indices: [Int]
    let offset: Int, seed: UInt64, epoch: Int

    public var count: Int { indices.count }
    public func name(of index: Int) -> String { base.name(of: indices[index]) }

    public func sample(at index: Int, generator: inout SeededGenerator) throws -> Base.Sample {
        var stream = SeededGenerator.derived(seed, epoch, offset + index)
        return try base.sample(at: indices[index], generator: &stream)
    }
}

extension Dataset {
    /// Loads the batches of `plan` from batch `skip` on, with `workers` threads prefetching.
    /// All batches of a plan must have the same size.
    public func batches<Batch>(plan: [[Int]], epoch: Int, skip: Int, seed: UInt64, workers: Int,
                               collate: @escaping @Sendable ([Sample]) throws -> Batch) -> LoaderEpoch<PlannedEpoch<Self>, Batch> {
        let size = plan.first?.count ?? 1
        let rest = plan.dropFirst(skip)
        let view = PlannedEpoch(base: self, indices: rest.flatMap { $0 }, offset: skip * size, seed: seed, epoch: epoch)
        let options = LoaderOptions(batchSize: size, shuffle: false, seed: seed, workers: workers, dropLast: true)
        return DataLoader(view, options: options, collate: collate).epoch(epoch)
    }

    /// A shuffled plan of full batches for `epoch` (the loader's own order for this seed).
    public func shuffledPlan(epoch: Int, batchSize: Int, seed: UInt64) -> [[Int]] {
        DataLoader(self, options: LoaderOptions(batchSize: batchSize, seed: seed, workers: 0, dropLast: true)) { $0 }.plan(epoch: epoch)
    }
}
