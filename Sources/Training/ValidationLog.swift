import Foundation
import LookKitCore

/// `results.csv` of a run folder: one row per validation (epoch, step, mean training loss since
/// the previous row, learning rate, every validation number), appended as the run goes, as
/// ultralytics' `results.csv`.
struct ValidationLog {
    let file: URL
    private(set) var lastStep: Int?
    private var lossSum = 0.0, lossCount = 0
    private var columns: [String]?

    /// `resumedAt`: the step a resumed run continues from; rows written up to it are kept (later
    /// ones are redone by the resumed run), otherwise the file starts anew.
    init(file: URL, resumedAt step: Int?) throws {
        self.file = file
        let rows = step == nil ? [] : ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n")
        guard let header = rows.first else { try? FileManager.default.removeItem(at: file); return }
        columns = header.split(separator: ",").dropFirst(4).map(String.init)
        let kept = rows.dropFirst().filter { row in row.split(separator: ",").dropFirst().first.flatMap { Int($0) }.map { $0 <= step! } ?? false }
        try ([header] + kept).joined(separator: "\n").appending("\n").write(toPath: file.path)
    }

    mutating func add(loss: Double) { (lossSum, lossCount) = (lossSum + loss, lossCount + 1) }

    mutating func append(epoch: Int, step: Int, learningRate: Double, score: ValidationScore) throws {
        let names = columns ?? score.all.keys.sorted()
        var text = columns == nil ? (["epoch", "step", "train_loss", "lr"] + names).joined(separator: ",") + "\n" : ""
        let loss = lossCount > 0 ? lossSum / Double(lossCount) : .nan
        text += ([String(epoch), String(step), String(loss), String(learningRate)] + names.map { score.all[$0].map { String($0) } ?? "" })
            .joined(separator: ",") + "\n"
        let handle = try FileHandle(forWritingTo: file.creatingIfMissing())
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        (columns, lastStep, lossSum, lossCount) = (names, step, 0, 0)
    }
}

private extension URL {
    func creatingIfMissing() -> URL {
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        return self
    }
}
