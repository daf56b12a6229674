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
        let set = try ClassificationSet(photos, classes: Array(Set(photos.map(\.label))).sorted(), size: size, augment: false)
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
