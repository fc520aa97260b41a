import PrefectSchemas

/// Waits between retries. Inject one that records the delays to test retry timing without waiting.
public protocol RetrySleeper: Sendable {
    /// Suspends for `seconds`; throws `CancellationError` when the task is cancelled.
    func sleep(seconds: Double) async throws
}

/// Sleeps on the system's continuous clock.
public struct ContinuousClockSleeper: RetrySleeper {
    public init() {}

    public func sleep(seconds: Double) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(for: .wait(seconds: seconds))
    }
}
