/// A grid search of the rules' thresholds on labelled observations (the tuning half): the full-shot
/// thresholds maximise that rule's balanced accuracy with the cut-legs crops counted as negatives, the
/// front-facing ones that rule's; ties keep the earlier (looser) grid point.
public enum PoseRuleTuning {
    public static let minConfidences: [Float] = [0.1, 0.15, 0.2, 0.3]
    public static let bottomMargins: [Float] = [0, 0.01, 0.02, 0.04]
    public static let shinToThighs: [Float] = [0, 0.8, 1]
    public static let ankleMinConfidences: [Float] = [0.1, 0.15, 0.2, 0.25, 0.3]
    public static let topMargins: [Float] = [0, 0.01, 0.02, 0.03]
    public static let minShoulderWidths: [Float] = [0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4]
    public static let minHipWidths: [Float] = [0, 0.05, 0.1, 0.15, 0.2]
    public static let maxNoseOffsets: [Float?] = [nil, 0.5, 0.4, 0.3, 0.25, 0.2, 0.15, 0.1]

    public static func tune(_ observations: [PoseObservation]) -> PoseRules {
        var best = PoseRules(), bestScore = -1.0
        for confidence in minConfidences {
            var rules = PoseRules()
            rules.minConfidence = confidence
            // The two rules share only the confidence: search each one's own thresholds separately.
            var fullBest = rules, fullScore = -1.0
            for margin in bottomMargins {
                for shin in shinToThighs {
                    for ankle in ankleMinConfidences {
                        for ankles in [2, 1] {
                            for top in topMargins {
                                var candidate = rules
                                (candidate.bottomMargin, candidate.shinToThigh, candidate.ankleMinConfidence) = (margin, shin, ankle)
                                (candidate.minAnkles, candidate.topMargin) = (ankles, top)
                                let score = fullShotBalancedAccuracy(observations, candidate)
                                if score > fullScore { (fullBest, fullScore) = (candidate, score) }
                            }
                        }
                    }
                }
            }
            var frontBest = fullBest, frontScore = -1.0
            for shoulders in minShoulderWidths {
                for hips in minHipWidths {
                    for eyes in [false, true] {
                        for nose in maxNoseOffsets {
                            var candidate = fullBest
                            (candidate.minShoulderWidth, candidate.minHipWidth, candidate.requireBothEyes) = (shoulders, hips, eyes)
                            candidate.maxNoseOffset = nose
                            let score = frontFacingBalancedAccuracy(observations, candidate)
                            if score > frontScore { (frontBest, frontScore) = (candidate, score) }
                        }
                    }
                }
            }
            if fullScore + frontScore > bestScore { (best, bestScore) = (frontBest, fullScore + frontScore) }
        }
        return best
    }

    static func fullShotBalancedAccuracy(_ observations: [PoseObservation], _ rules: PoseRules) -> Double {
        var confusion = Confusion()
        for observation in observations {
            let photo = observation.photo
            confusion.add(truth: observation.label.fullShot, said: rules.fullShotFailure(photo.keypoints, width: photo.width, height: photo.height) == nil)
            if let cut = observation.cutLegs {
                confusion.add(truth: false, said: rules.fullShotFailure(cut.keypoints, width: cut.width, height: cut.height) == nil)
            }
        }
        return confusion.balancedAccuracy ?? confusion.accuracy ?? 0
    }

    static func frontFacingBalancedAccuracy(_ observations: [PoseObservation], _ rules: PoseRules) -> Double {
        var confusion = Confusion()
        for observation in observations {
            confusion.add(truth: observation.label.frontFacing, said: rules.frontFacingFailure(observation.photo.keypoints) == nil)
        }
        return confusion.balancedAccuracy ?? confusion.accuracy ?? 0
    }
}
