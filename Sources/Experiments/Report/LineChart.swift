import Foundation
import LookKitCore

/// A line chart drawn as standalone SVG: axes with rounded ticks, one polyline per series
/// (`data-series` names it), and a legend. Used for training curves and PR curves.
public struct LineChart: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public init(name: String, points: [(x: Double, y: Double)]) { (self.name, self.points) = (name, points) }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    /// Fixed axis ranges (e.g. 0…1 for PR curves); nil = fit the data.
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?

    public init(title: String, xLabel: String, yLabel: String, series: [Series],
                xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil) {
        (self.title, self.xLabel, self.yLabel, self.series) = (title, xLabel, yLabel, series)
        (self.xRange, self.yRange) = (xRange, yRange)
    }

    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                          "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
    static let (width, height) = (680.0, 340.0)
    static let (left, right, top, bottom) = (64.0, 170.0, 32.0, 46.0)
    /// Longer series are thinned to about this many points (the last point always kept).
    static let maxPoints = 1_000

    public var svg: String {
        let finite = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let xAxis = Self.axis(xRange ?? Self.span(finite.map(\.x)))
        let yAxis = Self.axis(yRange ?? Self.span(finite.map(\.y)))
        let plotWidth = Self.width - Self.left - Self.right, plotHeight = Self.height - Self.top - Self.bottom
        func px(_ x: Double) -> Double { Self.left + (x - xAxis.range.lowerBound) / xAxis.range.span * plotWidth }
        func py(_ y: Double) -> Double { Self.top + plotHeight - (y - yAxis.range.lowerBound) / yAxis.range.span * plotHeight }

        var parts = [##"<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="\##(Int(Self.width))" height="\##(Int(Self.height))" viewBox="0 0 \##(Int(Self.width)) \##(Int(Self.height))" font-family="sans-serif" font-size="11">"##]
        parts.append(##"<text x="\##(coordinate(Self.left))" y="18" font-size="13" font-weight="bold">\##(htmlEscaped(title))</text>"##)
        parts.append(##"<rect x="\##(coordinate(Self.left))" y="\##(coordinate(Self.top))" width="\##(coordinate(plotWidth))" height="\##(coordinate(plotHeight))" fill="#fafafa" stroke="#999"/>"##)
        for tick in xAxis.ticks {
            let x = coordinate(px(tick))
            parts.append(##"<line x1="\##(x)" y1="\##(coordinate(Self.top))" x2="\##(x)" y2="\##(coordinate(Self.top + plotHeight))" stroke="#e4e4e4"/>"##)
            parts.append(##"<text x="\##(x)" y="\##(coordinate(Self.top + plotHeight + 15))" text-anchor="middle">\##(Self.label(tick))</text>"##)
        }
        for tick in yAxis.ticks {
            let y = coordinate(py(tick))
            parts.append(##"<line x1="\##(coordinate(Self.left))" y1="\##(y)" x2="\##(coordinate(Self.left + plotWidth))" y2="\##(y)" stroke="#e4e4e4"/>"##)
            parts.append(##"<text x="\##(coordinate(Self.left - 6))" y="\##(y)" dy="4" text-anchor="end">\##(Self.label(tick))</text>"##)
        }
        parts.append(##"<text x="\##(coordinate(Self.left + plotWidth / 2))" y="\##(coordinate(Self.height - 8))" text-anchor="middle">\##(htmlEscaped(xLabel))</text>"##)
        parts.append(##"<text transform="translate(14 \##(coordinate(Self.top + plotHeight / 2))) rotate(-90)" text-anchor="middle">\##(htmlEscaped(yLabel))</text>"##)
        for (index, line) in series.enumerated() {
            let color = Self.palette[index % Self.palette.count]
            let points = Self.thinned(line.points.filter { $0.x.isFinite && $0.y.isFinite })
                .map { "\(coordinate(px($0.x))),\(coordinate(py($0.y)))" }.joined(separator: " ")
            parts.append(##"<polyline class="series" data-series="\##(htmlEscaped(line.name))" points="\##(points)" fill="none" stroke="\##(color)" stroke-width="1.8"/>"##)
            let legendY = Self.top + 8 + Double(index) * 16
            let legendX = Self.left + plotWidth + 12
            parts.append(##"<line x1="\##(coordinate(legendX))" y1="\##(coordinate(legendY))" x2="\##(coordinate(legendX + 18))" y2="\##(coordinate(legendY))" stroke="\##(color)" stroke-width="3"/>"##)
            parts.append(##"<text x="\##(coordinate(legendX + 24))" y="\##(coordinate(legendY + 4))">\##(htmlEscaped(String(line.name.prefix(22))))</text>"##)
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    static func thinned(_ points: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
        guard points.count > maxPoints else { return points }
        let stride = (points.count + maxPoints - 1) / maxPoints
        var kept = Swift.stride(from: 0, to: points.count, by: stride).map { points[$0] }
        if (points.count - 1) % stride != 0 { kept.append(points[points.count - 1]) }
        return kept
    }

    static func span(_ values: [Double]) -> ClosedRange<Double> {
        guard let low = values.min(), let high = values.max() else { return 0...1 }
        return low == high ? (low - 0.5)...(high + 0.5) : low...high
    }

    /// Extends a range to round tick values (steps of 1, 2 or 5 × 10^n, about 5 ticks).
    static func axis(_ range: ClosedRange<Double>) -> (range: ClosedRange<Double>, ticks: [Double]) {
        let rough = range.span / 5
        let magnitude = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
        let low = floor(range.lowerBound / step) * step, high = ceil(range.upperBound / step) * step
        let ticks = Swift.stride(from: low, through: high + step / 2, by: step).map { ($0 / step).rounded() * step }
        return (low...max(high, low + step), ticks)
    }

    static func label(_ value: Double) -> String {
        abs(value) >= 1e4 || (abs(value) < 1e-3 && value != 0) ? String(format: "%.1e", value) : String(format: "%g", value)
    }
}

extension ClosedRange<Double> {
    var span: Double { upperBound - lowerBound }
}
