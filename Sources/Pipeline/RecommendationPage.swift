import Datasets
import Experiments
import Foundation
import LookKitCore

/// `lookkit recommend --html`: per photo, the photo with its garments boxed, then one row of product
/// thumbnails per garment and per complementary category. One self-contained file (data URIs).
public struct RecommendationPage {
    /// Longest side of the photo as shown, and of each thumbnail.
    public var photoSide = 520, thumbnailSide = 96
    private let productImage: (String) -> URL?
    private var report: HTMLReport

    public init(title: String = "LookKit: buy me that look", productImage: @escaping (String) -> URL?) {
        self.productImage = productImage
        report = HTMLReport(title: title)
    }

    public mutating func add(_ result: Recommendation, photo: Image) throws {
        report.fragment("<h2>\(htmlEscaped(result.photo))</h2>\n<p>\(htmlEscaped(Self.summary(result)))</p>")
        let rows = result.articles.enumerated().map { i, article in
            ("\(i + 1). \(article.class) (\(String(format: "%.2f", article.score))) — similar", article.similar)
        } + result.completeTheLook.map { ("complete the look: \($0.category)", $0.items) }
        report.fragment("<div class=\"look\">\(try boxedPhoto(photo, result.articles))<div class=\"products\">"
                        + rows.map { title, products in "<h4>\(htmlEscaped(title))</h4>" + productRow(products) }.joined()
                        + "</div></div>")
    }

    public var html: String { report.html }

    /// One line a person reads first: pose verdict, gender, garments, timing.
    public static func summary(_ r: Recommendation) -> String {
        let pose = r.pose.accepted ? "pose ok" : "pose rejected: \(r.pose.reason)"
        let gender = r.gender.map { "\($0.label) (\(String(format: "%.2f", $0.score)))" } ?? "gender not read"
        let garments = r.articles.isEmpty ? "no garment found" : r.articles.map(\.class).joined(separator: ", ")
        let complementary = r.completeTheLook.map(\.category).joined(separator: ", ")
        return "\(pose) · \(gender) · \(garments)" + (complementary.isEmpty ? "" : " · completes with \(complementary)")
            + " · \(Int(r.timingsMs["total"] ?? 0)) ms"
    }

    private func boxedPhoto(_ photo: Image, _ articles: [Recommendation.Article]) throws -> String {
        let scale = min(1, Double(photoSide) / Double(max(photo.width, photo.height)))
        let (w, h) = (max(1, Int(Double(photo.width) * scale)), max(1, Int(Double(photo.height) * scale)))
        let shown = try photo.resized(width: w, height: h).encoded(as: .jpeg, quality: 85)
        let boxes = articles.enumerated().map { i, a -> String in
            let b = a.box.map { Double($0) * scale }
            return String(format: ##"<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="none" stroke="#e6194b" stroke-width="2"/>"##, b[0], b[1], b[2] - b[0], b[3] - b[1])
                + String(format: ##"<text x="%.1f" y="%.1f" fill="#fff" stroke="#e6194b" stroke-width="3" paint-order="stroke" font-size="13">"##, b[0] + 3, b[1] + 14)
                + "\(i + 1). \(htmlEscaped(a.class))</text>"
        }
        return #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(w)" height="\#(h)"><image href="\#(imageDataURI(Data(shown), type: "image/jpeg"))" width="\#(w)" height="\#(h)"/>"#
            + boxes.joined() + "</svg>"
    }

    private func productRow(_ products: [Recommendation.Product]) -> String {
        guard !products.isEmpty else { return "<p>no product of this category and gender in the catalog</p>" }
        return "<div class=\"product-row\">" + products.map { p in
            let caption = htmlEscaped("\(p.id) · \(p.category) · \(p.gender) · \(String(format: "%.2f", p.score))")
            let source = thumbnail(p.id).map { #"<img src="\#($0)" alt="\#(caption)">"# } ?? "<div>\(caption)</div>"
            return "<figure>\(source)<figcaption>\(caption)</figcaption></figure>"
        }.joined() + "</div>"
    }

    /// The product's photo shrunk to the thumbnail side (a page of full-size catalog photos is heavy).
    private func thumbnail(_ id: String) -> String? {
        guard let url = productImage(id), let image = try? Image(contentsOf: url) else { return nil }
        let scale = min(1, Double(thumbnailSide) / Double(max(image.width, image.height)))
        guard let small = try? image.resized(width: max(1, Int(Double(image.width) * scale)), height: max(1, Int(Double(image.height) * scale))),
              let bytes = try? small.encoded(as: .jpeg, quality: 85) else { return nil }
        return imageDataURI(Data(bytes), type: "image/jpeg")
    }
}
