import Foundation
import Pose
import XCTest

/// Each rule on hand-made keypoints of a 300×600 photo.
final class PoseRulesTests: XCTestCase {
    let (width, height) = (300, 600)

    /// A person facing the camera, head to feet inside the frame (the person's right on the image's left).
    let front: [BodyPart: Keypoint] = {
        let points: [BodyPart: (Float, Float)] = [
            .nose: (150, 60), .neck: (150, 110), .rightShoulder: (110, 112), .rightElbow: (100, 190), .rightWrist: (98, 260),
            .leftShoulder: (190, 112), .leftElbow: (200, 190), .leftWrist: (202, 260), .rightHip: (125, 290), .rightKnee: (125, 410),
            .rightAnkle: (125, 530), .leftHip: (175, 290), .leftKnee: (175, 410), .leftAnkle: (175, 530), .rightEye: (140, 50),
            .leftEye: (160, 50), .rightEar: (130, 55), .leftEar: (170, 55),
        ]
        return points.mapValues { Keypoint(x: $0.0, y: $0.1, confidence: 0.8) }
    }()

    func testFrontFacingFullShotIsAccepted() {
        let verdict = PoseRules().verdict(front, width: width, height: height)
        XCTAssertTrue(verdict.accepted)
        XCTAssertEqual(verdict.reason, "")
        XCTAssertEqual(verdict.keypoints, front)
    }

    func testCutOffLegsAreNotAFullShot() {
        // The top 55% of the photo: knees and ankles gone.
        let cut = front.filter { $0.value.y < 330 }
        let verdict = PoseRules().verdict(cut, width: width, height: 330)
        XCTAssertFalse(verdict.fullShot)
        XCTAssertTrue(verdict.frontFacing)
        XCTAssertEqual(verdict.reason, "not a full shot: right ankle not found, left ankle not found")
        var oneAnkle = PoseRules()
        oneAnkle.minAnkles = 1
        XCTAssertFalse(oneAnkle.verdict(cut, width: width, height: 330).fullShot, "one ankle is still needed")
    }

    func testOneAnkleIsEnoughWhenAsked() {
        var keypoints = front
        keypoints[.leftAnkle] = nil
        var rules = PoseRules()
        XCTAssertEqual(rules.fullShotFailure(keypoints, width: width, height: height), "left ankle not found")
        rules.minAnkles = 1
        XCTAssertNil(rules.fullShotFailure(keypoints, width: width, height: height))
    }

    func testWeakAnkleMeetsItsOwnThreshold() {
        var keypoints = front
        keypoints[.rightAnkle]?.confidence = 0.2
        var rules = PoseRules()
        rules.minConfidence = 0.5
        XCTAssertNil(rules.fullShotFailure(keypoints, width: width, height: height), "ankles have their own threshold")
        rules.ankleMinConfidence = 0.25
        XCTAssertEqual(rules.fullShotFailure(keypoints, width: width, height: height), "right ankle not found")
    }

    func testFaceAtTheTopEdgeIsCutWithAMargin() {
        var keypoints = front
        for part in [BodyPart.nose, .rightEye, .leftEye] { keypoints[part]?.y = 5 }
        var rules = PoseRules()
        XCTAssertNil(rules.fullShotFailure(keypoints, width: width, height: height))
        rules.topMargin = 0.02
        XCTAssertEqual(rules.fullShotFailure(keypoints, width: width, height: height), "head at the top edge")
    }

    func testOneAnkleMissingNamesIt() {
        var keypoints = front
        keypoints[.leftAnkle] = nil
        XCTAssertEqual(PoseRules().fullShotFailure(keypoints, width: width, height: height), "left ankle not found")
    }

    func testWeakAnkleCountsAsMissing() {
        var keypoints = front
        keypoints[.rightAnkle]?.confidence = 0.05
        XCTAssertEqual(PoseRules().fullShotFailure(keypoints, width: width, height: height), "right ankle not found")
    }

    func testAnkleAtTheBottomEdgeIsCutWithAMargin() {
        var keypoints = front
        keypoints[.leftAnkle]?.y = 595
        var rules = PoseRules()
        rules.bottomMargin = 0.02
        XCTAssertEqual(rules.fullShotFailure(keypoints, width: width, height: height), "left ankle at the bottom edge")
        rules.bottomMargin = 0
        XCTAssertNil(rules.fullShotFailure(keypoints, width: width, height: height))
    }

    func testShinFallbackNeedsTheShinInsideTheFrame() {
        var keypoints = front
        keypoints[.rightAnkle] = nil
        keypoints[.leftAnkle]?.y = 480
        var rules = PoseRules()
        rules.shinToThigh = 1
        // Knee at 410, hip at 290: the shin ends at 530, inside a 600-pixel photo but not a 500-pixel one.
        XCTAssertNil(rules.fullShotFailure(keypoints, width: width, height: height))
        XCTAssertEqual(rules.fullShotFailure(keypoints, width: width, height: 500), "right ankle not found and the right knee's shin leaves the frame")
    }

    func testBackViewWithLeftAndRightSwappedIsNotFrontFacing() {
        var back = front
        for (right, left) in [(BodyPart.rightShoulder, BodyPart.leftShoulder), (.rightHip, .leftHip), (.rightElbow, .leftElbow)] {
            (back[right]!.x, back[left]!.x) = (back[left]!.x, back[right]!.x)
        }
        let verdict = PoseRules().verdict(back, width: width, height: height)
        XCTAssertTrue(verdict.fullShot)
        XCTAssertFalse(verdict.frontFacing)
        XCTAssertEqual(verdict.reason, "not front facing: left and right swapped (back view)")
    }

    func testMissingNoseIsNotFrontFacingButEyesKeepTheHead() {
        var keypoints = front
        keypoints[.nose] = nil
        let verdict = PoseRules().verdict(keypoints, width: width, height: height)
        XCTAssertTrue(verdict.fullShot, "the eyes still show the head in the frame")
        XCTAssertEqual(verdict.reason, "not front facing: nose not found")
        for eye in [BodyPart.rightEye, .leftEye] { keypoints[eye] = nil }
        XCTAssertEqual(PoseRules().verdict(keypoints, width: width, height: height).reason,
                       "not a full shot: head (nose, eyes) not found; not front facing: nose not found")
    }

    func testSideViewShouldersTogetherIsNotFrontFacing() {
        var side = front
        side[.rightShoulder]?.x = 145
        side[.leftShoulder]?.x = 160
        var rules = PoseRules()
        rules.maxNoseOffset = nil
        XCTAssertNil(rules.frontFacingFailure(side), "no width needed by default")
        rules.minShoulderWidth = 0.15
        XCTAssertEqual(rules.frontFacingFailure(side), "shoulders too close together for the torso (side view)")
    }

    func testProfileFaceNeedsBothEyesOnlyWhenAsked() {
        var profile = front
        profile[.leftEye] = nil
        var rules = PoseRules()
        XCTAssertNil(rules.frontFacingFailure(profile))
        rules.requireBothEyes = true
        XCTAssertEqual(rules.frontFacingFailure(profile), "one eye only (face in profile)")
    }

    func testNoseNearAShoulderIsTurnedAway() {
        var turned = front
        turned[.nose]?.x = 185
        var rules = PoseRules()
        XCTAssertEqual(rules.maxNoseOffset, 0.3)
        XCTAssertEqual(rules.frontFacingFailure(turned), "nose off the shoulders' middle (turned away)")
        XCTAssertNil(rules.frontFacingFailure(front), "the nose above the middle passes")
        rules.maxNoseOffset = nil
        XCTAssertNil(rules.frontFacingFailure(turned), "nil turns the rule off")
    }

    func testRulesReadFromJSONKeepDefaultsForKeysLeftOut() throws {
        let decode = { (json: String) in try JSONDecoder().decode(PoseRules.self, from: Data(json.utf8)) }
        XCTAssertEqual(try decode("{}"), PoseRules())
        var expected = PoseRules()
        expected.minAnkles = 1
        XCTAssertEqual(try decode(#"{"minAnkles": 1}"#), expected)
        expected.maxNoseOffset = nil
        XCTAssertEqual(try decode(#"{"minAnkles": 1, "maxNoseOffset": null}"#), expected, "null turns the nose rule off")
        XCTAssertEqual(try decode(String(decoding: JSONEncoder().encode(expected), as: UTF8.self)), expected, "a report's rules read back")
        XCTAssertThrowsError(try decode(#"{"minAnkles": "two"}"#))
    }

    func testNonFiniteKeypointsDoNotCrash() {
        var broken = front
        broken[.leftHip]?.x = .nan
        XCTAssertEqual(PoseRules().frontFacingFailure(broken), "left hip not found")
    }
}
