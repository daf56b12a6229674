import Foundation
import LookKitCore

/// Query images and their top-k results, correct ones framed green and wrong ones red.
/// Images are embedded as data URIs so the report stays one self-contained file.
public struct RetrievalGrid: Sendable {
    public struct Row: Sendable {
        public var query: String
        public var results: [(path: String, correct: Bool)]
        public init(query: String, results: [(path: String, correct: Bool)]) { (self.query, self.results) = (query, results) }
    }

    public var title: String
    public var rows: [Row]

    public init(title: String, rows: [Row]) { (self.title, self.rows) = (title, rows) }

    public var html: String {
        var cache: [String: String] = [:]
        func image(_ path: String, _ kind: String) -> String {
            let source = cache[path] ?? imageDataURI(path)
            cache[path] = source
            let name = htmlEscaped(URL(fileURLWithPath: path).lastPathComponent)
            guard let source else { return #"<div class="thumb \#(kind) missing" title="\#(name)">\#(name)</div>"# }
            return #"<img class="thumb \#(kind)" src="\#(source)" title="\#(name)" alt="\#(name)">"#
        }
        let body = rows.map { row in
            #"<div class="grid-row">"# + image(row.query, "query")
                + row.results.map { image($0.path, $0.correct ? "correct" : "wrong") }.joined() + "</div>"
        }
        return "<div class=\"retrieval\">\n" + body.joined(separator: "\n") + "\n</div>"
    }
}
