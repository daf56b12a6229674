import Foundation

/// Metric values in tables: 4 significant decimals, integers without a fraction.
public func formatMetric(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return String(format: abs(value) >= 1e5 || abs(value) < 1e-3 ? "%.4g" : "%.4f", value)
}

/// SVG coordinates with 2 decimals (keeps files small).
func coordinate(_ value: Double) -> String { String(format: "%.2f", value) }
