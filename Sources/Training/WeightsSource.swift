import Experiments
import Foundation
import LookKitCore

/// The trained weights a command scores or embeds with: a `best.safetensors` file, or a logged
/// run's, which the run log names and whose log then receives the scores.
public enum WeightsSource {
    case checkpoint(URL)
    case run(Int64, database: String)

    /// The weights file, and the run to log into (for `.run` when `logging`; without it the log is
    /// only read). Refuses a file overwritten since the run wrote it, so scores are never logged
    /// against the wrong weights.
    public func resolve(logging: Bool = true) throws -> (file: URL, run: Run?) {
        switch self {
        case .checkpoint(let file): return (file, nil)
        case .run(let id, let database):
            let log = try RunLog(path: database, create: false, readOnly: !logging)
            let target = try log.run(id)
            guard let best = try log.artifacts(run: id).last(where: { $0.kind == "checkpoint" && $0.path.hasSuffix("best.safetensors") }) else {
                throw NotFoundError("run \(id) in \(database) has no best.safetensors (did it finish?)")
            }
            guard try best.fileIsUnchanged() else {
                throw NotFoundError("\(best.path) is missing or was overwritten since run \(id) wrote it")
            }
            return (URL(fileURLWithPath: best.path), logging ? target : nil)
        }
    }
}
