import Foundation

extension String {
    /// Writes the text as UTF-8 through a temporary file (`OutputFile`); a failure names the file.
    public func write(toPath path: String) throws {
        try OutputFile.write(Data(utf8), toPath: path)
    }
}
