import Datasets
import Foundation
import LookKitCore
import ModelEvaluation

/// One policy for photos that cannot be read, in every split: skip the photo, name it once, count
/// it; fail only when more than `data.maxUnreadable` of a split is unreadable.
final class UnreadablePhotos: @unchecked Sendable {
    private let lock = NSLock()
    private var names: [String: String] = [:]
    let maxFraction: Double

    init(maxFraction: Double) { self.maxFraction = maxFraction }

    var count: Int { lock.withLock { names.count } }

    /// Records failures, naming each photo the first time it fails.
    func record(_ failures: [SampleFailure]) {
        for failure in failures { record(name: failure.name, error: failure.error) }
    }

    func record(name: String, error: Error) {
        let isNew = lock.withLock { names.updateValue("\(error)", forKey: name) == nil }
        if isNew { FileHandle.standardError.write(Data("skipped \(name): \(error)\n".utf8)) }
    }

    /// Throws when more than the allowed fraction of `total` photos of `split` failed.
    func check(_ failed: Int, of total: Int, split: String, root: String) throws {
        guard Double(failed) > maxFraction * Double(total) else { return }
        throw MalformedFile(file: root, reason: "\(failed) of \(total) \(split) photos are unreadable, more than data.maxUnreadable "
                                + "(\(maxFraction)); see the skipped files above")
    }

    /// `photos` without the ones that cannot be decoded, checked before training so a run never
    /// fails at its end on a photo it could have named at its start.
    func readable(_ photos: EvaluationPhotos, root: String) throws -> EvaluationPhotos {
        let urls = Array(Set(photos.gallery.map(\.url)))
        let bad = NSLock()
        var unreadable = Set<URL>()
        DispatchQueue.concurrentPerform(iterations: urls.count) { i in
            do { _ = try Image(contentsOf: urls[i]) } catch {
                record(name: urls[i].path, error: error)
                bad.withLock { _ = unreadable.insert(urls[i]) }
            }
        }
        try check(unreadable.count, of: urls.count, split: photos.split, root: root)
        guard !unreadable.isEmpty else { return photos }
        return EvaluationPhotos(split: photos.split, queries: photos.queries.filter { !unreadable.contains($0.url) },
                                gallery: photos.gallery.filter { !unreadable.contains($0.url) })
    }
}
