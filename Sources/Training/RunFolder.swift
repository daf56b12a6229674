import Datasets
import Foundation
import LookKitCore

/// One folder per run, as ultralytics keeps them: `<project>/<name>`, then `<name>-2`, `<name>-3`…
/// for later runs of the same name, so no run ever overwrites another's weights. It holds the
/// config, `last.safetensors` (resumable), `best.safetensors` (best validation score),
/// `results.csv` (one row per validation) and `report.html`.
public struct RunFolder: Sendable {
    public let url: URL

    public init(url: URL) { self.url = url }

    public var config: URL { url.appendingPathComponent("config.json") }
    public var last: URL { url.appendingPathComponent("last.safetensors") }
    public var best: URL { url.appendingPathComponent("best.safetensors") }
    public var results: URL { url.appendingPathComponent("results.csv") }
    public var report: URL { url.appendingPathComponent("report.html") }

    /// A new folder `<project>/<name>[-N]` with the lowest free N (the folder itself, created
    /// here, is the claim, so two runs starting together still get two folders). With `existOK`
    /// the plain `<project>/<name>` is reused.
    public static func create(project: URL, name: String, existOK: Bool = false) throws -> RunFolder {
        let manager = FileManager.default
        do { try manager.createDirectory(at: project, withIntermediateDirectories: true) } catch {
            throw DataIssue(file: project.path, reason: "cannot create the project folder (\(error.localizedDescription))")
        }
        if existOK {
            let url = project.appendingPathComponent(name)
            try? manager.createDirectory(at: url, withIntermediateDirectories: true)
            return RunFolder(url: url)
        }
        for n in 1... {
            let url = project.appendingPathComponent(folderName(name, n))
            do {
                try manager.createDirectory(at: url, withIntermediateDirectories: false)
                return RunFolder(url: url)
            } catch where manager.fileExists(atPath: url.path) {
                continue
            } catch {
                throw DataIssue(file: url.path, reason: "cannot create the run folder (\(error.localizedDescription))")
            }
        }
        fatalError("unreachable")
    }

    /// The most recent folder of runs named `name` (the highest N), which `--resume` continues.
    public static func latest(project: URL, name: String) -> RunFolder? {
        var best: RunFolder?
        for n in 1... {
            let url = project.appendingPathComponent(folderName(name, n))
            guard FileManager.default.fileExists(atPath: url.path) else { return best }
            best = RunFolder(url: url)
        }
        return best
    }

    private static func folderName(_ name: String, _ n: Int) -> String { n == 1 ? name : "\(name)-\(n)" }
}
