/// A group of items that must stay together in one split: an outfit or a scene.
public protocol ItemGroup: Sendable {
    var groupID: String { get }
    var memberIDs: [String] { get }
    /// The group restricted to the given members.
    func keeping(_ members: Set<String>) -> Self
}

extension Outfit: ItemGroup {
    public var groupID: String { id }
    public var memberIDs: [String] { items.map(\.id) }
    public func keeping(_ members: Set<String>) -> Outfit { Outfit(id: id, items: items.filter { members.contains($0.id) }) }
}

extension Scene: ItemGroup {
    public var groupID: String { id }
    public var memberIDs: [String] { items.map(\.productID) }
    public func keeping(_ members: Set<String>) -> Scene {
        Scene(id: id, image: image, items: items.filter { members.contains($0.productID) })
    }
}

/// FNV-1a over the seed and a string: a hash that, unlike Swift's Hasher, is the same in every process.
func stableHash(_ text: String, seed: UInt64) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    return hash
}

/// A uniform number in [0, 1) fixed by the seed and the text.
func stableUniform(_ text: String, seed: UInt64) -> Double {
    var generator = SeededGenerator(seed: stableHash(text, seed: seed))
    return Double(generator.next() >> 11) / Double(1 << 53)
}

/// Which split a key falls in, by a seeded hash: stable when other keys are added or removed.
func splitIndex(of key: String, _ fractions: [(name: String, share: Double)], seed: UInt64) -> Int {
    var u = stableUniform(key, seed: seed) * fractions.map(\.share).reduce(0, +)
    return fractions.firstIndex { u -= $0.share; return u < 0 } ?? fractions.count - 1
}

/// Labelled images split so that all images of one group (e.g. one sender's photos) share a
/// split; images without a group are placed by their file path.
public func splitByGroup(_ records: [LabeledImage], fractions: [(name: String, share: Double)],
                         seed: UInt64) -> [(name: String, records: [LabeledImage])] {
    var splits = fractions.map { (name: $0.name, records: [LabeledImage]()) }
    for record in records { splits[splitIndex(of: record.group ?? record.url.path, fractions, seed: seed)].records.append(record) }
    return splits
}

/// Assigns groups to splits by a seeded hash of their id (stable when groups are added), then
/// removes leakage: an item belongs to the first split (in `fractions` order) that uses it, later
/// splits drop it from their groups, and groups left with fewer than `minMembers` are dropped.
public func splitWithoutLeakage<G: ItemGroup>(_ groups: [G], fractions: [(name: String, share: Double)], seed: UInt64,
                                              minMembers: Int = 2) -> [(name: String, groups: [G])] {
    var assigned = fractions.map { (name: $0.name, groups: [G]()) }
    for group in groups { assigned[splitIndex(of: group.groupID, fractions, seed: seed)].groups.append(group) }
    var owned = Set<String>()
    return assigned.map { split in
        let kept = split.groups.compactMap { group -> G? in
            let free = Set(group.memberIDs.filter { !owned.contains($0) })
            let trimmed = free.count == group.memberIDs.count ? group : group.keeping(free)
            return trimmed.memberIDs.count >= minMembers ? trimmed : nil
        }
        owned.formUnion(kept.flatMap(\.memberIDs))
        return (split.name, kept)
    }
}
