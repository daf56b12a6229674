import LookKitCore

/// Anchor and positive come from the same outfit (different categories); the negative is an
/// item of the positive's category from another outfit (GaTech "Complete the Look" triplets).
public struct OutfitTriplet: Sendable, Hashable {
    public let outfitID: String
    public let anchor, positive, negative: OutfitItem
}

/// An outfit with one item blanked: `answers[correct]` is the removed item, the other three are
/// items of the same category from other outfits.
public struct FITBQuestion: Sendable, Hashable {
    public let outfitID: String
    public let context: [OutfitItem]
    public let answers: [OutfitItem]
    public let correct: Int
}

/// A scene with the positive product's box to be masked, and a product from another scene (by
/// default of the same category) as the negative (Kang et al.'s scene-based complementary triplets).
public struct SceneTriplet: Sendable, Hashable {
    public let scene: Scene
    public let positive: SceneItem
    public let negativeScene: Scene
    public let negative: SceneItem
}

/// Items indexed by category, with the groups each item belongs to, for drawing negatives.
struct CategoryPool<Item: Hashable> {
    var byCategory: [String: [Item]] = [:]

    init(_ items: [(category: String, item: Item)]) {
        var seen = Set<Item>()
        for (category, item) in items where seen.insert(item).inserted { byCategory[category, default: []].append(item) }
    }

    /// Up to `count` distinct items of `category` not in `excluded`, drawn without bias.
    func draw<G: RandomNumberGenerator>(_ count: Int, of category: String, excluding excluded: Set<Item>,
                                        using generator: inout G) -> [Item] {
        let candidates = byCategory[category] ?? []
        var picked: [Item] = [], tried = Set<Int>()
        // Rejection sampling stays cheap because exclusions are a handful of items.
        while picked.count < count, tried.count < candidates.count {
            let index = Int.random(in: 0..<candidates.count, using: &generator)
            guard tried.insert(index).inserted else { continue }
            if !excluded.contains(candidates[index]) { picked.append(candidates[index]) }
        }
        return picked
    }
}

/// Every (anchor, positive) pair of different categories in each outfit, each with a random
/// negative; `maxPerOutfit` caps how many are kept per outfit (chosen at random).
public func outfitTriplets(_ outfits: [Outfit], seed: UInt64, maxPerOutfit: Int? = nil) -> [OutfitTriplet] {
    let pool = CategoryPool(outfits.flatMap { $0.items.map { ($0.category, $0) } })
    var triplets: [OutfitTriplet] = []
    for (index, outfit) in outfits.enumerated() {
        var generator = SeededGenerator.derived(seed, index)
        var pairs = outfit.items.flatMap { a in outfit.items.filter { $0.category != a.category }.map { (a, $0) } }
        if let cap = maxPerOutfit, pairs.count > cap { pairs.shuffle(using: &generator); pairs = Array(pairs.prefix(cap)) }
        let own = Set(outfit.items)
        for (anchor, positive) in pairs {
            guard let negative = pool.draw(1, of: positive.category, excluding: own, using: &generator).first else { continue }
            triplets.append(OutfitTriplet(outfitID: outfit.id, anchor: anchor, positive: positive, negative: negative))
        }
    }
    return triplets
}

/// Up to `blanksPerOutfit` questions per outfit of at least `minItems` items (blanks drawn at random,
/// each needing three distractors of its category from other outfits). More blanks per outfit give a
/// validation number with a narrower interval from the same few held-out outfits.
public func fillInTheBlank(_ outfits: [Outfit], seed: UInt64, minItems: Int = 3, blanksPerOutfit: Int = 1) -> [FITBQuestion] {
    let pool = CategoryPool(outfits.flatMap { $0.items.map { ($0.category, $0) } })
    return outfits.enumerated().flatMap { index, outfit -> [FITBQuestion] in
        guard outfit.items.count >= minItems else { return [] }
        var generator = SeededGenerator.derived(seed, index)
        let blanks = outfit.items.indices.shuffled(using: &generator).prefix(blanksPerOutfit)
        return blanks.compactMap { blank in
            let answer = outfit.items[blank]
            let distractors = pool.draw(3, of: answer.category, excluding: Set(outfit.items), using: &generator)
            guard distractors.count == 3 else { return nil }
            let answers = ([answer] + distractors).shuffled(using: &generator)
            var context = outfit.items
            context.remove(at: blank)
            return FITBQuestion(outfitID: outfit.id, context: context, answers: answers, correct: answers.firstIndex(of: answer)!)
        }
    }
}

/// One triplet per scene item with a negative elsewhere: an item of the same category from another
/// scene, or with `sameCategory: false` any item of another scene (an easier task: shape alone tells).
public func sceneTriplets(_ scenes: [Scene], seed: UInt64, sameCategory: Bool = true) -> [SceneTriplet] {
    struct Placed: Hashable { let scene: Int, item: Int }
    let key = { (item: SceneItem) in sameCategory ? item.category : "" }
    let pool = CategoryPool(scenes.enumerated().flatMap { s, scene in
        scene.items.indices.map { (key(scene.items[$0]), Placed(scene: s, item: $0)) }
    })
    var triplets: [SceneTriplet] = []
    for (s, scene) in scenes.enumerated() {
        var generator = SeededGenerator.derived(seed, s)
        let own = Set(scene.items.indices.map { Placed(scene: s, item: $0) })
        for positive in scene.items {
            // Other scenes' copies of the same product are not negatives either.
            let same = Set(pool.byCategory[key(positive), default: []].filter { scenes[$0.scene].items[$0.item].productID == positive.productID })
            guard let n = pool.draw(1, of: key(positive), excluding: own.union(same), using: &generator).first else { continue }
            triplets.append(SceneTriplet(scene: scene, positive: positive, negativeScene: scenes[n.scene],
                                         negative: scenes[n.scene].items[n.item]))
        }
    }
    return triplets
}

extension DetectionDataset {
    /// Each image (of a split, else all) as a scene whose items are its boxes (category = class name).
    public func scenes(_ split: String? = nil) -> [Scene] { scenes(of: split.map(samples) ?? allSamples) }

    public func scenes(of samples: [DetectionSample]) -> [Scene] {
        samples.map { sample in
            Scene(id: sample.id, image: sample.image, items: sample.boxes.enumerated().map { i, box in
                SceneItem(productID: "\(sample.id)#\(i)", category: names[box.classID], box: box.box)
            })
        }
    }
}
