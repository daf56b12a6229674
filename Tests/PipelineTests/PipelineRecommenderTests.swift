import Datasets
import Foundation
import LookKitCore
import Pipeline
import Search
import TestSupport
import XCTest

final class PipelineRecommenderTests: XCTestCase {
    private func recommender(pose: Recommendation.PoseVerdictJSON? = nil) throws -> (PipelineRecommender, DemoModels.Loaded) {
        let demo = try DemoModels.shared()
        let f = demo.files
        let recommender = try PipelineRecommender(
            catalog: Catalog(folder: demo.catalog), detector: GarmentDetector(checkpoint: f.detector),
            gender: PersonGender(classifier: PhotoNetwork(checkpoint: f.gender, for: .classification)),
            embedder: PhotoNetwork(checkpoint: f.embedder, for: .embedding), style: StyleSides(checkpoint: f.style),
            pose: pose.map { FixedPose(verdict: $0) })
        return (recommender, demo)
    }

    private var photos: [(name: String, image: Image)] {
        get throws {
            try imageFiles(under: DemoModels.bundle.appendingPathComponent("photos")).map { ($0.lastPathComponent, try Image(contentsOf: $0)) }
        }
    }

    /// The catalog's answer for a product's own photo equals a brute-force cosine ranking over the
    /// stored vectors of every allowed group, and finds the product itself first.
    func testCatalogSearchEqualsBruteForceCosineOverTheAllowedGroups() throws {
        let (recommender, demo) = try recommender()
        let catalog = recommender.catalog
        for record in demo.records.filter({ ["Tshirts", "Trousers", "Casual Shoes"].contains($0.category) }).prefix(6) {
            let query = try recommender.embedder.outputs([try Image(contentsOf: record.image)]).floats()
            let genders: Set<String> = [record.gender == "Unisex" ? "Men" : record.gender, "Unisex"]
            let hits = try catalog.similar(to: query, categories: [record.category], genders: genders, k: 5)
            let allowed = catalog.rows(categories: [record.category], genders: genders)
            var brute: [(Int, Float)] = []
            for row in allowed {
                let stored = try catalogVector(row, demo)
                brute.append((row, zip(stored, query).map(*).reduce(0, +) / norm(query)))
            }
            brute.sort { $0.1 > $1.1 }
            XCTAssertEqual(hits.map(\.row), brute.prefix(5).map(\.0), record.id)
            for (hit, expected) in zip(hits, brute) { XCTAssertEqual(hit.score, expected.1, accuracy: 1e-4) }
            XCTAssertEqual(catalog.products[hits[0].row].id, record.id, "a product's own photo finds itself first")
            XCTAssertGreaterThan(hits[0].score, 0.99)
        }
    }

    /// Every similar product is of the wearer's gender or Unisex and of a category the garment's class
    /// maps to; complementary groups are classes the photo does not show, of the right gender too.
    func testRecommendationsNeverCrossGenderAndStayInTheMappedCategories() throws {
        let (recommender, _) = try recommender()
        let map = recommender.catalog.categoryMap
        var articles = 0
        let catalogPhotos = try [("product dress", Image(contentsOf: DemoModels.bundle.appendingPathComponent("clothing/train/dress").appendingPathComponent(
            try FileManager.default.contentsOfDirectory(atPath: DemoModels.bundle.appendingPathComponent("clothing/train/dress").path).sorted()[0])))]
        for (name, photo) in try photos + catalogPhotos {
            for source in GenderSource.allCases {
                recommender.genderSource = source
                let result = try recommender.recommend(photo, name: name, options: RecommendOptions(k: 3, poseGate: .off))
                let gender = try XCTUnwrap(result.gender, name)
                XCTAssertTrue(["Men", "Women"].contains(gender.label))
                XCTAssertTrue((0.5...1).contains(gender.score), "\(gender)")
                for article in result.articles {
                    articles += 1
                    XCTAssertLessThanOrEqual(article.similar.count, 3)
                    XCTAssertEqual(article.box.count, 4)
                    XCTAssertTrue(article.box[0] >= 0 && article.box[2] <= Float(photo.width) && article.box[0] < article.box[2], "\(article.box)")
                    for product in article.similar {
                        XCTAssertTrue([gender.label, "Unisex"].contains(product.gender), "\(name): \(product) for a \(gender.label) wearer")
                        XCTAssertTrue(map.categories(of: article.class).contains(product.category), "\(name): \(product) for a \(article.class)")
                    }
                    XCTAssertEqual(article.similar.map(\.score), article.similar.map(\.score).sorted(by: >))
                }
                let shown = Set(result.articles.map(\.class))
                for group in result.completeTheLook {
                    XCTAssertFalse(shown.contains(group.category), "\(group.category) is already worn")
                    for item in group.items {
                        XCTAssertTrue([gender.label, "Unisex"].contains(item.gender))
                        XCTAssertTrue(map.categories(of: group.category).contains(item.category))
                    }
                    XCTAssertEqual(group.items.map(\.score), group.items.map(\.score).sorted(by: >))
                }
                XCTAssertFalse(result.completeTheLook.isEmpty, "the demo catalog has categories the photo does not show")
                for stage in ["pose", "detect", "gender", "embed", "search", "style", "total"] { XCTAssertNotNil(result.timingsMs[stage], stage) }
            }
        }
        XCTAssertGreaterThan(articles, 0, "the demo detector finds garments in the demo photos")
    }

    func testTheJSONHasTheDocumentedKeys() throws {
        let result = Recommendation(photo: "a.jpg", pose: .init(accepted: false, fullShot: false, frontFacing: true, reason: "not a full shot: no ankle"),
                                    gender: .init(label: "Women", score: 0.75),
                                    articles: [.init(class: "shoe", score: 0.5, box: [1, 2, 3, 4], similar: [.init(id: "7", score: 0.9, gender: "Unisex", category: "Heels")])],
                                    completeTheLook: [.init(category: "bag", items: [])], timingsMs: ["total": 12.5])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as? [String: Any])
        XCTAssertEqual(Set(object.keys), ["photo", "pose", "gender", "articles", "complete_the_look", "timings_ms"])
        XCTAssertEqual(Set((object["pose"] as? [String: Any])?.keys ?? [:].keys), ["accepted", "full_shot", "front_facing", "reason"])
        let article = try XCTUnwrap((object["articles"] as? [[String: Any]])?.first)
        XCTAssertEqual(Set(article.keys), ["class", "score", "box", "similar"])
        XCTAssertEqual(Set(((article["similar"] as? [[String: Any]])?.first ?? [:]).keys), ["id", "score", "gender", "category"])
        XCTAssertEqual(try JSONDecoder().decode(Recommendation.self, from: JSONEncoder().encode(result)), result)
    }

    /// A photo the enforced gate rejects gets its verdict and nothing else; warn goes on regardless.
    func testARejectedPoseStopsOnlyWhenEnforced() throws {
        let rejected = Recommendation.PoseVerdictJSON(accepted: false, fullShot: false, frontFacing: true, reason: "not a full shot: left ankle not found")
        let (recommender, _) = try recommender(pose: rejected)
        let photo = try photos[0].image
        let enforced = try recommender.recommend(photo, name: "p", options: RecommendOptions(k: 2, poseGate: .enforce))
        XCTAssertEqual(enforced.pose, rejected)
        XCTAssertNil(enforced.gender)
        XCTAssertTrue(enforced.articles.isEmpty && enforced.completeTheLook.isEmpty)
        let warned = try recommender.recommend(photo, name: "p", options: RecommendOptions(k: 2, poseGate: .warn))
        XCTAssertEqual(warned.pose, rejected)
        XCTAssertNotNil(warned.gender)
        let (noGate, _) = try self.recommender()
        XCTAssertThrowsError(try noGate.recommend(photo, name: "p", options: RecommendOptions(k: 2, poseGate: .warn))) { error in
            XCTAssertTrue("\(error)".contains("no keypoint model"), "\(error)")
        }
    }

    /// Requests from several threads get exactly the answers they get one at a time.
    func testConcurrentRequestsGetTheirOwnAnswers() throws {
        let (recommender, _) = try recommender()
        let inputs = try photos
        let options = RecommendOptions(k: 3, poseGate: .off)
        let sequential = try inputs.map { try recommender.recommend($0.image, name: $0.name, options: options) }
        let jobs = Array(inputs.indices) + Array(inputs.indices)
        let results = UnsafeMutableResults(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            results.set(i, Result { try recommender.recommend(inputs[jobs[i]].image, name: inputs[jobs[i]].name, options: options) })
        }
        for (i, job) in jobs.enumerated() {
            var got = try results.get(i).get(), expected = sequential[job]
            (got.timingsMs, expected.timingsMs) = ([:], [:])
            XCTAssertEqual(got, expected, inputs[job].name)
        }
    }

    func testACatalogIsOnlyUsedWithTheEmbedderThatBuiltIt() throws {
        let demo = try DemoModels.shared()
        let other = demo.work.appendingPathComponent("other-embedder.safetensors")
        try? FileManager.default.removeItem(at: other)
        try FileManager.default.copyItem(at: demo.files.style, to: other)
        XCTAssertThrowsError(try PipelineRecommender.checkBuiltWith(Catalog(folder: demo.catalog), embedder: other, style: nil)) { error in
            XCTAssertTrue("\(error)".contains("was built with the embedder"), "\(error)")
        }
        XCTAssertNoThrow(try PipelineRecommender.checkBuiltWith(Catalog(folder: demo.catalog), embedder: demo.files.embedder, style: demo.files.style))
    }

    /// An unreadable product photo is skipped and named; an existing catalog is never overwritten.
    func testCatalogBuildSkipsUnreadablePhotosAndNeverOverwrites() throws {
        let demo = try DemoModels.shared()
        let folder = demo.work.appendingPathComponent("bad-build-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let broken = folder.appendingPathComponent("broken.jpg")
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]).write(to: broken)
        let records = Array(demo.records.prefix(3)) + [CatalogRecord(id: "broken", image: broken, gender: "Men", category: "Tshirts")]
        let out = folder.appendingPathComponent("catalog")
        let summary = try CatalogBuilder().build(records, embedder: PhotoNetwork(checkpoint: demo.files.embedder, for: .embedding), style: nil, out: out)
        XCTAssertEqual(summary.products, 3)
        XCTAssertEqual(summary.skipped.map(\.image), [broken.path])
        XCTAssertEqual(try Catalog(folder: out).products.map(\.id), records.prefix(3).map(\.id))
        XCTAssertThrowsError(try CatalogBuilder().build(records, embedder: PhotoNetwork(checkpoint: demo.files.embedder, for: .embedding), style: nil, out: out)) { error in
            XCTAssertTrue("\(error)".contains("already exists"), "\(error)")
        }
        XCTAssertEqual(try Catalog(folder: out).products.count, 3, "the existing catalog is untouched")
    }

    func testThePageShowsEveryGarmentBoxAndAThumbnailPerProduct() throws {
        let (recommender, _) = try recommender()
        let (name, photo) = try photos[0]
        let result = try recommender.recommend(photo, name: name, options: RecommendOptions(k: 2, poseGate: .off))
        var page = RecommendationPage(productImage: recommender.productImageURL)
        try page.add(result, photo: photo)
        let html = page.html
        XCTAssertEqual(html.components(separatedBy: "<rect ").count - 1, result.articles.count)
        let products = result.articles.map(\.similar.count).reduce(0, +) + result.completeTheLook.map(\.items.count).reduce(0, +)
        XCTAssertEqual(html.components(separatedBy: "<img src=\"data:image/jpeg;base64,").count - 1, products)
        XCTAssertTrue(html.contains(htmlEscaped(name)))
    }

    private func catalogVector(_ row: Int, _ demo: DemoModels.Loaded) throws -> [Float] {
        try DemoVectors.vector(row: row, catalog: demo.catalog)
    }

    private func norm(_ v: [Float]) -> Float { v.map { $0 * $0 }.reduce(0, +).squareRoot() }
}

/// Stored (normalised) vectors of a catalog's rows, read back from its group indexes.
enum DemoVectors {
    static func vector(row: Int, catalog: URL) throws -> [Float] {
        let folder = catalog.appendingPathComponent("indexes")
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".index") {
            let index = try CatalogIndex.load(from: folder.appendingPathComponent(file))
            if index.metadata[Int64(row)] != nil { return try index.index.vectors(of: [Int64(row)]) }
        }
        throw MalformedFile(file: catalog.path, reason: "row \(row) is in no index")
    }
}

/// Results written from concurrent iterations, each to its own slot.
final class UnsafeMutableResults: @unchecked Sendable {
    private var slots: [Result<Recommendation, Error>?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<Recommendation, Error>) { lock.withLock { slots[i] = r } }
    func get(_ i: Int) -> Result<Recommendation, Error> { lock.withLock { slots[i]! } }
}
