import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import Pipeline
import ServiceLifecycle

/// `lookkit serve`: the upload page and the JSON API over one recommender, loaded once and
/// shared by every request (`Recommending` implementations are safe to call concurrently).
public struct LookKitServer: Sendable {
    public let recommender: any Recommending
    public let configuration: ServerConfiguration

    public init(recommender: any Recommending, configuration: ServerConfiguration = ServerConfiguration()) throws {
        self.recommender = recommender
        self.configuration = try configuration.validated()
    }

    /// Serves until SIGINT or SIGTERM, then lets requests in flight finish; `onListening` gets the
    /// address once the port is bound.
    public func run(onListening: @escaping @Sendable (URL) -> Void = { _ in }) async throws {
        let workers = NIOThreadPool(numberOfThreads: configuration.workers)
        workers.start()
        let app = application(workers: workers, logLevel: .info) { onListening($0) }
        do {
            try await app.runService()
        } catch {
            try? await workers.shutdownGracefully()
            throw error
        }
        try await workers.shutdownGracefully()
    }

    /// Starts serving in the background and returns once the port is bound (port 0 in the
    /// configuration picks a free one); tests and benchmarks stop it with `RunningServer.stop()`.
    public func start() async throws -> RunningServer {
        let workers = NIOThreadPool(numberOfThreads: configuration.workers)
        workers.start()
        let (addresses, listening) = AsyncStream<URL>.makeStream()
        let app = application(workers: workers, logLevel: .warning) { listening.yield($0) }
        let group = ServiceGroup(services: [app], logger: Logger(label: "lookkit.serve"))
        let task = Task {
            defer { listening.finish() }  // a failed bind ends the wait below
            try await group.run()
        }
        guard let baseURL = await addresses.first(where: { _ in true }) else {
            try? await workers.shutdownGracefully()
            try await task.value  // the bind error, if the group failed
            throw ServerError(.internalServerError, "the server stopped before it listened on \(configuration.host):\(configuration.port)")
        }
        return RunningServer(baseURL: baseURL, group: group, task: task, workers: workers)
    }

    private func application(workers: NIOThreadPool, logLevel: Logger.Level,
                             onListening: @escaping @Sendable (URL) -> Void) -> some ApplicationProtocol {
        let router = Router()
        // Added first so it wraps every route and the not-found responder.
        router.add(middleware: ErrorJSONMiddleware(maxUploadBytes: configuration.maxUploadBytes))
        Routes(recommender: recommender, configuration: configuration, workers: workers).register(on: router)
        var logger = Logger(label: "lookkit.serve")
        logger.logLevel = logLevel
        let host = configuration.host
        return Application(router: router,
                           configuration: .init(address: .hostname(host, port: configuration.port), serverName: "lookkit"),
                           onServerRunning: { channel in
                               let port = channel.localAddress?.port ?? 0
                               onListening(URL(string: "http://\(host.contains(":") ? "[\(host)]" : host):\(port)")!)
                           },
                           logger: logger)
    }
}

/// A server started with `LookKitServer.start()`.
public struct RunningServer: Sendable {
    /// `http://host:port`, the port the system picked when the configuration said 0.
    public let baseURL: URL
    let group: ServiceGroup
    let task: Task<Void, any Error>
    let workers: NIOThreadPool

    public var port: Int { baseURL.port ?? 0 }

    /// Stops accepting connections, finishes requests in flight and releases the worker threads.
    public func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
        try await workers.shutdownGracefully()
    }
}

extension LookKitServer {
    /// `run` for a synchronous caller (the `lookkit` command): blocks until SIGINT or SIGTERM.
    public func runBlocking(onListening: @escaping @Sendable (URL) -> Void = { _ in }) throws {
        let done = DispatchSemaphore(value: 0)
        let outcome = OutcomeBox()
        Task {
            do { try await run(onListening: onListening) } catch { outcome.error = error }
            done.signal()
        }
        done.wait()
        if let error = outcome.error { throw error }
    }
}

/// Hands the serving task's error to the blocked thread (written before the signal, read after).
private final class OutcomeBox: @unchecked Sendable {
    var error: (any Error)?
}
