import Detection
import Foundation
import LookKitCore
import TestSupport
import XCTest

/// Ultralytics' own yaml files, as the `yolov5` package (7.0.14) ships them, read as they are:
/// model yamls into the specs `YOLOv5Spec.named` gives, hyp yamls into the values PyYAML reads.
final class YAMLTests: XCTestCase {
    /// The installed package's folder, found without importing it (no torch needed).
    private func packageFolder() throws -> URL {
        let path = try ReferencePython.run(code: "import importlib.util as u, os; s = u.find_spec('yolov5'); print(os.path.dirname(s.origin) if s else '')")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !path.isEmpty else { throw XCTSkip("the yolov5 package is not in the venv (make setup installs it)") }
        return URL(fileURLWithPath: path)
    }

    private func temporaryFile(_ name: String, _ text: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yaml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    // MARK: Model yamls

    func testThePackagesModelYamlsReadAsTheNamedSpecs() throws {
        let models = try packageFolder().appendingPathComponent("models")
        for name in ["yolov5n", "yolov5s", "yolov5m", "yolov5l", "yolov5x"] {
            let file = try YOLOv5ModelYAML(models.appendingPathComponent("\(name).yaml"))
            XCTAssertEqual(file.spec, try YOLOv5Spec.named(name), name)
            XCTAssertEqual(file.classes, 80, name)
            XCTAssertEqual(try YOLOv5Spec(yaml: models.appendingPathComponent("\(name).yaml")), file.spec, name)
        }
        // Rows written out by hand, so the reader is not only checked against itself (`named` reads yaml too).
        let spec = try YOLOv5Spec(yaml: models.appendingPathComponent("yolov5s.yaml"))
        XCTAssertEqual(spec.layers.count, 25)
        let rows: [Int: YOLOLayerSpec] = [
            0: .init([-1], .conv(out: 64, kernel: 6, stride: 2, padding: 2)), 1: .init([-1], .conv(out: 128, kernel: 3, stride: 2, padding: nil)),
            6: .init([-1], .c3(out: 512, repeats: 9, shortcut: true)), 9: .init([-1], .sppf(out: 1024, kernel: 5)),
            11: .init([-1], .upsample(factor: 2)), 12: .init([-1, 6], .concat), 13: .init([-1], .c3(out: 512, repeats: 3, shortcut: false)),
            24: .init([17, 20, 23], .detect),
        ]
        for (index, row) in rows { XCTAssertEqual(spec.layers[index], row, "layer \(index)") }
        XCTAssertEqual(spec.anchors, [[10, 13, 16, 30, 33, 23], [30, 61, 62, 45, 59, 119], [116, 90, 156, 198, 373, 326]])
        XCTAssertEqual([spec.depthMultiple, spec.widthMultiple], [0.33, 0.5])
    }

    /// yolov5s.yaml with one row replaced, written to a file; returns it and the 1-based line of that row.
    private func brokenYOLOv5s(replacing row: String, with broken: String) throws -> (URL, Int) {
        let text = try String(contentsOf: packageFolder().appendingPathComponent("models/yolov5s.yaml"), encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let index = try XCTUnwrap(lines.firstIndex { $0.contains(row) }, "yolov5s.yaml has \(row)")
        let edited = lines.enumerated().map { $0.offset == index ? $0.element.replacingOccurrences(of: row, with: broken) : $0.element }
        return (try temporaryFile("yolov5s-broken.yaml", edited.joined(separator: "\n")), index + 1)
    }

    private func assertMalformed(_ url: URL, line: Int, mentions parts: [String], file: StaticString = #filePath, at: UInt = #line) {
        XCTAssertThrowsError(try YOLOv5ModelYAML(url), file: file, line: at) { error in
            guard let malformed = error as? MalformedFile else { return XCTFail("\(error) is not a MalformedFile", file: file, line: at) }
            XCTAssertEqual(malformed.file, url.path, file: file, line: at)
            XCTAssertEqual(malformed.line, line, "\(malformed)", file: file, line: at)
            for part in parts { XCTAssertTrue(malformed.description.contains(part), "\(malformed) should say \(part)", file: file, line: at) }
        }
    }

    func testAnUnknownModuleNamesItsRowAndTheSupportedOnes() throws {
        let (url, line) = try brokenYOLOv5s(replacing: "[-1, 1, Conv, [64, 6, 2, 2]]", with: "[-1, 1, Focus, [64, 3]]")
        XCTAssertEqual(line, 15)
        assertMalformed(url, line: line, mentions: ["layer 0: unknown module 'Focus'", "(supported: Conv, C3, SPPF, nn.Upsample, Concat, Detect, EfficientNetLite0)"])
    }

    func testARowWithThreeFieldsNamesItsLine() throws {
        let (url, line) = try brokenYOLOv5s(replacing: "[-1, 1, SPPF, [1024, 5]]", with: "[-1, SPPF, [1024, 5]]")
        XCTAssertEqual(line, 24)
        assertMalformed(url, line: line, mentions: ["layer 9: expected [from, number, module, args], got 3 fields"])
    }

    func testRowsThatCannotBeBuiltNameTheirLine() throws {
        let cases: [(String, String, String)] = [
            ("[-1, 1, nn.Upsample, [None, 2, 'nearest']]", "[-1, 1, nn.Upsample, [None, 2, 'bilinear']]", "layer 11: nn.Upsample args should be [None, factor, 'nearest']"),
            ("[-1, 1, Conv, [128, 3, 2]]", "[-1, 2, Conv, [128, 3, 2]]", "layer 1: Conv repeated 2 times: only C3 takes repeats"),
            ("[[17, 20, 23], 1, Detect, [nc, anchors]]", "[[17, 20], 1, Detect, [nc, anchors]]", "layer 24: Detect reads 2 layers but anchors lists 3 levels"),
            ("[-1, 3, C3, [512, False]]", "[-1, 3, C3, [512, Maybe]]", "layer 13: C3 args should be [out, shortcut?]"),
        ]
        for (row, broken, message) in cases {
            let (url, line) = try brokenYOLOv5s(replacing: row, with: broken)
            assertMalformed(url, line: line, mentions: [message])
        }
    }

    func testAutoAnchorsAreRefusedClearly() throws {
        let text = try String(contentsOf: packageFolder().appendingPathComponent("models/yolov5s.yaml"), encoding: .utf8)
        let start = try XCTUnwrap(text.range(of: "anchors:\n"))
        let end = try XCTUnwrap(text.range(of: "# P5/32\n", range: start.upperBound..<text.endIndex))
        let url = try temporaryFile("auto.yaml", text.replacingCharacters(in: start.lowerBound..<end.upperBound, with: "anchors: 3\n"))
        assertMalformed(url, line: 7, mentions: ["anchors: 3 (anchors computed from the dataset) is not supported"])
    }

    func testAnUnknownTopLevelKeyIsNamedWithAHint() throws {
        let (url, line) = try brokenYOLOv5s(replacing: "nc: 80", with: "ncc: 80")
        XCTAssertEqual(line, 4)
        assertMalformed(url, line: line, mentions: ["unknown key 'ncc', did you mean 'nc'?"])
    }

    func testTheSpecReadFromYamlBuildsTheNamedModel() throws {
        let url = try packageFolder().appendingPathComponent("models/yolov5n.yaml")
        let fromFile = try YOLOv5(YOLOv5Spec(yaml: url), classes: 80)
        let named = try YOLOv5(.named("yolov5n"), classes: 80)
        XCTAssertEqual(fromFile.parameterCount, named.parameterCount)
        XCTAssertEqual(fromFile.parameterCount, 1_872_157)
    }

    // MARK: Hyperparameter yamls

    /// What PyYAML reads from each file, key by key.
    private func pythonValues(_ files: [URL]) throws -> [String: [String: Double]] {
        let code = "import json, sys, yaml; print(json.dumps({p: yaml.safe_load(open(p)) for p in sys.argv[1:]}))"
        let json = try ReferencePython.run(code: code, files.map(\.path))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: [String: Double]])
    }

    /// The hyperparameters as ultralytics' key → value.
    private func values(_ hyp: YOLOHyperparameters) throws -> [String: Double] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(hyp)) as? [String: Double])
    }

    func testThePackagesHypYamlsReadAsPyYAMLReadsThem() throws {
        let hyps = try packageFolder().appendingPathComponent("data/hyps")
        let files = ["scratch-low", "scratch-med", "scratch-high", "no-augmentation"].map { hyps.appendingPathComponent("hyp.\($0).yaml") }
        let python = try pythonValues(files)
        for file in files {
            let expected = try XCTUnwrap(python[file.path])
            let hyp = try YOLOHyperparameters(yaml: file)
            XCTAssertEqual(expected.count, 28, file.lastPathComponent)
            XCTAssertEqual(try values(hyp), expected, file.lastPathComponent)
            let gains = hyp.lossGains
            XCTAssertEqual([gains.box, gains.cls, gains.clsPositiveWeight, gains.obj, gains.objPositiveWeight, gains.anchorThreshold, gains.labelSmoothing],
                           try ["box", "cls", "cls_pw", "obj", "obj_pw", "anchor_t"].map { try XCTUnwrap(expected[$0]) } + [0], file.lastPathComponent)
        }
        XCTAssertEqual(try YOLOHyperparameters(yaml: files[0]), YOLOHyperparameters(), "the defaults are hyp.scratch-low.yaml")
        XCTAssertEqual(try python[files[2].path]?["obj"], 0.7, "scratch-high differs from the defaults")
        XCTAssertEqual(try YOLOHyperparameters(yaml: files[2]).lossGains.obj, 0.7)
    }

    func testHypAutoAnchorsAreRefusedAtTheirLine() throws {
        let url = try packageFolder().appendingPathComponent("data/hyps/hyp.VOC.yaml")
        let line = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n").firstIndex { $0.hasPrefix("anchors:") }
        XCTAssertThrowsError(try YOLOHyperparameters(yaml: url)) { error in
            XCTAssertEqual((error as? MalformedFile)?.line, line.map { $0 + 1 }, "\(error)")
            XCTAssertTrue("\(error)".contains("anchors (3.412 per level, computed from the dataset) is not supported"), "\(error)")
        }
    }

    func testEveryKeyReadsIntoItsOwnField() throws {
        let keys = YOLOHyperparameters.CodingKeys.allCases.map(\.stringValue)
        XCTAssertEqual(keys.count, 28)
        let text = keys.enumerated().map { "\($0.element): \(Double($0.offset) + 0.25)" }.joined(separator: "\n")
        let hyp = try YOLOHyperparameters(yaml: text, file: "distinct.yaml")
        XCTAssertEqual(try values(hyp), Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($0.element, Double($0.offset) + 0.25) }))
        XCTAssertEqual(try YOLOHyperparameters(yaml: "mosaic: 0.0\n", file: "partial.yaml").lr0, 0.01, "absent keys keep the defaults")
    }

    func testUnknownKeysAndBadValuesNameTheFileAndKey() throws {
        let url = try temporaryFile("hyp.yaml", "lr0: 0.01\nlr00: 0.02\n")
        XCTAssertThrowsError(try YOLOHyperparameters(yaml: url)) {
            XCTAssertTrue("\($0)".hasPrefix("\(url.path): lr00: unknown key, did you mean 'lr0'?"), "\($0)")
        }
        XCTAssertThrowsError(try YOLOHyperparameters(yaml: "box: heavy\n", file: "hyp.yaml")) {
            XCTAssertEqual("\($0)", "hyp.yaml: box: expected Double")
        }
        XCTAssertThrowsError(try YOLOHyperparameters(yaml: "box: [0.05\n", file: "hyp.yaml")) {
            XCTAssertEqual(($0 as? MalformedFile)?.line, 2, "\($0)")
        }
    }
}
