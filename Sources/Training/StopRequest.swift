import Foundation
import LookKitCore

/// SIGINT and SIGTERM turned into a request the trainer honours between steps: it saves its
/// checkpoint, the run is marked `interrupted`, and the process exits with code 130. A second
/// signal ends the process at once.
public final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var received: Int32?
    private var sources: [DispatchSourceSignal] = []

    public init() {}

    /// A request fed by this process's SIGINT and SIGTERM from now on.
    public static func fromSignals() -> StopRequest {
        let request = StopRequest()
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)  // delivered to the dispatch source instead of ending the process
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { request.request(number) }
            source.resume()
            request.sources.append(source)
        }
        return request
    }

    /// The signal that asked to stop, if any.
    public var receivedSignal: Int32? { lock.withLock { received } }

    public func request(_ number: Int32) {
        let again = lock.withLock { () -> Bool in
            defer { received = number }
            return received != nil
        }
        if again { exit(128 + number) }
        FileHandle.standardError.write(Data("\nstopping after this step (signal \(number)); again to stop at once\n".utf8))
    }
}

/// A run stopped on request, its checkpoint saved.
public struct TrainingInterrupted: LookKitError {
    public let step: Int
    public let checkpoint: URL?
    public var category: ErrorCategory { .interrupted }
    public var description: String {
        "interrupted at step \(step)" + (checkpoint.map { "; \($0.path) saved, continue with --resume" } ?? "")
    }
}
