import Datasets
import Foundation
import LookKitCore

/// What the gate found on one labelled photo and, optionally, on its top part (legs cut off): kept
/// so the rules can be scored again with other thresholds without running the network.
public struct PoseObservation: Sendable, Codable {
    public struct Seen: Sendable, Codable {
        public var width: Int
        public var height: Int
        public var keypoints: [BodyPart: Keypoint]
    }

    public var label: PoseLabel
    public var photo: Seen
    /// The top `PoseEvaluation.cutLegsKeep` of a labelled full shot: a known "not a full shot".
    public var cutLegs: Seen?
}

/// Per-rule scores on a set of labelled photos. Rates are nil where nothing was there to count.
public struct PoseScores: Codable, Sendable, Equatable {
    public var photos = 0
    public var fullShotAccuracy: Double?
    /// Mean of the rule's recall on yes and on no: the labels are mostly yes, so plain accuracy flatters.
    public var fullShotBalancedAccuracy: Double?
    public var frontFacingAccuracy: Double?
    public var frontFacingBalancedAccuracy: Double?
    public var acceptedAccuracy: Double?
    /// Of the photos the gate accepts, the share labelled full shot and front facing.
    public var acceptedPrecision: Double?
    /// Of the photos labelled full shot and front facing, the share the gate accepts.
    public var acceptedRecall: Double?
    public var labelledAccepted = 0
    public var gateAccepted = 0
    /// Known negatives: the cut-legs crops, and the share the gate calls "not a full shot".
    public var cutLegsCrops = 0
    public var cutLegsRejected: Double?
}

public struct PoseEvaluationReport: Codable, Sendable {
    public var rules: PoseRules
    public var all: PoseScores
    public var tuning: PoseScores
    public var heldOut: PoseScores
    /// Photos the gate gets wrong, "file: labelled … / gate …: reason", for a person to look at.
    public var mistakes: [String]
}

public enum PoseEvaluation {
    /// The crop that cuts the legs off keeps this share of the photo's height, from the top.
    public static let cutLegsKeep = 0.55

    /// Runs the gate on every labelled photo in `images` (and on the cut-legs crop of each full shot
    /// when asked). `progress(done, total)` is called after each photo.
    public static func observe(_ gate: PoseGate, images: URL, labels: [PoseLabel], cropsCutLegs: Bool,
                               progress: (Int, Int) -> Void = { _, _ in }) throws -> [PoseObservation] {
        try labels.enumerated().map { index, label in
            let file = images.appendingPathComponent(label.file)
            guard FileManager.default.fileExists(atPath: file.path) else { throw NotFoundError("\(file.path): labelled photo not found") }
            let image = try Image(contentsOf: file)
            let seen = PoseObservation.Seen(width: image.width, height: image.height, keypoints: try gate.keypoints(image))
            var cut: PoseObservation.Seen?
            if cropsCutLegs, label.fullShot {
                let top = try image.cropped(to: PixelRect(x: 0, y: 0, width: image.width, height: max(1, Int(Double(image.height) * cutLegsKeep))))
                cut = PoseObservation.Seen(width: top.width, height: top.height, keypoints: try gate.keypoints(top))
            }
            progress(index + 1, labels.count)
            return PoseObservation(label: label, photo: seen, cutLegs: cut)
        }
    }

    public static func report(_ observations: [PoseObservation], rules: PoseRules) -> PoseEvaluationReport {
        let mistakes = observations.compactMap { observation -> String? in
            let verdict = rules.verdict(observation.photo.keypoints, width: observation.photo.width, height: observation.photo.height)
            let label = observation.label
            guard verdict.fullShot != label.fullShot || verdict.frontFacing != label.frontFacing else { return nil }
            func words(_ full: Bool, _ front: Bool) -> String { "\(full ? "full" : "not full")/\(front ? "front" : "not front")" }
            return "\(label.file) (\(label.half.rawValue)): labelled \(words(label.fullShot, label.frontFacing)), "
                + "gate \(words(verdict.fullShot, verdict.frontFacing)): \(verdict.reason.isEmpty ? "accepted" : verdict.reason)"
        }
        return PoseEvaluationReport(rules: rules, all: score(observations, rules: rules),
                                    tuning: score(observations.filter { $0.label.half == .tuning }, rules: rules),
                                    heldOut: score(observations.filter { $0.label.half == .heldOut }, rules: rules), mistakes: mistakes)
    }

    public static func score(_ observations: [PoseObservation], rules: PoseRules) -> PoseScores {
        var full = Confusion(), front = Confusion(), accepted = Confusion(), cutRejected = 0, cuts = 0
        for observation in observations {
            let verdict = rules.verdict(observation.photo.keypoints, width: observation.photo.width, height: observation.photo.height)
            full.add(truth: observation.label.fullShot, said: verdict.fullShot)
            front.add(truth: observation.label.frontFacing, said: verdict.frontFacing)
            accepted.add(truth: observation.label.fullShot && observation.label.frontFacing, said: verdict.accepted)
            if let cut = observation.cutLegs {
                cuts += 1
                if rules.fullShotFailure(cut.keypoints, width: cut.width, height: cut.height) != nil { cutRejected += 1 }
            }
        }
        var scores = PoseScores()
        scores.photos = observations.count
        (scores.fullShotAccuracy, scores.fullShotBalancedAccuracy) = (full.accuracy, full.balancedAccuracy)
        (scores.frontFacingAccuracy, scores.frontFacingBalancedAccuracy) = (front.accuracy, front.balancedAccuracy)
        (scores.acceptedAccuracy, scores.acceptedPrecision, scores.acceptedRecall) = (accepted.accuracy, accepted.precision, accepted.recall)
        (scores.labelledAccepted, scores.gateAccepted) = (accepted.truePositives + accepted.falseNegatives, accepted.truePositives + accepted.falsePositives)
        scores.cutLegsCrops = cuts
        scores.cutLegsRejected = cuts > 0 ? Double(cutRejected) / Double(cuts) : nil
        return scores
    }
}

/// Yes/no counts of one rule against the labels.
struct Confusion {
    var truePositives = 0, falsePositives = 0, trueNegatives = 0, falseNegatives = 0

    mutating func add(truth: Bool, said: Bool) {
        switch (truth, said) {
        case (true, true): truePositives += 1
        case (false, true): falsePositives += 1
        case (false, false): trueNegatives += 1
        case (true, false): falseNegatives += 1
        }
    }

    var total: Int { truePositives + falsePositives + trueNegatives + falseNegatives }
    var accuracy: Double? { ratio(truePositives + trueNegatives, total) }
    var precision: Double? { ratio(truePositives, truePositives + falsePositives) }
    var recall: Double? { ratio(truePositives, truePositives + falseNegatives) }
    var specificity: Double? { ratio(trueNegatives, trueNegatives + falsePositives) }
    var balancedAccuracy: Double? { recall.flatMap { r in specificity.map { (r + $0) / 2 } } }

    private func ratio(_ a: Int, _ b: Int) -> Double? { b > 0 ? Double(a) / Double(b) : nil }
}
