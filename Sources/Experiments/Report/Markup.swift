import Foundation

/// Metric values in tables: 4 significant decimals, integers without a fraction.
public func formatMetric(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return String(format: abs(value) >= 1e5 || abs(value) < 1e-3 ? "%.4g" : "%.4f", value)
}

/// SVG coordinates with 2 decimals (keeps files small).
func coordinate(_ value: Double) -> String { String(format: "%.2f", value) }

/// An image file's bytes as a data URI (pages stay one self-contained file), or nil when unreadable.
public func imageDataURI(_ path: String) -> String? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    return imageDataURI(data, type: imageMediaTypes[URL(fileURLWithPath: path).pathExtension.lowercased()] ?? "application/octet-stream")
}

public func imageDataURI(_ bytes: Data, type: String) -> String { "data:\(type);base64,\(bytes.base64EncodedString())" }

private let imageMediaTypes = ["jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif",
                               "webp": "image/webp", "bmp": "image/bmp", "svg": "image/svg+xml"]
