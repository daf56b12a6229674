import Foundation
import LookKitCore

/// Reads and writes 2-D `.npy` matrices (a 1-D array reads as one row) (NumPy's format: magic, a Python-dict header, raw data)
/// in C order; float32 and float64 read as `[Float]`, written as little-endian float32.
public enum NPY {
    public struct Matrix: Equatable {
        public var values: [Float]
        public var rows: Int
        public var columns: Int

        public init(values: [Float], rows: Int, columns: Int) {
            self.values = values
            self.rows = rows
            self.columns = columns
        }

        /// The `selected` rows, in that order.
        public func rows(_ selected: [Int]) -> Matrix {
            Matrix(values: selected.flatMap { values[$0 * columns..<($0 + 1) * columns] }, rows: selected.count, columns: columns)
        }

        /// Throws unless every value is finite, naming the rows of `source` (the file) that are not.
        public func checkFinite(source: String) throws {
            try Search.checkFinite(values, dimension: max(columns, 1), context: source)
        }
    }

    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    public static func read(_ url: URL) throws -> Matrix {
        try read(readFile(url), file: url.path)
    }

    /// Reads `data` as the contents of `file`, which errors name.
    public static func read(_ data: Data, file: String) throws -> Matrix {
        var reader = ByteReader(data: data, path: file)
        let bad = { (reason: String) in SearchError.corruptFile(file, reason: reason) }
        guard try reader.bytes(6) == magic else { throw bad("missing the .npy magic") }
        let major = try reader.bytes(2)[0]
        let headerLength = major == 1 ? Int(try reader.uint16()) : Int(try reader.uint32())
        guard let header = String(bytes: try reader.bytes(headerLength), encoding: .ascii) else { throw bad("header is not ASCII") }
        guard header.contains("'fortran_order': False") else { throw bad("only C-order arrays are supported") }
        let shape = try dimensions(in: header, path: file)
        guard shape.count == 1 || shape.count == 2 else { throw bad("expected a 1-D or 2-D array, shape is \(shape)") }
        // A 1-D array is one row.
        let (rows, columns) = shape.count == 2 ? (shape[0], shape[1]) : (1, shape[0])
        guard let n = checkedProduct(rows, columns) else { throw bad("shape \(shape) holds more values than any file") }
        let values: [Float]
        if header.contains("'descr': '<f4'") {
            values = try reader.array(of: Float.self, count: n)
        } else if header.contains("'descr': '<f8'") {
            values = try reader.array(of: Double.self, count: n).map(Float.init)
        } else {
            throw bad("dtype must be little-endian float32 or float64")
        }
        return Matrix(values: values, rows: rows, columns: columns)
    }

    public static func write(_ matrix: Matrix, to url: URL) throws {
        guard matrix.values.count == matrix.rows * matrix.columns else {
            throw SearchError.invalidArgument("\(matrix.values.count) values do not fill \(matrix.rows) × \(matrix.columns)")
        }
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(matrix.rows), \(matrix.columns)), }"
        // Magic (6) + version (2) + length (2) + header + newline is padded to a multiple of 64.
        header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
        var data = Data(magic + [1, 0])
        appendLittleEndian(UInt16(header.utf8.count), to: &data)
        data.append(contentsOf: Array(header.utf8))
        appendRaw(matrix.values, to: &data)
        try OutputFile.write(data, toPath: url.path)
    }

    private static func dimensions(in header: String, path: String) throws -> [Int] {
        guard let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")") else {
            throw SearchError.corruptFile(path, reason: "header has no shape")
        }
        let parts = header[open.upperBound..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return try parts.map { part in
            guard let value = Int(part), value >= 0 else { throw SearchError.corruptFile(path, reason: "bad shape entry '\(part)'") }
            return value
        }
    }
}
