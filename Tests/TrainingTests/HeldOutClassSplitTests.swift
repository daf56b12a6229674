import Foundation
import LookKitCore
import TestSupport
import Training
import XCTest

/// `data.unseenClasses`: held-out classes never train, and validation scores them beside the seen ones.
final class HeldOutClassSplitTests: XCTestCase {
    private let demo = ReferencePython.packageRoot.appendingPathComponent("datasets/demo/clothing").path

    func testUnseenClassesNeverTrainAndAllTheirNonTestPhotosValidate() throws {
        var data = RunConfig.DataConfig(root: demo)
        let all = try LabeledPhotoSplits.load(data)
        data.unseenClasses = ["shirt", "skirt"]
        let held = try LabeledPhotoSplits.load(data)

        XCTAssertFalse(held.train.contains { ["shirt", "skirt"].contains($0.label) })
        XCTAssertEqual(held.train.count, all.train.filter { !["shirt", "skirt"].contains($0.label) }.count)
        XCTAssertEqual(held.classes, all.classes.filter { !["shirt", "skirt"].contains($0) })
        XCTAssertEqual(held.unseenClasses, ["shirt", "skirt"])
        // Seen classes validate on their validation photos; unseen ones on their training photos too.
        let unseenPhotos = (all.train + all.validation.queries).filter { ["shirt", "skirt"].contains($0.label) }
        XCTAssertEqual(Set(held.validation.queries.filter { ["shirt", "skirt"].contains($0.label) }.map(\.url)), Set(unseenPhotos.map(\.url)))
        XCTAssertEqual(held.validation.queries.count, all.validation.queries.count + all.train.count - held.train.count)
        XCTAssertGreaterThan(unseenPhotos.count, 2)
    }

    func testAnUnknownUnseenClassIsNamed() throws {
        var data = RunConfig.DataConfig(root: demo)
        data.unseenClasses = ["shirts"]
        XCTAssertThrowsError(try LabeledPhotoSplits.load(data)) { error in
            XCTAssertTrue("\(error)".contains("data.unseenClasses: 'shirts' is not a class of"), "\(error)")
        }
    }
}
