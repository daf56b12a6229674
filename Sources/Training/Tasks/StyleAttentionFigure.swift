import Datasets
import Foundation
import LookKitCore
import Torch

extension StyleTask {
    /// The report's attention maps: for the first `count` validation questions, the board with the local
    /// distance's attention for the true item drawn over it (dark: ignored regions; red: the most attended),
    /// then the four candidates with their distances (true item boxed green, a wrong pick boxed red).
    func attentionExamples(in folder: URL, count: Int = 6) throws -> [(source: String, caption: String)] {
        let scorer = StyleScorer(embedder: embedder, normalization: network.normalization, distance: config.style.distance, device: device)
        let pictures = validationSet.pictures
        let (scene, product, gap) = (pictures.sceneSize, pictures.productSize, 8)
        let out = folder.appendingPathComponent("attention")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        return try validation.prefix(count).enumerated().map { index, question in
            let board = try pictures.scene(of: question.context.map(OutfitSceneSet.photo), index: index + 1)
            let candidates = try question.answers.map { try pictures.product(OutfitSceneSet.photo($0)) }
            let (distances, attention) = try scorer.scored(scene: board, candidates: candidates)
            let side = Int(Double(attention[question.correct].count).squareRoot())
            var canvas = try Image(width: scene + gap + candidates.count * (product + gap), height: max(scene, product + 24), fill: (255, 255, 255))
            try canvas.paste(try board.attentionOverlay(attention[question.correct], rows: side, cols: side), x: 0, y: 0)
            let picked = distances.indices.min { distances[$0] < distances[$1] }!
            for (i, candidate) in candidates.enumerated() {
                let x = scene + gap + i * (product + gap)
                try canvas.paste(candidate, x: x, y: 0)
                if i == question.correct || i == picked {
                    let colour: (UInt8, UInt8, UInt8) = i == question.correct ? (20, 160, 40) : (220, 30, 30)
                    try canvas.draw(Box(x1: Double(x), y1: 0, x2: Double(x + product - 1), y2: Double(product - 1)), color: colour, thickness: 3)
                }
                try canvas.draw(text: String(format: "%.3f", distances[i]), x: x + 4, y: product + 18, scale: 0.45, color: (0, 0, 0))
            }
            let name = "attention/question-\(index + 1).jpg"
            try canvas.write(to: folder.appendingPathComponent(name))
            return (name, "outfit \(question.outfitID): attention for the true item (green) over the board of the other "
                        + "\(counted(question.context.count, "item")); \(picked == question.correct ? "answered right" : "answered wrong (red)")")
        }
    }
}
