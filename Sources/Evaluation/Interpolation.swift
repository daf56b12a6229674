// Numeric helpers with numpy's exact semantics: yolov5's reported numbers depend on how
// np.interp treats repeated x values and on np.linspace's rounding, so we follow them.

/// `np.linspace(start, stop, count)`: start + i·step, last point exactly `stop`.
func linspace(_ start: Double, _ stop: Double, _ count: Int) -> [Double] {
    guard count > 1 else { return count == 1 ? [start] : [] }
    let step = (stop - start) / Double(count - 1)
    var values = (0..<count).map { Double($0) * step + start }
    values[count - 1] = stop
    return values
}

/// `np.interp(x, xp, fp, left, right)` for increasing (possibly repeated) `xp`: with repeats,
/// the value at the last repeated point wins, as in numpy.
func interpolate(_ x: Double, _ xp: [Double], _ fp: [Double], left: Double? = nil, right: Double? = nil) -> Double {
    let n = xp.count
    if x < xp[0] { return left ?? fp[0] }
    if x > xp[n - 1] { return right ?? fp[n - 1] }
    // j = last index with xp[j] <= x.
    var low = 0, high = n
    while low < high {
        let mid = (low + high) / 2
        if x >= xp[mid] { low = mid + 1 } else { high = mid }
    }
    let j = low - 1
    if j == n - 1 || xp[j] == x { return fp[j] }
    let slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j])
    return slope * (x - xp[j]) + fp[j]
}

/// `np.trapz(y, x)`.
func trapezoid(_ y: [Double], _ x: [Double]) -> Double {
    var area = 0.0
    for i in 1..<max(x.count, 1) { area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2 }
    return area
}

/// yolov5 `smooth(y, f)`: box filter over round(len·f·2)//2 + 1 points, edges padded with the
/// end values.
func boxSmooth(_ y: [Double], fraction: Double) -> [Double] {
    let width = Int((Double(y.count) * fraction * 2).rounded(.toNearestOrEven)) / 2 + 1
    let pad = width / 2
    let padded = Array(repeating: y[0], count: pad) + y + Array(repeating: y[y.count - 1], count: pad)
    let weight = 1 / Double(width)
    return (0..<y.count).map { start in
        var sum = 0.0
        for i in start..<(start + width) { sum += padded[i] * weight }
        return sum
    }
}
