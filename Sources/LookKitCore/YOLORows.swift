import Foundation

/// Rows of YOLO text files, one object a line: labels `class cx cy w h`, predictions
/// `class cx cy w h confidence` (yolov5 `--save-txt --save-conf`). The box is in the file's unit,
/// normally fractions of the image. Every error names the file and the 1-based line.
public enum YOLORows {
    /// Parses a label row; `classCount`, when known, bounds the class id.
    public static func label(_ text: some StringProtocol, classCount: Int? = nil, file: String, line: Int) throws -> LabeledBox {
        let row = try fields(text, confidence: false, classCount: classCount, file: file, line: line)
        return LabeledBox(classID: row.classID, box: row.box)
    }

    /// Parses a prediction row; `classCount`, when known, bounds the class id.
    public static func prediction(_ text: some StringProtocol, classCount: Int? = nil, file: String, line: Int) throws -> ScoredBox {
        let row = try fields(text, confidence: true, classCount: classCount, file: file, line: line)
        return ScoredBox(classID: row.classID, box: row.box, confidence: row.confidence)
    }

    /// The row as yolov5 writes a label: centre form with six decimals.
    public static func line(_ label: LabeledBox) -> String {
        let c = label.box.centerForm
        return String(format: "%d %.6f %.6f %.6f %.6f", label.classID, c.cx, c.cy, c.w, c.h)
    }

    private static func fields(_ text: some StringProtocol, confidence: Bool, classCount: Int?,
                               file: String, line: Int) throws -> (classID: Int, box: Box, confidence: Double) {
        func bad(_ reason: String) -> MalformedFile { MalformedFile(file: file, line: line, reason: reason) }
        let names = ["cx", "cy", "w", "h"] + (confidence ? ["confidence"] : [])
        let parts = text.split(whereSeparator: \.isWhitespace)
        guard parts.count == names.count + 1 else {
            throw bad("expected \(names.count + 1) fields 'class \(names.joined(separator: " "))', found \(parts.count)")
        }
        let values = try zip(names, parts.dropFirst()).map { name, field in
            guard let value = Double(field), value.isFinite else { throw bad("\(name) '\(field)' is not a finite number") }
            return value
        }
        // yolov5 reads labels as floats, so "3.0" is class 3 as well.
        guard let number = Double(parts[0]), number >= 0, number == number.rounded(), number < Double(Int32.max) else {
            throw bad("class '\(parts[0])' is not a non-negative integer")
        }
        let classID = Int(number)
        if let classCount, classID >= classCount { throw bad("unknown class id \(classID) (\(classCount) classes)") }
        guard values[2] >= 0, values[3] >= 0 else { throw bad("negative box size (w \(values[2]), h \(values[3]))") }
        let box = Box(centerX: values[0], centerY: values[1], width: values[2], height: values[3])
        return (classID, box, confidence ? values[4] : 1)
    }
}
