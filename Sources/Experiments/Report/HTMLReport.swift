import LookKitCore

/// A self-contained HTML page assembled from sections: headings, tables, SVG charts and
/// retrieval grids. No scripts, no external resources.
public struct HTMLReport: Sendable {
    public var title: String
    private var sections: [String] = []

    public init(title: String) { self.title = title }

    public mutating func heading(_ text: String) { sections.append("<h2>\(htmlEscaped(text))</h2>") }
    public mutating func paragraph(_ text: String) { sections.append("<p>\(htmlEscaped(text))</p>") }

    /// The table as HTML, with its markdown form in a collapsible block for copying.
    public mutating func table(_ table: MarkdownTable, caption: String? = nil) {
        let title = caption.map { "<h3>\(htmlEscaped($0))</h3>\n" } ?? ""
        sections.append(title + table.html + "\n<details><summary>markdown</summary><pre>\(htmlEscaped(table.markdown))</pre></details>")
    }

    public mutating func charts(_ charts: [LineChart]) {
        guard !charts.isEmpty else { return }
        sections.append("<div class=\"charts\">\n" + charts.map(\.svg).joined(separator: "\n") + "\n</div>")
    }

    public mutating func grid(_ grid: RetrievalGrid) {
        sections.append("<h3>\(htmlEscaped(grid.title))</h3>\n" + grid.html)
    }

    /// Pictures side by side (e.g. photos with their detections drawn); `source` is relative to the page.
    public mutating func pictures(_ title: String, _ pictures: [(source: String, caption: String)]) {
        let figures = pictures.map { picture in
            #"<figure><img class="picture" src="\#(htmlEscaped(picture.source))" alt="\#(htmlEscaped(picture.caption))">"#
                + "<figcaption>\(htmlEscaped(picture.caption))</figcaption></figure>"
        }
        sections.append("<h3>\(htmlEscaped(title))</h3>\n<div class=\"pictures\">\n" + figures.joined(separator: "\n") + "\n</div>")
    }

    /// HTML made elsewhere (a recommendation's photo and product rows), added as it is.
    public mutating func fragment(_ html: String) { sections.append(html) }

    public var html: String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>\(htmlEscaped(title))</title>
        <style>
        body { font-family: sans-serif; margin: 24px; color: #222; background: #fff; }
        table { border-collapse: collapse; margin: 8px 0 4px; }
        th, td { border: 1px solid #bbb; padding: 4px 10px; text-align: left; }
        td { font-variant-numeric: tabular-nums; }
        th { background: #eef2f7; }
        details { margin-bottom: 16px; color: #555; }
        .charts { display: flex; flex-wrap: wrap; }
        .charts svg { margin: 6px 12px 6px 0; border: 1px solid #ddd; }
        .grid-row { display: flex; gap: 6px; margin: 6px 0; align-items: center; }
        .thumb { width: 88px; height: 88px; object-fit: cover; border: 4px solid #ccc; font-size: 9px; overflow: hidden; }
        .thumb.query { border-color: #1f4e99; margin-right: 14px; }
        .thumb.correct { border-color: #2ca02c; }
        .thumb.wrong { border-color: #d62728; }
        .pictures { display: flex; flex-wrap: wrap; gap: 8px; }
        .pictures figure { margin: 0; font-size: 11px; color: #555; }
        .picture { height: 260px; border: 1px solid #ddd; }
        .look { display: flex; gap: 24px; align-items: flex-start; margin-bottom: 32px; }
        .look svg { border: 1px solid #ddd; flex: none; }
        .products h4 { margin: 10px 0 4px; }
        .product-row { display: flex; gap: 6px; }
        .product-row figure { margin: 0; width: 96px; font-size: 10px; color: #555; overflow-wrap: anywhere; }
        .product-row img { width: 96px; height: 96px; object-fit: contain; border: 1px solid #ddd; background: #fff; }
        </style>
        </head>
        <body>
        <h1>\(htmlEscaped(title))</h1>
        \(sections.joined(separator: "\n"))
        </body>
        </html>

        """
    }
}
