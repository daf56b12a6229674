import Foundation
import Server

/// `lookkit-bench serve URL PHOTO|FOLDER… [--requests N] [--concurrency C]`: a bounded load test
/// of a running `lookkit serve` (200 requests, 8 at a time by default), p50/p99 latency and errors.
func serveLoadTest(_ arguments: [String]) async throws -> LoadTestReport {
    var requests = 200, concurrency = 8, paths: [String] = []
    var rest = arguments[...]
    while let argument = rest.popFirst() {
        switch argument {
        case "--requests": requests = try count(rest.popFirst(), for: argument)
        case "--concurrency": concurrency = try count(rest.popFirst(), for: argument)
        default: paths.append(argument)
        }
    }
    guard let server = paths.first.flatMap(URL.init(string:)), server.scheme?.hasPrefix("http") == true, paths.count > 1 else {
        throw BenchError("usage: lookkit-bench serve http://HOST:PORT PHOTO|FOLDER… [--requests N] [--concurrency C]")
    }
    let photos = try paths.dropFirst().flatMap(photoFiles).map { PhotoPost(bytes: [UInt8](try Data(contentsOf: $0)), filename: $0.lastPathComponent) }
    guard !photos.isEmpty else { throw BenchError("no .jpg, .jpeg, .png or .webp photos in \(paths.dropFirst().joined(separator: " "))") }
    return try await LoadTest(server: server, photos: photos, requests: requests, concurrency: concurrency).run()
}

private func count(_ text: String?, for flag: String) throws -> Int {
    guard let text, let value = Int(text), value > 0 else { throw BenchError("\(flag) needs a positive integer") }
    return value
}

/// A photo file, or the photos directly in a folder (sorted, so runs send the same sequence).
private func photoFiles(_ path: String) throws -> [URL] {
    let url = URL(fileURLWithPath: path)
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw BenchError("no such photo or folder: \(path)") }
    guard isFolder.boolValue else { return [url] }
    return try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        .filter { ["jpg", "jpeg", "png", "webp"].contains(($0 as NSString).pathExtension.lowercased()) }
        .map { url.appendingPathComponent($0) }
}
