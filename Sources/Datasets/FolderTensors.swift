import Foundation
import Torch

/// A whole small labelled image set decoded into memory: N×3×S×S normalised images and int64 labels
/// indexing `classes`. For demos and tests on a few hundred images; large sets go through the loader.
public struct ImageSetTensors {
    public let images: Tensor
    public let labels: Tensor
    public let classes: [String]
    public let files: [URL]
}

extension ImageSetTensors {
    /// Decodes every record (in parallel), resizes it to `size`×`size` and normalises it with
    /// ImageNet statistics. `classes` fixes the label order (default: sorted labels of `records`).
    public init(_ records: [LabeledImage], size: Int, classes: [String]? = nil) throws {
        let classes = classes ?? Array(Set(records.map(\.label))).sorted()
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        var decoded = [Result<Image, Error>?](repeating: nil, count: records.count)
        decoded.withUnsafeMutableBufferPointer { slots in
            DispatchQueue.concurrentPerform(iterations: records.count) { i in
                slots[i] = Result { try Image(contentsOf: records[i].url).resized(width: size, height: size) }
            }
        }
        let labels = try records.map { record in
            guard let label = index[record.label] else { throw DataIssue(file: record.url.path, reason: "unknown class '\(record.label)'") }
            return Int64(label)
        }
        let images = try decoded.map { try $0!.get() }
        self.init(images: try imageBatchTensor(images), labels: try Tensor(labels), classes: classes, files: records.map(\.url))
    }
}
