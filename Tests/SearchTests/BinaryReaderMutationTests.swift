import Foundation
import TestSupport
import XCTest
@testable import Search

/// The Search layer's binary readers given damaged files: never a trap, every failure an error
/// naming the file.
final class BinaryReaderMutationTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws { directory = try temporaryDirectory() }
    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    private func saved(_ write: (URL) throws -> Void) throws -> Data {
        let url = directory.appendingPathComponent("original")
        try write(url)
        return try Data(contentsOf: url)
    }

    private func assertCorrupt(_ read: () throws -> Void, mentioning reason: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try read(), file: file, line: line) {
            XCTAssertTrue("\($0)".hasPrefix("bad.bin: not a valid index file ("), "\($0)", file: file, line: line)
            XCTAssertTrue("\($0)".contains(reason), "\($0)", file: file, line: line)
        }
    }

    func testNPYShapeWhoseSizeOverflowsIsAnError() {
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (9223372036854775807, 2), }\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        withUnsafeBytes(of: UInt16(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: Array(header.utf8) + [0, 0, 0, 0])
        assertCorrupt({ _ = try NPY.read(data, file: "bad.bin") }, mentioning: "shape [9223372036854775807, 2] holds more values")
    }

    func testExactIndexCountWhoseSizeOverflowsIsAnError() {
        var data = Data("LKEXACT1".utf8)
        for value: Int64 in [8, 1 << 61] { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        assertCorrupt({ _ = try ExactCosineIndex.load(data, file: "bad.bin") }, mentioning: "count 2305843009213693952")
        var huge = Data("LKEXACT1".utf8)
        for value: Int64 in [1 << 40, 0] { withUnsafeBytes(of: value.littleEndian) { huge.append(contentsOf: $0) } }
        assertCorrupt({ _ = try ExactCosineIndex.load(huge, file: "bad.bin") }, mentioning: "size does not match dimension 1099511627776")
    }

    /// FAISS itself trusts the count in an IndexIDMap2 header when it rebuilds the id map.
    func testFaissIndexWhoseHeaderCountIsHugeIsAnError() throws {
        let index = try FaissIndex(dimension: 4, kind: .flat)
        try index.add([1, 0, 0, 0, 0, 1, 0, 0], ids: [3, 4])
        let url = directory.appendingPathComponent("flat.index")
        try index.save(to: url)
        var data = try Data(contentsOf: url)
        data.replaceSubrange(8 ..< 16, with: withUnsafeBytes(of: Int64(1 << 40).littleEndian) { Data($0) })
        try data.write(to: url)
        XCTAssertThrowsError(try FaissIndex.load(from: url)) {
            XCTAssertEqual("\($0)", "\(url.path): not a valid index file (its header (1099511627776 vectors of dimension 4) disagrees with its contents)")
        }
    }

    func testNPYMutationsNeverTrap() throws {
        var random = SeededRandom(seed: 3)
        let original = try saved { try NPY.write(NPY.Matrix(values: random.matrix(rows: 3, columns: 5), rows: 3, columns: 5), to: $0) }
        let rejected = assertMutantsReadOrThrowNaming("m.npy", original: original) { _ = try NPY.read($0, file: "m.npy") }
        XCTAssertGreaterThan(rejected, 3_000)
    }

    func testExactIndexMutationsNeverTrap() throws {
        let index = try ExactCosineIndex(dimension: 4)
        var random = SeededRandom(seed: 4)
        try index.add(random.matrix(rows: 5, columns: 4), ids: [1, 2, 3, 5, 8])
        let original = try saved { try index.save(to: $0) }
        let rejected = assertMutantsReadOrThrowNaming("m.index", original: original) {
            let loaded = try ExactCosineIndex.load($0, file: "m.index")
            if loaded.dimension == 4 { _ = try loaded.search(random.matrix(rows: 1, columns: 4), k: 3) }
        }
        XCTAssertGreaterThan(rejected, 5_000)
    }

    /// The catalog reads two files, the index (LookKit's exact format or FAISS's flat, IVF or HNSW)
    /// and its JSON sidecar; each is damaged in turn while the other stays valid (3,400 mutants each:
    /// with the three FAISS kinds, over 10,000 for FAISS's reader).
    func testCatalogIndexMutationsNeverTrap() throws {
        for kind in [IndexKind.exact, .flat, .ivf(nlist: 2, nprobe: 2), .hnsw(m: 4, efSearch: 8, efConstruction: 8)] {
            let catalog = try CatalogIndex(kind: kind, dimension: 4)
            var random = SeededRandom(seed: 5)
            let rows = 80
            if let faiss = catalog.index as? FaissIndex, !faiss.isTrained { try faiss.train(random.matrix(rows: rows, columns: 4)) }
            try catalog.add(random.matrix(rows: rows, columns: 4), ids: (0 ..< rows).map { Int64($0 + 10) },
                            metadata: (0 ..< rows).map { ["gender": $0 % 2 == 0 ? "Men" : "Women"] })
            let url = directory.appendingPathComponent("gallery.index")
            try catalog.save(to: url)
            let sidecar = CatalogIndex.sidecarURL(for: url)
            for damaged in [url, sidecar] {
                let original = try Data(contentsOf: damaged)
                assertMutantsReadOrThrowNaming(url.path, original: original, count: 3_400, seed: damaged == url ? 6 : 7) {
                    try $0.write(to: damaged)
                    let loaded = try CatalogIndex.load(from: url)
                    if loaded.dimension == 4 { _ = try loaded.search(random.matrix(rows: 1, columns: 4), k: 2) }
                }
                try original.write(to: damaged)
            }
        }
    }
}
