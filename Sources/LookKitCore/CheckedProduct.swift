/// The product of sizes a file declares (dimensions, counts, element widths), or nil when one is
/// negative or the product overflows: binary readers check sizes with it before trusting them.
public func checkedProduct(_ factors: [Int]) -> Int? {
    var product = 1
    for factor in factors {
        guard factor >= 0 else { return nil }
        let (next, overflow) = product.multipliedReportingOverflow(by: factor)
        if overflow { return nil }
        product = next
    }
    return product
}

public func checkedProduct(_ factors: Int...) -> Int? { checkedProduct(factors) }
