import Datasets
import Experiments
import Foundation

extension RetrievalGrid {
    /// Every n-th query (8 rows) with its ranked neighbours, as small JPEG thumbnails written to
    /// `thumbnails`, so the report stays light.
    public init(photos: EvaluationPhotos, top: [[Int]], thumbnails: URL, title: String) throws {
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
        let (queries, gallery) = (photos.queries, photos.gallery)
        let step = max(1, queries.count / 8)
        let rows = try stride(from: 0, to: queries.count, by: step).prefix(8).map { q in
            RetrievalGrid.Row(query: try thumbnail(queries[q]), results: try top[q].map { g in
                (path: try thumbnail(gallery[g]), correct: gallery[g].label == queries[q].label)
            })
        }
        self.init(title: title, rows: rows)
    }
}
