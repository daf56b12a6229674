import Foundation

/// Plain k-means on 2-D points (Lloyd's iterations from k-means++ seeds), restarted a few times
/// keeping the lowest distortion, as scipy's `kmeans(obs, k, iter=…)` does; distortion is the mean
/// Euclidean distance to the nearest centre, scipy's definition. Returns nil when there are fewer
/// distinct points than centres (scipy would silently return fewer centres).
enum KMeans {
    static func centres(_ points: [SIMD2<Double>], count: Int, restarts: Int = 30, maxIterations: Int = 300,
                        using generator: inout some RandomNumberGenerator) -> [SIMD2<Double>]? {
        guard count > 0, Set(points.map { [$0.x, $0.y] }).count >= count else { return nil }
        var best: (centres: [SIMD2<Double>], distortion: Double)?
        for _ in 0..<max(1, restarts) {
            var centres = seeds(points, count: count, using: &generator)
            var distortion = Double.infinity
            for _ in 0..<maxIterations {
                let (assignment, newDistortion) = assign(points, to: centres)
                centres = means(points, assignment, previous: centres)
                // scipy stops once the distortion changes by less than 1e-5.
                if distortion - newDistortion < 1e-5 { distortion = newDistortion; break }
                distortion = newDistortion
            }
            distortion = assign(points, to: centres).distortion
            if distortion < best?.distortion ?? .infinity { best = (centres, distortion) }
        }
        return best?.centres
    }

    /// k-means++: each further seed is drawn with probability proportional to its squared distance
    /// from the seeds so far, so seeds spread over the clusters.
    static func seeds(_ points: [SIMD2<Double>], count: Int, using generator: inout some RandomNumberGenerator) -> [SIMD2<Double>] {
        var seeds = [points[Int.random(in: 0..<points.count, using: &generator)]]
        var nearest = points.map { squaredDistance($0, seeds[0]) }
        while seeds.count < count {
            let total = nearest.reduce(0, +)
            var target = Double.random(in: 0..<1, using: &generator) * total
            var chosen = nearest.lastIndex { $0 > 0 } ?? 0
            for (index, weight) in nearest.enumerated() where weight > 0 {
                if target < weight { chosen = index; break }
                target -= weight
            }
            seeds.append(points[chosen])
            for index in points.indices { nearest[index] = min(nearest[index], squaredDistance(points[index], points[chosen])) }
        }
        return seeds
    }

    static func assign(_ points: [SIMD2<Double>], to centres: [SIMD2<Double>]) -> (assignment: [Int], distortion: Double) {
        var total = 0.0
        let assignment = points.map { point -> Int in
            var (bestIndex, bestDistance) = (0, Double.infinity)
            for (index, centre) in centres.enumerated() {
                let distance = squaredDistance(point, centre)
                if distance < bestDistance { (bestIndex, bestDistance) = (index, distance) }
            }
            total += bestDistance.squareRoot()
            return bestIndex
        }
        return (assignment, total / Double(points.count))
    }

    /// Each centre moves to the mean of its points; one left without points stays where it was.
    static func means(_ points: [SIMD2<Double>], _ assignment: [Int], previous: [SIMD2<Double>]) -> [SIMD2<Double>] {
        var sums = [SIMD2<Double>](repeating: .zero, count: previous.count)
        var counts = [Int](repeating: 0, count: previous.count)
        for (point, cluster) in zip(points, assignment) {
            sums[cluster] += point
            counts[cluster] += 1
        }
        return previous.indices.map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : previous[$0] }
    }

    static func squaredDistance(_ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Double {
        let d = a - b
        return (d * d).sum()
    }
}
