import Foundation
import XCTest
@testable import Datasets

/// A fresh temporary folder removed when the test ends.
func temporaryFolder(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lookkit-data-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

func write(_ text: String, to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
}

/// An image whose pixel (x, y) is (x*s, y*s, 0) mod 256, so positions can be read back from colours.
func gradientImage(width: Int, height: Int, step: Int = 1) throws -> Image {
    var pixels = [UInt8]()
    for y in 0..<height { for x in 0..<width { pixels += [UInt8((x * step) % 256), UInt8((y * step) % 256), 0] } }
    return try Image(width: width, height: height, pixels: pixels)
}

/// A solid-colour JPEG written to `url` (a stand-in for a product photo).
@discardableResult
func writeSolidJPEG(_ url: URL, width: Int = 32, height: Int = 40, color: (UInt8, UInt8, UInt8) = (200, 30, 30)) throws -> Image {
    let image = try Image(width: width, height: height, fill: color)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try image.write(to: url)
    return image
}

/// A data.yaml dataset with one bad row of each kind, a label without image and an image without label.
func makeBrokenYOLO(_ test: XCTestCase) throws -> (yaml: URL, labels: URL) {
let root = try temporaryFolder(test)
    for name in ["a", "b", "orphan"] { try writeSolidJPEG(root.appendingPathComponent("train/images/\(name).jpg")) }
    let labels = root.appendingPathComponent("train/labels")
    try write("0 0.5 0.5 0.2 0.2\n1 0.25 0.25 0.5 0.5", to: labels.appendingPathComponent("a.txt"))
    try write("""
        0 0.5 0.5 0.2 0.2
        0 0.5 abc 0.2 0.2
        0 0.9 0.5 0.4 0.2
        7 0.5 0.5 0.2 0.2
        1 0.5 0.5 0 0.2
        0  0.5 0.5 0.2 0.2
        2 0.5 0.5
        """, to: labels.appendingPathComponent("b.txt"))
    try write("0 0.5 0.5 0.1 0.1\n", to: labels.appendingPathComponent("ghost.txt"))
    let yaml = root.appendingPathComponent("data.yaml")
    try write("""
        # a fixture in ultralytics layout
        path: .
        train: train/images
        names:
          0: top
          1: 'bag'
          2: shoe
        """, to: yaml)
    return (yaml, labels)
}
