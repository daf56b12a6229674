/// A fixed, seeded split that keeps every class's share: within each label the records are shuffled
/// with `seed` and the first `heldOutShare` of them are held out. The same inputs always give the
/// same split, so evaluation numbers from different runs are comparable.
public func stratifiedSplit(_ records: [LabeledImage], heldOutShare: Double, seed: UInt64)
    -> (train: [LabeledImage], heldOut: [LabeledImage]) {
    var train: [LabeledImage] = [], heldOut: [LabeledImage] = []
    for (index, label) in Set(records.map(\.label)).sorted().enumerated() {
        var generator = SeededGenerator.derived(seed, index)
        let members = records.filter { $0.label == label }.sorted { $0.url.path < $1.url.path }.shuffled(using: &generator)
        let cut = Int((Double(members.count) * heldOutShare).rounded())
        heldOut += members.prefix(cut)
        train += members.dropFirst(cut)
    }
    return (train, heldOut)
}
