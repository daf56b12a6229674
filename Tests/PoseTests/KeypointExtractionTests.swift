@testable import Pose
import XCTest

/// Keypoints from hand-made maps: peaks, the limb line integral and the choice of the largest person.
final class KeypointExtractionTests: XCTestCase {
    // A 20×30 grid is a 160×240 network input (stride 8); the photo is twice that.
    let (inputWidth, inputHeight, photoWidth, photoHeight) = (160, 240, 320, 480)

    /// Grid cell centre → photo pixel, as the graph's stride and the photo scale place it.
    func photoPoint(_ grid: (x: Float, y: Float)) -> (x: Float, y: Float) {
        ((grid.x * 8 + 3.5) * 2 + 0.5, (grid.y * 8 + 3.5) * 2 + 0.5)
    }

    func testLargestPersonGetsAllEighteenPartsAtTheirBlobs() throws {
        var drawn = HandMadeMaps(width: 20, height: 30)
        drawn.draw(standingPerson)
        drawn.draw(smallPerson, peak: 0.9)
        let keypoints = KeypointExtraction().largestPerson(try drawn.maps(), inputWidth: inputWidth, inputHeight: inputHeight,
                                                          photoWidth: photoWidth, photoHeight: photoHeight)
        XCTAssertEqual(Set(keypoints.keys), Set(BodyPart.allCases))
        for (part, grid) in standingPerson {
            let expected = photoPoint(grid), found = try XCTUnwrap(keypoints[part])
            XCTAssertEqual(found.x, expected.x, accuracy: 2, "\(part.name) x")
            XCTAssertEqual(found.y, expected.y, accuracy: 2, "\(part.name) y")
            XCTAssertGreaterThan(found.confidence, 0.9, part.name)
        }
    }

    func testSmallerPersonWinsWhenAlone() throws {
        var drawn = HandMadeMaps(width: 20, height: 30)
        drawn.draw(smallPerson, peak: 0.9)
        let keypoints = KeypointExtraction().largestPerson(try drawn.maps(), inputWidth: inputWidth, inputHeight: inputHeight,
                                                          photoWidth: photoWidth, photoHeight: photoHeight)
        XCTAssertEqual(Set(keypoints.keys), Set(smallPerson.keys))
        XCTAssertEqual(try XCTUnwrap(keypoints[.nose]).y, photoPoint(smallPerson[.nose]!).y, accuracy: 2)
    }

    func testPartWithoutAFieldToItIsNotAttached() throws {
        var drawn = HandMadeMaps(width: 20, height: 30)
        drawn.draw(standingPerson)
        // Erase the left shin's field: the left ankle's blob stays, but nothing links it to the knee.
        let limb = try XCTUnwrap(Limb.tree.first { $0.child == .leftAnkle })
        for channel in [limb.pafX, limb.pafY] {
            for i in channel * 600 ..< (channel + 1) * 600 { drawn.values[i] = 0 }
        }
        var extraction = KeypointExtraction()
        extraction.fillUnlinkedParts = false
        let keypoints = extraction.largestPerson(try drawn.maps(), inputWidth: inputWidth, inputHeight: inputHeight,
                                                 photoWidth: photoWidth, photoHeight: photoHeight)
        XCTAssertNil(keypoints[.leftAnkle])
        XCTAssertNotNil(keypoints[.rightAnkle])
        // Filling takes the ankle's own peak back, as it lies in the person's column.
        extraction.fillUnlinkedParts = true
        let filled = extraction.largestPerson(try drawn.maps(), inputWidth: inputWidth, inputHeight: inputHeight,
                                              photoWidth: photoWidth, photoHeight: photoHeight)
        XCTAssertEqual(try XCTUnwrap(filled[.leftAnkle]).x, photoPoint(standingPerson[.leftAnkle]!).x, accuracy: 2)
    }

    func testFillingIgnoresPeaksOutsideThePersonsColumn() throws {
        // A narrow person (x 9–11) without ankles and a stray ankle blob far right at x 19.
        var drawn = HandMadeMaps(width: 40, height: 30)
        drawn.draw([.nose: (10, 3), .neck: (10, 6), .rightShoulder: (9, 6), .leftShoulder: (11, 6), .rightHip: (9, 15), .leftHip: (11, 15)])
        drawn.draw([.leftAnkle: (30, 27)])
        let keypoints = KeypointExtraction().largestPerson(try drawn.maps(), inputWidth: 320, inputHeight: 240, photoWidth: 320, photoHeight: 240)
        XCTAssertNil(keypoints[.leftAnkle])
        XCTAssertEqual(keypoints.count, 6)
    }

    func testFieldPointingTheWrongWayRejectsTheLimb() throws {
        var drawn = HandMadeMaps(width: 20, height: 30)
        drawn.draw(standingPerson)
        let limb = try XCTUnwrap(Limb.tree.first { $0.child == .nose })
        for channel in [limb.pafX, limb.pafY] {
            for i in channel * 600 ..< (channel + 1) * 600 { drawn.values[i] = -drawn.values[i] }
        }
        var extraction = KeypointExtraction()
        extraction.fillUnlinkedParts = false
        let keypoints = extraction.largestPerson(try drawn.maps(), inputWidth: inputWidth, inputHeight: inputHeight,
                                                 photoWidth: photoWidth, photoHeight: photoHeight)
        XCTAssertNil(keypoints[.nose])
        XCTAssertNil(keypoints[.rightEye], "the eyes hang from the nose")
    }

    func testPeaksBelowThresholdAndPlateaus() {
        let extraction = KeypointExtraction()
        // A faint blob (0.05) is no peak; a 2×2 plateau of 0.5 is one peak, at its first cell.
        var map = [Float](repeating: 0, count: 8 * 6)
        map[1 * 8 + 1] = 0.05
        for (x, y) in [(4, 2), (5, 2), (4, 3), (5, 3)] { map[y * 8 + x] = 0.5 }
        let peaks = extraction.localMaxima(map, width: 8, height: 6)
        XCTAssertEqual(peaks, [KeypointExtraction.Peak(x: 4, y: 2, score: 0.5)])
    }

    func testNoPeaksGivesNoKeypoints() throws {
        let maps = try PoseMaps(values: [Float](repeating: 0, count: 57 * 4 * 5), width: 4, height: 5)
        XCTAssertEqual(KeypointExtraction().largestPerson(maps, inputWidth: 32, inputHeight: 40, photoWidth: 64, photoHeight: 80), [:])
    }

    func testUpsamplingMatchesOpenCVsLinearConvention() {
        // cv2.resize(np.float32([[0, 1], [2, 3]]), (4, 4), interpolation=cv2.INTER_LINEAR)
        let expected: [Float] = [0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3]
        XCTAssertEqual(upsampled([0, 1, 2, 3][...], width: 2, height: 2, toWidth: 4, toHeight: 4), expected)
    }

    func testMapsOfTheWrongSizeAreRejected() {
        XCTAssertThrowsError(try PoseMaps(values: [1, 2, 3], width: 1, height: 1)) {
            XCTAssertTrue("\($0)".contains("57 channels"), "\($0)")
        }
    }
}
