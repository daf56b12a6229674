/// "1 photo", "2 photos", "0 problems": a count with its noun in the right number.
/// `plural` is for nouns that do not just take an "s" ("1 class", "3 classes").
public func counted(_ count: Int, _ singular: String, plural: String? = nil) -> String {
    "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
}
