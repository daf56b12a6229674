import Foundation
import LookKitCore
import XCTest

/// LookKitCore's small text helpers: plurals, did-you-mean and the progress bar's rate.
final class MessageTextTests: XCTestCase {
    func testCountsReadRightInTheSingular() {
        XCTAssertEqual(counted(1, "unreadable photo"), "1 unreadable photo")
        XCTAssertEqual(counted(2, "unreadable photo"), "2 unreadable photos")
        XCTAssertEqual(counted(0, "problem"), "0 problems")
        XCTAssertEqual(counted(1, "box", plural: "boxes"), "1 box")
        XCTAssertEqual(counted(3, "box", plural: "boxes"), "3 boxes")
    }

    func testDidYouMeanPicksTheClosestKnownNameOnlyWhenItIsATypo() {
        XCTAssertEqual(DidYouMean.editDistance("minning", "mining"), 1)
        XCTAssertEqual(DidYouMean.editDistance("", "abc"), 3)
        XCTAssertEqual(DidYouMean.closest(to: "learningrate", in: ["name", "learningRate", "momentum"]), "learningRate")
        XCTAssertEqual(DidYouMean.closest(to: "adamw2", in: ["sgd", "adam", "adamw"]), "adamw")
        XCTAssertNil(DidYouMean.closest(to: "lion", in: ["sgd", "adam", "adamw"]))
        XCTAssertEqual(DidYouMean.hint(for: "lion", in: ["sgd", "adam"]), "")
    }

    func testProgressRateWaitsForASecondOfHistory() {
        let bar = ProgressBar(total: 100, label: "embed", unit: "img")
        // One image 2 ms after the start would otherwise read as 500 img/s with an ETA of 0:00.
        let first = bar.text(1, elapsed: 0.002)
        XCTAssertTrue(first.contains("1/100  -- img/s  ETA --:--"), first)
        XCTAssertFalse(first.contains("500"), first)
        let later = bar.text(20, elapsed: 2)
        XCTAssertTrue(later.contains("20/100  10.0 img/s  ETA 0:08"), later)
    }

    func testProgressBarPastItsTotalDoesNotTrap() {
        let text = ProgressBar(total: 4, label: "x").text(9, elapsed: 3)
        XCTAssertTrue(text.contains(String(repeating: "█", count: 24)), text)
    }
}
