import Foundation

/// Gallery storage laid out for the scoring kernel: rows are packed in panels of 8, each panel
/// column-major (`panel[column][lane]`), so one SIMD8 load gives one coordinate of 8 rows and a
/// query coordinate is a broadcast (the GEMM micro-kernel layout). Panels come in pairs, so the
/// buffer always holds a multiple of 16 rows; padding rows are zero and never reported.
struct GalleryPanels {
    static let rowsPerBlock = 16
    let dimension: Int
    private(set) var storage: [Float] = []

    init(dimension: Int) { self.dimension = dimension }

    var blockCount: Int { storage.count / (Self.rowsPerBlock * dimension) }

    private func offset(row: Int, column: Int) -> Int {
        (row / 8) * dimension * 8 + column * 8 + row % 8
    }

    /// Writes `rows` (row-major) starting at row `first`, growing the buffer as needed.
    mutating func store(_ rows: [Float], from first: Int) {
        let n = rows.count / dimension
        let blocks = (first + n + Self.rowsPerBlock - 1) / Self.rowsPerBlock
        let needed = blocks * Self.rowsPerBlock * dimension
        if storage.count < needed { storage.append(contentsOf: repeatElement(0, count: needed - storage.count)) }
        for r in 0..<n {
            for c in 0..<dimension { storage[offset(row: first + r, column: c)] = rows[r * dimension + c] }
        }
    }

    func row(_ row: Int) -> [Float] {
        (0..<dimension).map { storage[offset(row: row, column: $0)] }
    }
}

/// Scores of the 16 rows of one panel pair against 4 queries (row-major, `dimension` apart):
/// `out[half * 4 + q]` holds query q against rows `half * 8 ..< half * 8 + 8`.
@inline(__always)
func scoreBlock(_ block: UnsafePointer<Float>, _ queries: UnsafePointer<Float>, dimension d: Int,
                into out: UnsafeMutablePointer<SIMD8<Float>>) {
    var a00 = SIMD8<Float>(), a01 = SIMD8<Float>(), a02 = SIMD8<Float>(), a03 = SIMD8<Float>()
    var a10 = SIMD8<Float>(), a11 = SIMD8<Float>(), a12 = SIMD8<Float>(), a13 = SIMD8<Float>()
    let p0 = UnsafeRawPointer(block), p1 = UnsafeRawPointer(block + d * 8)
    for c in 0..<d {
        let g0 = p0.loadUnaligned(fromByteOffset: c * 32, as: SIMD8<Float>.self)
        let g1 = p1.loadUnaligned(fromByteOffset: c * 32, as: SIMD8<Float>.self)
        let q0 = SIMD8<Float>(repeating: queries[c]), q1 = SIMD8<Float>(repeating: queries[d + c])
        let q2 = SIMD8<Float>(repeating: queries[2 * d + c]), q3 = SIMD8<Float>(repeating: queries[3 * d + c])
        a00 += g0 * q0; a01 += g0 * q1; a02 += g0 * q2; a03 += g0 * q3
        a10 += g1 * q0; a11 += g1 * q1; a12 += g1 * q2; a13 += g1 * q3
    }
    out[0] = a00; out[1] = a01; out[2] = a02; out[3] = a03
    out[4] = a10; out[5] = a11; out[6] = a12; out[7] = a13
}
