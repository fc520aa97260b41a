/// A reference-counted lifespan for an application shared by concurrent users: Prefect's
/// `app_lifespan_context` (`prefect/server/api/server.py`), which its ephemeral client enters
/// around every use of the in-process app.
///
/// - The first user runs `startup`; users who arrive while it runs wait for it and get the
///   same app.
/// - Each user's exit decrements the count; the last exit runs `shutdown`. A user who arrives
///   while `shutdown` runs waits for it to finish and then starts the app again.
/// - A failed startup is thrown to every user waiting for it and leaves the lifespan idle, so a
///   later user tries again. `startup` must leave nothing running when it throws.
/// - A user cancelled while waiting still holds its place until startup ends, then leaves as
///   any user does: a cancelled user never leaks a running app, and never shuts it down under
///   another user.
///
/// ```swift
/// let lifespan = AppLifespan(startup: { try await Server.open() }, shutdown: { try await $0.close() })
/// try await lifespan.withApp { server in … }
/// ```
public actor AppLifespan<App: Sendable> {
    private enum Phase {
        case idle
        case starting(generation: Int, Task<App, any Error>)
        case running(generation: Int, App)
        case stopping(generation: Int, Task<Void, Never>)
    }

    private let startup: @Sendable () async throws -> App
    private let shutdown: @Sendable (App) async -> Void
    private var phase: Phase = .idle
    private var generation = 0
    /// Users between `enter` and `exit`, including those waiting for startup.
    public private(set) var users = 0

    /// Creates an idle lifespan.
    ///
    /// - Parameters:
    ///   - startup: opens the app; runs once per lifetime, outside any user's task, so a
    ///     user's cancellation does not interrupt it.
    ///   - shutdown: closes the app after the last user left; errors are the closure's to log.
    public init(
        startup: @escaping @Sendable () async throws -> App,
        shutdown: @escaping @Sendable (App) async -> Void
    ) {
        self.startup = startup
        self.shutdown = shutdown
    }

    /// Whether the app is started and not yet being shut down.
    public var isRunning: Bool {
        if case .running = phase { return true }
        return false
    }

    /// Runs `body` with the app, starting it first if nobody uses it, and leaves afterwards.
    public func withApp<Result: Sendable>(
        _ body: (App) async throws -> Result
    ) async throws -> Result {
        let app = try await enter()
        do {
            let result = try await body(app)
            await exit()
            return result
        } catch {
            await exit()
            throw error
        }
    }

    /// Joins the users of the app and returns it, starting it if needed.
    ///
    /// Every successful `enter` must be balanced by one ``exit()``; ``withApp(_:)`` does that.
    /// - Throws: startup's error, or `CancellationError` when the calling task was cancelled
    ///   while it waited (it has then already left).
    public func enter() async throws -> App {
        users += 1
        while true {
            switch phase {
            case .idle:
                generation += 1
                let startup = self.startup
                phase = .starting(generation: generation, Task { try await startup() })
            case .starting(let started, let task):
                let app: App
                do {
                    app = try await task.value
                } catch {
                    if case .starting(let current, _) = phase, current == started { phase = .idle }
                    users -= 1
                    throw error
                }
                if case .starting(let current, _) = phase, current == started {
                    phase = .running(generation: started, app)
                }
                if Task.isCancelled {
                    await exit()
                    throw CancellationError()
                }
                return app
            case .running(_, let app):
                return app
            case .stopping(let stopped, let task):
                await task.value
                if case .stopping(let current, _) = phase, current == stopped { phase = .idle }
            }
        }
    }

    /// Leaves the app; the last user out shuts it down and waits for that to finish.
    public func exit() async {
        precondition(users > 0, "AppLifespan.exit() without a matching enter()")
        users -= 1
        guard users == 0, case .running(let started, let app) = phase else { return }
        let shutdown = self.shutdown
        let task = Task { await shutdown(app) }
        phase = .stopping(generation: started, task)
        await task.value
        if case .stopping(let current, _) = phase, current == started { phase = .idle }
    }
}
