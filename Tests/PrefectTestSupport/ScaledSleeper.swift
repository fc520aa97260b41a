public import PrefectClient

/// Really sleeps, but for a fraction of each delay: retry back-off stays in force (order,
/// concurrency, Retry-After) while a test with many retries runs in seconds.
public struct ScaledSleeper: RetrySleeper {
    public let factor: Double

    public init(factor: Double) {
        self.factor = factor
    }

    public func sleep(seconds: Double) async throws {
        try await Task.sleep(for: .seconds(max(0, seconds * factor)))
    }
}
