import ArgumentParser
import Foundation
import LookKitCore
import Search

/// `lookkit index build|query`: nearest-neighbour search over embedding files.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index", abstract: "Build and query cosine-similarity indexes of embeddings.",
        discussion: """
            Vectors files are 2-D NumPy .npy arrays (float32 or float64, C order), one row per item, \
            e.g. np.save("gallery.npy", embeddings.astype(np.float32)). A metadata file is a CSV with a \
            header and one row per vector, in the same order; an optional `id` column gives integer ids \
            (otherwise ids are the row numbers from 0) and every other column becomes filterable metadata, \
            e.g. `id,gender,category`. An index at PATH is stored as PATH plus the sidecar PATH.json. \
            \(ErrorCategory.exitCodeTable)
            """,
        subcommands: [Build.self, Query.self])

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case exact, flat, ivf, hnsw
    }

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Index a vectors file (and its metadata).")
        @Option(help: "Vectors to index (.npy, rows × dimension).") var vectors: String
        @Option(help: "CSV metadata, one row per vector (optional `id` column).") var metadata: String?
        @Option(help: "exact (libtorch, exhaustive), flat (FAISS, exhaustive), ivf or hnsw (FAISS, approximate).")
        var kind: Kind = .exact
        @Option(help: "Where to write the index (the sidecar goes to <out>.json).") var out: String
        @Option(help: "IVF cells (default: 4·√rows, at most rows/39).") var nlist: Int?
        @Option(help: "IVF cells visited per query.") var nprobe = 16
        @Option(help: "HNSW neighbours per node.") var m = 32
        @Option(help: "HNSW candidates kept per query.") var efSearch = 64
        @Option(help: "HNSW candidates kept per insertion; higher links clusters better but builds slower.")
        var efConstruction = IndexKind.defaultEfConstruction

        func run() throws {
            try CatalogIndex.checkCanSave(to: URL(fileURLWithPath: out))
            let matrix = try NPY.read(URL(fileURLWithPath: vectors))
            try matrix.checkFinite(source: vectors)
            let (ids, items) = try metadata.map { try ItemMetadataCSV.read(URL(fileURLWithPath: $0), rows: matrix.rows) }
                ?? ((0..<matrix.rows).map(Int64.init), nil)
            let catalog = try CatalogIndex(kind: indexKind(rows: matrix.rows), dimension: matrix.columns)
            if let faiss = catalog.index as? FaissIndex, !faiss.isTrained {
                FileHandle.standardError.write(Data("training \(kind.rawValue) on \(matrix.rows) vectors…\n".utf8))
                try faiss.train(matrix.values)
            }
            var progress = ProgressBar(total: matrix.rows, label: "indexing", unit: "vec")
            for start in stride(from: 0, to: matrix.rows, by: 10_000) {
                let rows = start..<min(start + 10_000, matrix.rows)
                try catalog.add(Array(matrix.values[rows.lowerBound * matrix.columns..<rows.upperBound * matrix.columns]),
                                ids: Array(ids[rows]), metadata: items.map { Array($0[rows]) })
                progress.update(rows.upperBound)
            }
            try catalog.save(to: URL(fileURLWithPath: out))
            print("\(kind.rawValue) index of \(catalog.count) × \(catalog.dimension) written to \(out) (+ \(out).json)")
        }

        private func indexKind(rows: Int) -> IndexKind {
            switch kind {
            case .exact: return .exact
            case .flat: return .flat
            // k-means wants at least 39 training vectors per cell.
            case .ivf: return .ivf(nlist: nlist ?? max(1, min(Int(4 * Double(rows).squareRoot()), rows / 39)), nprobe: nprobe)
            case .hnsw: return .hnsw(m: m, efSearch: efSearch, efConstruction: efConstruction)
            }
        }
    }

    struct Query: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Nearest items to one or more query vectors.")
        @Option(help: "Index written by `lookkit index build`.") var index: String
        @Option(parsing: .unconditional, help: "One query vector, comma-separated.") var vector: String?
        @Option(help: "Query vectors (.npy, rows × dimension).") var vectors: String?
        @Option(help: "Results per query.") var k = 10
        @Option(help: "Only items with this metadata, key=value; repeat to combine (same key: any of the values).")
        var filter: [String] = []
        @Flag(help: "Print JSON instead of text.") var json = false

        func validate() throws {
            guard (vector == nil) != (vectors == nil) else { throw ValidationError("give exactly one of --vector or --vectors") }
            guard k > 0 else { throw ValidationError("--k must be positive") }
            do { _ = try MetadataFilter(parsing: filter) } catch { throw ValidationError(error.localizedDescription) }
        }

        func run() throws {
            let catalog = try CatalogIndex.load(from: URL(fileURLWithPath: index))
            let queries = try vectors.map { try NPY.read(URL(fileURLWithPath: $0)) } ?? parseVector(vector ?? "")
            try queries.checkFinite(source: vectors ?? "--vector")
            let results = try catalog.search(queries, from: vectors ?? "--vector", k: k,
                                             filter: filter.isEmpty ? nil : MetadataFilter(parsing: filter))
            print(json ? try jsonReport(results, catalog: catalog) : textReport(results, catalog: catalog))
        }

        /// One query row.
        private func parseVector(_ text: String) throws -> NPY.Matrix {
            let values = try text.split(separator: ",").map { part in
                guard let value = Float(part.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--vector: '\(part)' is not a number")
                }
                return value
            }
            return NPY.Matrix(values: values, rows: 1, columns: values.count)
        }

        private func textReport(_ results: [[SearchHit]], catalog: CatalogIndex) -> String {
            results.enumerated().map { q, hits in
                (["query \(q):"] + hits.enumerated().map { rank, hit in
                    let labels = (catalog.metadata[hit.id] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                    return String(format: "%4d. id %-10lld %.4f  ", rank + 1, hit.id, hit.score) + labels.joined(separator: " ")
                }).joined(separator: "\n")
            }.joined(separator: "\n")
        }

        private func jsonReport(_ results: [[SearchHit]], catalog: CatalogIndex) throws -> String {
            struct Hit: Encodable { let id: Int64; let score: Float; let metadata: [String: String] }
            struct Result: Encodable { let query: Int; let hits: [Hit] }
            let report = results.enumerated().map { q, hits in
                Result(query: q, hits: hits.map { Hit(id: $0.id, score: $0.score, metadata: catalog.metadata[$0.id] ?? [:]) })
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            return String(decoding: try encoder.encode(report), as: UTF8.self)
        }
    }
}
