import Datasets
import Foundation
import LookKitCore
import Torch

extension TaskNetwork {
    /// The network's output for every photo, batch by batch with parallel decoding: one row per
    /// photo that reads. The module is in eval mode (running BN statistics, no dropout) meanwhile.
    /// A photo that cannot be read stops it, after the rest are done, unless `onFailure` accepts
    /// it; its row is then left out.
    public func outputs(for photos: [LabeledImage], size: Int, workers: Int, device: Device, label: String = "embed",
                        onFailure: (SampleFailure) throws -> Void = { throw $0 }) throws -> Tensor {
        let wasTraining = module.training
        module.eval()
        defer { module.train(wasTraining) }
        let set = try ClassificationSet(photos, classes: Array(Set(photos.map(\.label))).sorted(), size: size, augment: false, resize: resize)
        let loader = DataLoader(set, options: LoaderOptions(batchSize: 64, shuffle: false, workers: workers),
                                collate: ClassificationBatch.collate(mean: normalization.mean, std: normalization.std))
        var bar = ProgressBar(total: photos.count, label: label, unit: "img")
        var rows: [Tensor] = [], done = 0
        let epoch = loader.epoch(0)
        try withoutGrad {
            for loaded in epoch {
                rows.append(try output(loaded.batch.images.to(device)).to(.cpu, dtype: .float32))
                done += loaded.indices.count + loaded.failures.count
                bar.update(done)
            }
        }
        try epoch.failures.forEach(onFailure)
        guard !rows.isEmpty else { throw DataIssue(file: photos.first?.url.deletingLastPathComponent().path ?? "photos",
                                                   reason: "none of the \(photos.count) photos could be read") }
        return try Tensor.cat(rows)
    }
}

extension TaskNetwork {
    /// The network's output for photos already decoded (garment crops, an upload), each fitted as
    /// the run prepares photos: the in-memory twin of `outputs(for:size:…)`. The module must be in
    /// eval mode (restored networks are); nothing here changes its state, so callers may share it.
    public func outputs(images: [Image], size: Int, device: Device) throws -> Tensor {
        let fitted = try images.map { try $0.fitted(size, resize) }
        let input = try imageBatchTensor(fitted, mean: normalization.mean, std: normalization.std).to(device)
        return try withoutGrad { try output(input) }.to(.cpu, dtype: .float32)
    }
}

/// The photos of an evaluation that could be read, with the network's output row for each;
/// unreadable photos are left out (queries and gallery alike) and named.
public struct ScoredPhotos {
    public let photos: EvaluationPhotos
    public let outputs: Tensor
    public let unreadable: [(photo: LabeledImage, error: Error)]

    public init(photos: EvaluationPhotos, outputs: Tensor, unreadable: [(photo: LabeledImage, error: Error)]) {
        (self.photos, self.outputs, self.unreadable) = (photos, outputs, unreadable)
    }
}

extension TaskNetwork {
    /// Outputs for every readable photo of `photos`. One policy everywhere: an unreadable photo is
    /// skipped, named on stderr and counted, never the end of the evaluation.
    public func outputs(for photos: EvaluationPhotos, size: Int, workers: Int, device: Device) throws -> ScoredPhotos {
        var failed: [Int: Error] = [:]
        let rows = try outputs(for: photos.gallery, size: size, workers: workers, device: device, onFailure: { failure in
            FileHandle.standardError.write(Foundation.Data("skipped \(photos.gallery[failure.index].url.path): \(failure.error)\n".utf8))
            failed[failure.index] = failure.error
        })
        let kept = photos.gallery.indices.filter { failed[$0] == nil }
        guard rows.shape[0] == kept.count else {
            throw TorchError("\(rows.shape[0]) outputs for \(kept.count) readable photos", category: .invalidValue)
        }
        // Queries are the gallery's first rows; they stay first.
        let keptQueries = kept.filter { $0 < photos.queries.count }.map { photos.gallery[$0] }
        return ScoredPhotos(photos: EvaluationPhotos(split: photos.split, queries: keptQueries, gallery: kept.map { photos.gallery[$0] }),
                            outputs: rows, unreadable: failed.keys.sorted().map { (photos.gallery[$0], failed[$0]!) })
    }
}
