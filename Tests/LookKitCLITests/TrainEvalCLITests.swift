import Experiments
import Foundation
import Search
import Torch
import XCTest

/// End to end through the `lookkit` binary, as a user runs it: train from a config, find the run in
/// the log, evaluate the checkpoint on a labelled folder, embed and index a catalog with it, score
/// it again by run id, and get clear failures for bad input.
final class TrainEvalCLITests: CLITestCase {
    func testTrainEmbedderThenEvaluateEmbedAndIndex() throws {
        let (data, labels) = try makeDataset()
        let config = work.appendingPathComponent("run.json")
        try """
        {"name": "cli-test", "task": "embedder", "model": {"architecture": "small_cnn", "embeddingDimension": 16},
         "data": {"root": "\(data.path)", "imageSize": 32, "workers": 2},
         "triplet": {"classesPerBatch": 3, "imagesPerClass": 4}, "steps": 12, "checkpointEvery": 5,
         "project": "\(work.appendingPathComponent("runs").path)"}
        """.write(to: config, atomically: true, encoding: .utf8)
        let db = work.appendingPathComponent("runs.db").path
        let train = try lookkit(["train", "embedder", "--config", config.path, "--db", db, "--threads", "2"])
        XCTAssertEqual(train.code, 0, train.err)
        XCTAssertTrue(train.out.contains("| small_cnn triplet |"), train.out)
        let best = work.appendingPathComponent("runs/cli-test/best.safetensors")
        XCTAssertTrue(FileManager.default.fileExists(atPath: best.path))
        for file in ["report.html", "results.csv", "last.safetensors", "config.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: work.appendingPathComponent("runs/cli-test/\(file)").path), file)
        }

        let runs = try lookkit(["runs", "show", "1", "--db", db])
        XCTAssertEqual(runs.code, 0, runs.err)
        XCTAssertTrue(runs.out.contains("finished"), runs.out)
        XCTAssertTrue(runs.out.contains("mAP@10"), runs.out)

        let eval = try lookkit(["eval", "embedder", "--checkpoint", best.path, "--images", data.appendingPathComponent("validation").path,
                                "--labels", labels.path, "--json"])
        XCTAssertEqual(eval.code, 0, eval.err)
        let scores = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(eval.out.utf8)) as? [String: Double])
        XCTAssertEqual(scores["queries"], 18)
        XCTAssertEqual(scores["galleryCount"], 18)
        let p1 = try XCTUnwrap(scores["precisionAt1"])
        XCTAssertTrue((0 ... 1).contains(p1))
        // Leave-one-out: every query has 5 relevant photos among 17, so P@10 is at most 0.5.
        XCTAssertLessThanOrEqual(try XCTUnwrap(scores["precisionAt10"]), 0.5 + 1e-9)
        let wrongUse = try lookkit(["eval", "gender", "--checkpoint", best.path])
        XCTAssertEqual(wrongUse.code, 2, wrongUse.err)
        XCTAssertTrue(wrongUse.err.contains("holds a 'embedder' model (embedding); this command needs classification weights"), wrongUse.err)

        // The same photos embedded to a file: leave-one-out P@1 recomputed from the vectors agrees,
        // and the file indexes and queries with its metadata.
        let vectors = work.appendingPathComponent("catalog.npy")
        let embed = try lookkit(["embed", "--checkpoint", best.path, "--images", data.appendingPathComponent("validation").path,
                                 "--labels", labels.path, "--out", vectors.path])
        XCTAssertEqual(embed.code, 0, embed.err)
        let matrix = try NPY.read(vectors)
        XCTAssertEqual([matrix.rows, matrix.columns], [18, 16])
        let metadata = try String(contentsOf: work.appendingPathComponent("catalog.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(metadata.first, "id,path,label")
        let rowLabels = metadata.dropFirst().map { String($0.split(separator: ",")[2]) }
        XCTAssertEqual(metadata.dropFirst().first?.hasPrefix("0,pants/"), true, String(metadata[1]))
        func similarity(_ i: Int, _ j: Int) -> Float {
            (0..<16).reduce(Float(0)) { $0 + matrix.values[i * 16 + $1] * matrix.values[j * 16 + $1] }
        }
        let hits = (0..<18).map { (i: Int) -> Double in
            let others = (0..<18).filter { $0 != i }
            let nearest = others.max { similarity(i, $0) < similarity(i, $1) } ?? i
            return rowLabels[nearest] == rowLabels[i] ? 1 : 0
        }
        XCTAssertEqual(hits.reduce(0, +) / 18, p1, accuracy: 1e-9)
        let index = work.appendingPathComponent("catalog.index").path
        XCTAssertEqual(try lookkit(["index", "build", "--vectors", vectors.path, "--metadata", work.appendingPathComponent("catalog.csv").path,
                                    "--out", index]).code, 0)
        let query = try lookkit(["index", "query", "--index", index, "--vectors", vectors.path, "--k", "1", "--filter", "label=shoes"])
        XCTAssertEqual(query.code, 0, query.err)
        XCTAssertTrue(query.out.contains("shoes"), query.out)
        XCTAssertFalse(query.out.contains("pants"), query.out)

        // Without labels every image below the folder is embedded; an unreadable one is named and
        // left out, and the others keep the vectors they had.
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]).write(to: data.appendingPathComponent("validation/pants/broken.jpg"))
        let folderVectors = work.appendingPathComponent("folder.npy")
        let byFolder = try lookkit(["embed", "--checkpoint", best.path, "--images", data.appendingPathComponent("validation").path,
                                    "--out", folderVectors.path])
        XCTAssertEqual(byFolder.code, 0, byFolder.err)
        XCTAssertTrue(byFolder.err.contains("skipped \(data.appendingPathComponent("validation/pants/broken.jpg").path)"), byFolder.err)
        XCTAssertTrue(byFolder.out.contains("1 unreadable photo skipped"), byFolder.out)
        let folderRows = try String(contentsOf: work.appendingPathComponent("folder.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(folderRows.first, "id,path")
        let folderMatrix = try NPY.read(folderVectors)
        XCTAssertEqual(folderMatrix.rows, 18)
        let labelledPaths = metadata.dropFirst().map { $0.split(separator: ",")[1] }
        for (i, line) in folderRows.dropFirst().enumerated() {
            let j = try XCTUnwrap(labelledPaths.firstIndex(of: line.split(separator: ",")[1]), String(line))
            XCTAssertEqual(folderMatrix.values[i * 16..<(i + 1) * 16], matrix.values[j * 16..<(j + 1) * 16], String(line))
        }

        // --run finds the run's weights in the log and files the scores under the run.
        let byRun = try lookkit(["eval", "embedder", "--run", "1", "--db", db, "--images", data.appendingPathComponent("validation").path,
                                 "--labels", labels.path, "--json"])
        XCTAssertEqual(byRun.code, 0, byRun.err)
        XCTAssertEqual(try JSONSerialization.jsonObject(with: Data(byRun.out.utf8)) as? [String: Double], scores)
        let results = try RunLog(path: db, create: false).results(run: 1).filter { $0.split == "leave-one-out" }
        // JSON text keeps about 16 digits, the log the exact double.
        XCTAssertEqual(try XCTUnwrap(results.first { $0.metric == "P@1" }?.value), p1, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(results.first { $0.metric == "mAP@10" }?.value), try XCTUnwrap(scores["mAPAt10"]), accuracy: 1e-12)
        XCTAssertEqual(results.first?.dataset, data.appendingPathComponent("validation").path)

        try Data([0]).write(to: best, options: .atomic)
        let overwritten = try lookkit(["eval", "embedder", "--run", "1", "--db", db])
        XCTAssertNotEqual(overwritten.code, 0)
        XCTAssertTrue(overwritten.err.contains("\(best.path) is missing or was overwritten since run 1 wrote it"), overwritten.err)
        let twoSources = try lookkit(["eval", "embedder", "--run", "1", "--checkpoint", best.path])
        XCTAssertNotEqual(twoSources.code, 0)
        XCTAssertTrue(twoSources.err.contains("give one of --checkpoint FILE, --run ID or --backbone NAME"), twoSources.err)
    }

    func testEvalGenderByRunLogsHeldOutScores() throws {
        let (data, labels) = try makeDataset()
        let config = work.appendingPathComponent("gender.json")
        try """
        {"name": "cli-gender", "task": "gender", "model": {"architecture": "small_cnn"},
         "data": {"root": "\(data.path)", "imageSize": 32, "workers": 2}, "steps": 10, "batchSize": 12,
         "project": "\(work.path)"}
        """.write(to: config, atomically: true, encoding: .utf8)
        let db = work.appendingPathComponent("runs.db").path
        let train = try lookkit(["train", "gender", "--config", config.path, "--db", db, "--threads", "2"])
        XCTAssertEqual(train.code, 0, train.err)
        let trained = try RunLog(path: db, create: false).results(run: 1)

        let byFile = try lookkit(["eval", "gender", "--checkpoint", work.appendingPathComponent("cli-gender/best.safetensors").path, "--json"])
        XCTAssertEqual(byFile.code, 0, byFile.err)
        let scores = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(byFile.out.utf8)) as? [String: Double])
        XCTAssertEqual(scores["photos"], 18, "the 6 validation photos of each of 3 classes")
        let byRun = try lookkit(["eval", "gender", "--run", "1", "--db", db, "--json"])
        XCTAssertEqual(byRun.code, 0, byRun.err)
        XCTAssertEqual(try JSONSerialization.jsonObject(with: Data(byRun.out.utf8)) as? [String: Double], scores)
        // Training scored the same weights on the same split (the folder has no test/, so its
        // validation photos): eval --run rewrites equal rows.
        let logged = try RunLog(path: db, create: false).results(run: 1)
        let key = { (r: ResultRecord) in "\(r.split)/\(r.metric)" }
        XCTAssertEqual(logged.sorted { key($0) < key($1) }, trained.sorted { key($0) < key($1) })
        // JSON text keeps about 16 digits, the log the exact double.
        XCTAssertEqual(try XCTUnwrap(logged.first { $0.metric == "accuracy" }?.value), try XCTUnwrap(scores["accuracy"]), accuracy: 1e-12)
        XCTAssertEqual(logged.first { $0.metric == "accuracy" }?.split, "validation")

        // A classifier's logits are not embeddings: refused up front, naming what the file holds.
        let wrongUse = try lookkit(["eval", "embedder", "--checkpoint", work.appendingPathComponent("cli-gender/best.safetensors").path,
                                    "--images", data.appendingPathComponent("validation").path, "--labels", labels.path])
        XCTAssertEqual(wrongUse.code, 2, wrongUse.err)
        XCTAssertTrue(wrongUse.err.contains("holds a 'gender' model (classification); this command needs embedding weights"), wrongUse.err)

        let unknown = try lookkit(["eval", "gender", "--run", "7", "--db", db])
        XCTAssertEqual(unknown.code, 3, "unknown run id")
        XCTAssertTrue(unknown.err.contains("unknown run id 7"), unknown.err)
    }

    func testUnreadablePhotosAreSkippedNamedAndCountedOrStopTheRunBeforeTraining() throws {
        let (data, _) = try makeDataset()
        let broken = data.appendingPathComponent("validation/shoes/broken.jpg")
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]).write(to: broken)
        func config(maxUnreadable: Double) throws -> URL {
            let url = work.appendingPathComponent("run-\(maxUnreadable).yaml")
            try """
                name: unreadable
                task: gender
                model: {architecture: small_cnn}
                data: {root: \(data.path), imageSize: 32, maxUnreadable: \(maxUnreadable)}
                steps: 4
                batchSize: 12
                project: \(work.appendingPathComponent("runs").path)
                """.write(to: url, atomically: true, encoding: .utf8)
            return url
        }
        let db = work.appendingPathComponent("runs.db")
        // Within the allowed fraction: named, skipped, counted in the log; the run finishes.
        let run = try lookkit(["train", "gender", "--config", config(maxUnreadable: 0.1).path, "--db", db.path])
        XCTAssertEqual(run.code, 0, run.err)
        XCTAssertTrue(run.err.contains("skipped \(broken.path)"), run.err)
        let results = try RunLog(path: db.path, create: false).results(run: 1)
        XCTAssertEqual(results.first { $0.metric == "unreadable_photos" && $0.split == "all" }?.value, 1)
        XCTAssertEqual(results.first { $0.metric == "accuracy" }.map { _ in true }, true)
        // Above it: the run stops before training, naming the setting; nothing is logged.
        let strict = try lookkit(["train", "gender", "--config", config(maxUnreadable: 0).path, "--db", db.path])
        XCTAssertEqual(strict.code, 2, strict.err)
        XCTAssertTrue(strict.err.contains("1 of 19 validation photos are unreadable, more than data.maxUnreadable (0.0)"), strict.err)
        XCTAssertEqual(try RunLog(path: db.path, create: false).runs().count, 1)
    }

    func testEmbedAndEvalWithRawBackboneFeaturesNeedNoTraining() throws {
        let (data, labels) = try makeDataset()
        let vectors = work.appendingPathComponent("features.npy")
        let embed = try lookkit(["embed", "--backbone", "resnet18", "--images", data.appendingPathComponent("validation").path,
                                 "--labels", labels.path, "--out", vectors.path, "--size", "32"])
        XCTAssertEqual(embed.code, 0, embed.err)
        let matrix = try NPY.read(vectors)
        XCTAssertEqual([matrix.rows, matrix.columns], [18, 512], "ResNet18's pooled features, one row per photo")
        for row in 0..<matrix.rows {
            let norm = (0..<512).reduce(Float(0)) { $0 + matrix.values[row * 512 + $1] * matrix.values[row * 512 + $1] }
            XCTAssertEqual(norm, 1, accuracy: 1e-4, "row \(row) is not unit length")
        }
        // The same features scored by eval agree with the file: same seed, same size.
        let eval = try lookkit(["eval", "embedder", "--backbone", "resnet18", "--images", data.appendingPathComponent("validation").path,
                                "--labels", labels.path, "--size", "32", "--json"])
        XCTAssertEqual(eval.code, 0, eval.err)
        let scores = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(eval.out.utf8)) as? [String: Double])
        XCTAssertEqual(scores["embeddingSize"], 512)
        XCTAssertEqual(scores["queries"], 18)
    }

    func testBadInputsFailWithMessages() throws {
        let missing = try lookkit(["train", "embedder", "--config", "/nonexistent/run.json", "--db", work.appendingPathComponent("r.db").path])
        XCTAssertEqual(missing.code, 2, "unreadable input")
        XCTAssertTrue(missing.err.contains("/nonexistent/run.json"), missing.err)

        // An unknown choice fails when the config is read: usage code, the key named, nothing logged or created.
        let badConfig = work.appendingPathComponent("bad.yaml")
        try """
            name: bad
            task: embedder
            model: {architecture: small_cnn}
            data: {root: datasets/demo/clothing}
            triplet: {mining: batch-hardest}
            steps: 5
            project: \(work.appendingPathComponent("runs").path)
            """.write(to: badConfig, atomically: true, encoding: .utf8)
        let db = work.appendingPathComponent("bad.db")
        let bad = try lookkit(["train", "embedder", "--config", badConfig.path, "--db", db.path])
        XCTAssertEqual(bad.code, 64, bad.err)
        XCTAssertTrue(bad.err.contains("triplet.mining: unknown value 'batch-hardest', did you mean 'batch-hard'? (allowed: batch-hard, batch-all, random)"), bad.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: db.path), "a run was logged")
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("runs").path), "a run folder was made")
        let noSteps = try lookkit(["train", "embedder", "--config", "experiments/demo-embedder.yaml", "--steps", "0", "--db", db.path])
        XCTAssertEqual(noSteps.code, 64, noSteps.err)
        XCTAssertTrue(noSteps.err.contains("--steps must be positive, got 0"), noSteps.err)

        let notLookKit = work.appendingPathComponent("x.safetensors")
        try Data([1, 2, 3]).write(to: notLookKit)
        let eval = try lookkit(["eval", "embedder", "--checkpoint", notLookKit.path, "--images", work.path, "--labels", "x.csv"])
        XCTAssertNotEqual(eval.code, 0)
        XCTAssertTrue(eval.err.contains(notLookKit.path), eval.err)

        if !Device.cudaAvailable {
            let cuda = try lookkit(["train", "embedder", "--config", "experiments/demo-embedder.yaml", "--device", "cuda",
                                    "--db", work.appendingPathComponent("r.db").path])
            XCTAssertNotEqual(cuda.code, 0)
            XCTAssertTrue(cuda.err.contains("--device cuda: this libtorch has no usable CUDA"), cuda.err)
            XCTAssertLessThan(cuda.err.count, 400, "one line, not libtorch's dispatcher listing")
        }
    }
}
