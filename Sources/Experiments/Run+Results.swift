extension Run {
    /// One evaluation's scores as results rows of `dataset`/`split`.
    public func logResults(_ results: [String: Double], dataset: String, split: String) throws {
        for (metric, value) in results.sorted(by: { $0.key < $1.key }) {
            try logResult(dataset: dataset, split: split, metric: metric, value: value)
        }
    }
}
