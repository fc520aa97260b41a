import Foundation
public import Logging
public import PrefectClient
public import PrefectServer
import ServiceLifecycle

/// How a test reaches its embedded server.
public enum PrefectTestServerTransport: Sendable, Hashable, CustomStringConvertible {
    /// Requests go straight to the router, with no socket (fastest).
    case inProcess
    /// Requests go over HTTP on a free loopback port, as with `prefect-swift server start`.
    case loopback

    public var description: String {
        switch self {
        case .inProcess: "in-process"
        case .loopback: "loopback"
        }
    }
}

/// Runs `body` with a client of a fresh embedded Prefect server on a throw-away database,
/// then stops the server and deletes the database, whether `body` returns or throws.
///
/// The server applies Prefect 3.9.1's orchestration rules, so code that drives flow runs and
/// task runs can be tested without Python:
///
/// ```swift
/// try await withPrefectTestServer { client in
///     let run = try await client.createFlowRun(flowName: "etl")
///     #expect(try await client.setFlowRunState(flowRunID: run.id, state: .running()).status == .accept)
/// }
/// ```
///
/// - Parameter options: the server's CSRF protection and basic auth (both off by default); the
///   client given to `body` has no auth string, so set one on a client of your own to pass.
public func withPrefectTestServer<Result: Sendable>(
    _ transport: PrefectTestServerTransport = .inProcess,
    options: PrefectServerOptions = PrefectServerOptions(),
    logger: Logger = Logger(label: "prefect.test-server"),
    _ body: (PrefectClient) async throws -> Result
) async throws -> Result {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prefect-test-\(UUID.version4().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let app = try PrefectServerApp.open(
        databasePath: directory.appendingPathComponent("prefect.db").path, logger: logger, options: options)
    defer { app.close() }
    let settings = PrefectSettings(home: directory.path)
    switch transport {
    case .inProcess:
        let client = try PrefectClient(
            apiURL: EmbeddedPrefect.apiURL, transport: InProcessTransport(app: app), serverType: .ephemeral,
            settings: settings, logger: logger)
        return try await withShutdown(client, body)
    case .loopback:
        return try await withLoopbackServer(app: app, settings: settings, logger: logger, body)
    }
}

private func withLoopbackServer<Result: Sendable>(
    app: PrefectServerApp, settings: PrefectSettings, logger: Logger, _ body: (PrefectClient) async throws -> Result
) async throws -> Result {
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let service = PrefectServerService(
        app: app, address: .init(host: "127.0.0.1", port: 0), logger: logger,
        onListening: { port in
            portContinuation.yield(port)
            portContinuation.finish()
        })
    let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask {
            defer { portContinuation.finish() }
            try await group.run()
        }
        do {
            guard let port = await ports.first(where: { _ in true }) else {
                try await tasks.next()
                throw PrefectServerError.cannotListen(host: "127.0.0.1", port: 0, reason: "the server stopped before listening")
            }
            var remote = settings
            remote.apiURL = URL(string: "http://127.0.0.1:\(port)/api")
            let result = try await withShutdown(try PrefectClient(settings: remote, logger: logger), body)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            tasks.cancelAll()
            throw error
        }
    }
}

private func withShutdown<Result: Sendable>(
    _ client: PrefectClient, _ body: (PrefectClient) async throws -> Result
) async throws -> Result {
    do {
        let result = try await body(client)
        try await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}
