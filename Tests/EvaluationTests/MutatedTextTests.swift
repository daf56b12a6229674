import Evaluation
import Foundation
import LookKitCore
import TestSupport
import XCTest

/// Ten thousand seeded mutants of a valid ranking CSV and YOLO label/prediction file each: no
/// trap, and every failure a `MalformedFile` naming the file.
final class MutatedTextTests: XCTestCase {
    private func file(_ name: String) throws -> URL {
        let folder = try temporaryDirectory("lookkit-mutants")
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder.appendingPathComponent(name)
    }

    func testRankingCSV() throws {
        let valid = """
            query_id,rank,item_id,correct
            q1,1,"shirts/a,b.jpg",1
            q1,2,shirts/c.jpg,0
            "q 2",0,"say ""hi"".jpg",true
            "q 2",1,x.jpg,false

            """
        try assertMutantsFailCleanly(of: valid, at: file("ranking.csv"), seed: 11) { url in
            _ = try RankingCSV.read(url) // inside XCTAssert a throw would count as a failure
            return []
        }
    }

    func testYOLOLabelAndPredictionFiles() throws {
        let labels = "0 0.5 0.5 0.2 0.4\n3 0.25 0.75 0.1 0.1\n1.0 0.1 0.1 0.05 0.05\n"
        try assertMutantsFailCleanly(of: labels, at: file("labels.txt"), seed: 12) { url in
            _ = try YOLOFiles.readLabels(url)
            return []
        }
        let predictions = "0 0.5 0.5 0.2 0.4 0.91\n3 0.25 0.75 0.1 0.1 0.5\n"
        try assertMutantsFailCleanly(of: predictions, at: file("predictions.txt"), seed: 13) { url in
            _ = try YOLOFiles.readPredictions(url)
            return []
        }
    }

    func testInvalidUTF8SaysSo() throws {
        let url = try file("ranking.csv")
        try Data("q1,1,".utf8 + [0xC3, 0x28] + Data(",1\n".utf8)).write(to: url)
        XCTAssertThrowsError(try RankingCSV.read(url)) { XCTAssertEqual("\($0)", "\(url.path): not UTF-8 text") }
    }
}
