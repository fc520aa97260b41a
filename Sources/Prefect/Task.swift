import Foundation

/// A Prefect task: an async Swift function whose every call inside a flow is a task run in
/// Prefect, with its states, retries, timeout and logs — Prefect's `@task`
/// (`prefect/tasks.py`).
///
/// The input is one `Codable` value (a struct for several named parameters); the result is
/// `Codable`. Call it like a function; calls run concurrently with `async let`, task groups or
/// ``map(_:maxConcurrency:)``, and a call passed an earlier task's result records that task run in its
/// `task_inputs`.
///
/// ```swift
/// let fetch = PrefectTask("fetch", retries: 2, retryDelaySeconds: [1, 5]) { (day: String) in
///     try await api.orders(on: day)
/// }
/// let orders = try await fetch("2026-12-01")          // inside a flow: one task run
/// let many = try await fetch.map(["2026-12-01", "2026-12-02"])
/// ```
///
/// The type is named `PrefectTask` so that Swift's own `Task` stays what it is in code that
/// imports this module.
public struct PrefectTask<Input: Codable & Sendable, Output: Codable & Sendable>: Sendable {
    /// The task's name; task runs are named `name-xyz`.
    public var name: String
    /// The `task_key` of its runs (Prefect derives it from the function's source; here it is
    /// the name unless given).
    public var taskKey: String
    /// How many times a failed or timed-out run is run again (`retries`, default 0).
    public var retries: Int
    /// The wait before each retry (`retry_delay_seconds`, default 0).
    public var retryDelaySeconds: RetryDelay
    /// Randomness added to each delay, as a fraction of it (`retry_jitter_factor`).
    public var retryJitterFactor: Double?
    /// The body is cancelled after this many seconds and the run ends `TimedOut`
    /// (`timeout_seconds`).
    public var timeoutSeconds: Double?
    /// Tags of its runs.
    public var tags: [String]
    /// The task's version (`task_version`).
    public var version: String?
    /// What the task does.
    public var description: String?
    /// How its cache key is made (`cache_policy`); `nil` is Prefect's ``CachePolicy/default``.
    public var cachePolicy: CachePolicy?
    /// Seconds a stored result stays valid for the cache (`cache_expiration`); `nil`: forever.
    public var cacheExpiration: Double?
    /// Run the body even when a stored result matches, and store the new one (`refresh_cache`);
    /// `nil` follows `PREFECT_TASKS_REFRESH_CACHE`.
    public var refreshCache: Bool?
    /// Store the result in the result store (`persist_result`); `nil`: yes when the task has a
    /// cache policy of its own, else `PREFECT_RESULTS_PERSIST_BY_DEFAULT`.
    public var persistResult: Bool?
    let body: @Sendable (Input) async throws -> Output

    /// A task named `name` running `body`.
    public init(
        _ name: String,
        key: String? = nil,
        retries: Int = 0,
        retryDelaySeconds: RetryDelay = 0,
        retryJitterFactor: Double? = nil,
        timeoutSeconds: Double? = nil,
        tags: [String] = [],
        version: String? = nil,
        description: String? = nil,
        cachePolicy: CachePolicy? = nil,
        cacheExpiration: Double? = nil,
        refreshCache: Bool? = nil,
        persistResult: Bool? = nil,
        _ body: @escaping @Sendable (Input) async throws -> Output
    ) {
        self.name = name
        self.taskKey = key ?? name
        self.retries = max(0, retries)
        self.retryDelaySeconds = retryDelaySeconds
        self.retryJitterFactor = retryJitterFactor
        self.timeoutSeconds = timeoutSeconds
        self.tags = tags
        self.version = version
        self.description = description
        self.cachePolicy = cachePolicy
        self.cacheExpiration = cacheExpiration
        self.refreshCache = refreshCache
        self.persistResult = persistResult
        self.body = body
    }

    /// Runs the task: a task run of the current flow run, or a task run of its own outside
    /// any flow.
    ///
    /// - Parameter input: the call's input; its members are the task run's parameters.
    /// - Returns: the body's result.
    /// - Throws: the body's error once retries are used up, ``PrefectRunError`` for a timeout,
    ///   an ABORT or a final state other than Completed, `CancellationError` when cancelled.
    public func callAsFunction(_ input: Input) async throws -> Output {
        try await TaskRunEngine(task: self).run(input)
    }

    /// Runs the task once per input, all at once, and returns the results in input order —
    /// Prefect's `Task.map`. Every run goes to the end even when another fails; then the
    /// first failure (in input order) is thrown.
    ///
    /// - Parameters:
    ///   - inputs: one input per task run.
    ///   - maxConcurrency: at most this many runs at a time (default: no limit beyond the
    ///     runtime's ``PrefectRuntime/Configuration/maxConcurrentTaskRuns``).
    public func map<Inputs: Sequence>(_ inputs: Inputs, maxConcurrency: Int? = nil) async throws -> [Output]
    where Inputs.Element == Input {
        let inputs = Array(inputs)
        let results = await withTaskGroup(of: (Int, Result<Output, any Error>).self) { group in
            var results = [Result<Output, any Error>?](repeating: nil, count: inputs.count)
            let width = max(1, maxConcurrency ?? inputs.count)
            var next = 0
            func start(_ index: Int) {
                let input = inputs[index]
                group.addTask {
                    do {
                        return (index, .success(try await self(input)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            while next < min(width, inputs.count) {
                start(next)
                next += 1
            }
            for await (index, result) in group {
                results[index] = result
                if next < inputs.count {
                    start(next)
                    next += 1
                }
            }
            return results
        }
        return try results.map { result in
            guard let result else { throw CancellationError() }
            return try result.get()
        }
    }
}

extension PrefectTask where Input == NoParameters {
    /// A task without input.
    public init(
        _ name: String,
        key: String? = nil,
        retries: Int = 0,
        retryDelaySeconds: RetryDelay = 0,
        retryJitterFactor: Double? = nil,
        timeoutSeconds: Double? = nil,
        tags: [String] = [],
        version: String? = nil,
        description: String? = nil,
        cachePolicy: CachePolicy? = nil,
        cacheExpiration: Double? = nil,
        refreshCache: Bool? = nil,
        persistResult: Bool? = nil,
        _ body: @escaping @Sendable () async throws -> Output
    ) {
        self.init(
            name, key: key, retries: retries, retryDelaySeconds: retryDelaySeconds,
            retryJitterFactor: retryJitterFactor, timeoutSeconds: timeoutSeconds, tags: tags, version: version,
            description: description, cachePolicy: cachePolicy, cacheExpiration: cacheExpiration,
            refreshCache: refreshCache, persistResult: persistResult
        ) { (_: NoParameters) in try await body() }
    }

    /// Runs the task without input.
    public func callAsFunction() async throws -> Output {
        try await self(NoParameters())
    }
}
