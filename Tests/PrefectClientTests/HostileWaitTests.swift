import Foundation
import PrefectClient
import PrefectSchemas
import Testing

/// Waits whose length comes from a response (`Retry-After`, a `WAIT`'s `delay_seconds`), a
/// setting or a flow: `Duration.seconds(_: Double)` traps outside its range, so every one goes
/// through `Duration.wait(seconds:)`.
@Suite("Hostile waits")
struct HostileWaitTests {
    @Test("a wait of any Double is held within 0…about 31 years; NaN and negatives are no wait")
    func bounded() {
        #expect(Duration.wait(seconds: .nan) == .zero)
        #expect(Duration.wait(seconds: -.infinity) == .zero)
        #expect(Duration.wait(seconds: -5) == .zero)
        #expect(Duration.wait(seconds: 1.5) == .milliseconds(1500))
        #expect(Duration.wait(seconds: 1e300) == Duration.longestWait)
        #expect(Duration.wait(seconds: .infinity) == Duration.longestWait)
        #expect(Duration.wait(seconds: .greatestFiniteMagnitude) == Duration.longestWait)
    }

    @Test("the retry sleeper waits out a Retry-After of 1e300 seconds until cancelled, without trapping")
    func hugeRetryAfter() async throws {
        let delay = try #require(RetryPolicy.parseRetryAfter("1e300"))
        let sleeping = Task { try await ContinuousClockSleeper().sleep(seconds: delay) }
        try await Task.sleep(for: .milliseconds(50))
        sleeping.cancel()
        await #expect(throws: CancellationError.self) { try await sleeping.value }
    }
}
