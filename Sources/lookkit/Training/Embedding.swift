import ArgumentParser
import Datasets
import Evaluation
import Experiments
import Foundation
import Torch

/// Runs `embed` over photos batch by batch with parallel decoding: one row per photo. `model` is put
/// in eval mode (running BN statistics, no dropout) for the duration. A photo that cannot be read
/// stops it, after the rest are done, unless `onFailure` accepts it; its row is then left out.
func embedPhotos(_ photos: [LabeledImage], size: Int, workers: Int, device: Device, label: String, model: Module,
                 normalization: (mean: [Float], std: [Float]) = (ImageNet.mean, ImageNet.std),
                 onFailure: (SampleFailure) throws -> Void = { throw $0 },
                 embed: (Tensor) throws -> Tensor) throws -> Tensor {
    let wasTraining = model.training
    model.eval()
    defer { model.train(wasTraining) }
    let set = try ClassificationSet(photos, classes: Array(Set(photos.map(\.label))).sorted(), size: size, augment: false)
    let loader = DataLoader(set, options: LoaderOptions(batchSize: 64, shuffle: false, workers: workers),
                            collate: ClassificationBatch.collate(mean: normalization.mean, std: normalization.std))
    var bar = ProgressBar(total: photos.count, label: label, unit: "img")
    var rows: [Tensor] = [], done = 0
    let epoch = loader.epoch(0)
    try withoutGrad {
        for loaded in epoch {
            rows.append(try embed(loaded.batch.images.to(device)).to(.cpu, dtype: .float32))
            done += loaded.indices.count + loaded.failures.count
            bar.update(done)
        }
    }
    try epoch.failures.forEach(onFailure)
    guard !rows.isEmpty else { throw ValidationError("none of the \(photos.count) photos could be read") }
    return try Tensor.cat(rows)
}

/// Retrieval quality of embeddings: each query ranks the gallery by cosine similarity (itself
/// excluded when it is in the gallery); a result is correct when its label equals the query's.
struct RetrievalScores: Codable {
    var precisionAt1 = 0.0, precisionAt5 = 0.0, precisionAt10 = 0.0
    var mAPAt10 = 0.0, relevanceAt10 = 0.0, ndcgAt10 = 0.0
    var queries = 0, galleryCount = 0, embeddingSize = 0
    /// Index size in bytes for float32 vectors.
    var indexBytes = 0

    /// `queryRows[i]` is the query's row in `gallery` if it is one of them.
    init(queries: Tensor, queryLabels: [String], queryRows: [Int?], gallery: Tensor, galleryLabels: [String],
         topK: inout [[Int]]) throws {
        let k = 10
        let q = try queries.normalized(dim: 1), g = try gallery.normalized(dim: 1)
        var scores = try q.matmul(g.transposed())
        let n = galleryLabels.count
        let selfMask = queryRows.map { row in (0 ..< n).map { $0 == row } }
        scores = try scores.maskedFill(Tensor(selfMask.flatMap { $0 }, shape: [queryRows.count, n]), -Double.infinity)
        let top = try scores.topk(Swift.min(k, n - 1), dim: 1).indices.int64s().map(Int.init)
        let width = Swift.min(k, n - 1)
        let labelCounts = Dictionary(galleryLabels.map { ($0, 1) }, uniquingKeysWith: +)
        var lists: [RankedList] = []
        topK = []
        for (i, label) in queryLabels.enumerated() {
            let ranked = Array(top[i * width ..< (i + 1) * width])
            topK.append(ranked)
            let relevant = (labelCounts[label] ?? 0) - (queryRows[i] == nil ? 0 : 1)
            lists.append(RankedList(correct: ranked.map { galleryLabels[$0] == label }, relevantCount: relevant))
        }
        let at10 = RankingSummary(lists, k: 10)
        precisionAt1 = RankingSummary(lists, k: 1).precision
        precisionAt5 = RankingSummary(lists, k: 5).precision
        (precisionAt10, mAPAt10, relevanceAt10, ndcgAt10) = (at10.precision, at10.mAP, at10.relevance, at10.ndcg)
        (self.queries, galleryCount, embeddingSize) = (queryLabels.count, n, gallery.shape[1])
        indexBytes = n * embeddingSize * 4
    }

    /// Scores read back from a run's stored results (split "test").
    init?(results: [ResultRecord]) {
        let values = Dictionary(results.filter { $0.split == "test" }.map { ($0.metric, $0.value) }, uniquingKeysWith: { _, b in b })
        guard let p1 = values["P@1"] else { return nil }
        precisionAt1 = p1
        precisionAt5 = values["P@5"] ?? .nan
        precisionAt10 = values["P@10"] ?? .nan
        mAPAt10 = values["mAP@10"] ?? .nan
        relevanceAt10 = values["relevance@10"] ?? .nan
        ndcgAt10 = values["nDCG@10"] ?? .nan
        embeddingSize = Int(values["embedding_size"] ?? 0)
        indexBytes = Int(values["index_bytes"] ?? 0)
    }

    var asResults: [String: Double] {
        ["P@1": precisionAt1, "P@5": precisionAt5, "P@10": precisionAt10, "mAP@10": mAPAt10,
         "relevance@10": relevanceAt10, "nDCG@10": ndcgAt10, "embedding_size": Double(embeddingSize),
         "index_bytes": Double(indexBytes)]
    }

    static let tableHeader = "| model | P@1 | P@5 | mAP@10 | relevance@10 | embedding size | index size |\n|---|---|---|---|---|---|---|"

    func tableRow(_ model: String) -> String {
        let f = { (v: Double) in String(format: "%.3f", v) }
        return "| \(model) | \(f(precisionAt1)) | \(f(precisionAt5)) | \(f(mAPAt10)) | \(f(relevanceAt10)) | \(embeddingSize) | "
            + String(format: "%.1f MB", Double(indexBytes) / 1e6) + " |"
    }
}

/// Every n-th query (8 rows) with its ranked neighbours, as small JPEG thumbnails so the report stays light.
func retrievalGrid(queries: [LabeledImage], gallery: [LabeledImage], top: [[Int]], thumbnails: URL, title: String) throws -> RetrievalGrid {
    try FileManager.default.createDirectory(at: thumbnails, withIntermediateDirectories: true)
    func thumbnail(_ photo: LabeledImage) throws -> String {
        let url = thumbnails.appendingPathComponent(photo.url.deletingPathExtension().lastPathComponent + ".jpg")
        if !FileManager.default.fileExists(atPath: url.path) {
            let image = try Image(contentsOf: photo.url)
            let scale = 96 / Double(max(image.width, image.height))
            try image.resized(width: max(1, Int(Double(image.width) * scale)), height: max(1, Int(Double(image.height) * scale)))
                .write(to: url, quality: 80)
        }
        return url.path
    }
    let step = max(1, queries.count / 8)
    let rows = try stride(from: 0, to: queries.count, by: step).prefix(8).map { q in
        RetrievalGrid.Row(query: try thumbnail(queries[q]), results: try top[q].map { g in
            (path: try thumbnail(gallery[g]), correct: gallery[g].label == queries[q].label)
        })
    }
    return RetrievalGrid(title: title, rows: rows)
}
