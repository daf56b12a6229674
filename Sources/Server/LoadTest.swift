import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A bounded load test of `POST /api/recommend`: `requests` uploads, at most `concurrency` in
/// flight, cycling through `photos`. Latency is per request, from send to the full reply.
public struct LoadTest: Sendable {
    public var server: URL
    public var photos: [PhotoPost]
    public var requests: Int
    public var concurrency: Int
    public var query: [String: String]

    public init(server: URL, photos: [PhotoPost], requests: Int = 200, concurrency: Int = 8, query: [String: String] = [:]) {
        self.server = server
        self.photos = photos
        self.requests = requests
        self.concurrency = concurrency
        self.query = query
    }

    public func run() async throws -> LoadTestReport {
        guard !photos.isEmpty, requests > 0, concurrency > 0 else {
            throw ServerError.badRequest("a load test needs photos, requests > 0 and concurrency > 0")
        }
        let session = URLSession.loadTesting(connections: concurrency)
        defer { session.finishTasksAndInvalidate() }
        let started = ContinuousClock.now
        var outcomes: [RequestOutcome] = []
        try await withThrowingTaskGroup(of: RequestOutcome.self) { group in
            var next = 0
            func send() {
                let request = photos[next % photos.count].request(to: server, query: query)
                group.addTask { await Self.time(request, session: session) }
                next += 1
            }
            // Keep `concurrency` requests in flight: a new one starts as each finishes.
            while next < min(concurrency, requests) { send() }
            while let outcome = try await group.next() {
                outcomes.append(outcome)
                if next < requests { send() }
            }
        }
        return LoadTestReport(outcomes: outcomes, concurrency: concurrency, wallSeconds: seconds(ContinuousClock.now - started))
    }

    private static func time(_ request: URLRequest, session: URLSession) async -> RequestOutcome {
        let start = ContinuousClock.now
        do {
            let reply = try await session.reply(to: request)
            let failure = reply.status == 200 ? nil : "HTTP \(reply.status): \(reply.errorMessage ?? "")"
            return RequestOutcome(milliseconds: seconds(ContinuousClock.now - start) * 1000, failure: failure)
        } catch {
            return RequestOutcome(milliseconds: seconds(ContinuousClock.now - start) * 1000, failure: "\(error)")
        }
    }
}

struct RequestOutcome: Sendable {
    var milliseconds: Double
    var failure: String?
}

/// What a load test measured: latency percentiles over every request, throughput and errors.
public struct LoadTestReport: Sendable {
    public let requests: Int
    public let concurrency: Int
    public let errors: Int
    /// The first few error messages, to say what went wrong without flooding the output.
    public let sampleErrors: [String]
    public let p50Milliseconds: Double
    public let p99Milliseconds: Double
    public let maxMilliseconds: Double
    public let wallSeconds: Double

    init(outcomes: [RequestOutcome], concurrency: Int, wallSeconds: Double) {
        let latencies = outcomes.map(\.milliseconds).sorted()
        let failures = outcomes.compactMap(\.failure)
        requests = outcomes.count
        self.concurrency = concurrency
        errors = failures.count
        sampleErrors = Array(failures.prefix(3))
        p50Milliseconds = percentile(latencies, 50)
        p99Milliseconds = percentile(latencies, 99)
        maxMilliseconds = latencies.last ?? 0
        self.wallSeconds = wallSeconds
    }

    public var requestsPerSecond: Double { wallSeconds > 0 ? Double(requests) / wallSeconds : 0 }

    public var summary: String {
        String(format: "%d requests, %d at a time: p50 %.1f ms, p99 %.1f ms, max %.1f ms, %.1f requests/s, %d errors",
               requests, concurrency, p50Milliseconds, p99Milliseconds, maxMilliseconds, requestsPerSecond, errors)
            + sampleErrors.map { "\n  error: \($0)" }.joined()
    }
}

/// The nearest-rank percentile of sorted values (0 for none): p99 of 200 is the 198th value.
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
    return sorted[min(max(rank, 1), sorted.count) - 1]
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
