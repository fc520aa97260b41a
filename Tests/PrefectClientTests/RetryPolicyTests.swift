import Foundation
import PrefectClient
import Testing

@Suite("Retry policy")
struct RetryPolicyTests {
    @Test("Retry-After in seconds, as an HTTP-date, and nonsense")
    func parseRetryAfter() {
        let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        #expect(RetryPolicy.parseRetryAfter("0") == 0)
        #expect(RetryPolicy.parseRetryAfter("1.5") == 1.5)
        #expect(RetryPolicy.parseRetryAfter(" 120 ") == 120)
        #expect(RetryPolicy.parseRetryAfter("-3") == 0)
        #expect(RetryPolicy.parseRetryAfter("Sun, 06 Nov 1994 08:49:47 GMT", now: now) == 10)
        #expect(RetryPolicy.parseRetryAfter("Sunday, 06-Nov-94 08:49:57 GMT", now: now) == 20)
        #expect(RetryPolicy.parseRetryAfter("Sun Nov  6 08:50:07 1994", now: now) == 30)
        #expect(RetryPolicy.parseRetryAfter("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == 0)
        #expect(RetryPolicy.parseRetryAfter("soon") == nil)
        #expect(RetryPolicy.parseRetryAfter("inf") == nil)
        #expect(RetryPolicy.parseRetryAfter("nan") == nil)
        #expect(RetryPolicy.parseRetryAfter("Sun, 06 Nov 9223372036854775807 08:49:47 GMT") == nil)
        #expect(RetryPolicy.parseRetryAfter("Sun, 06 Nov 0 08:49:47 GMT") == nil)
        #expect(RetryPolicy.parseRetryAfter("Sun, 06 Nov 1994 -9223372036854775807:49:47 GMT") == nil)
        #expect(RetryPolicy.parseRetryAfter("1e300") == 1e300, "held within bounds where it is waited, not here")
    }

    @Test("without jitter the back-off is 2^attempt, or exactly Retry-After")
    func exactDelays() {
        let policy = RetryPolicy(maxRetries: 5, jitterFactor: 0)
        #expect((1...5).map { policy.delay(afterAttempt: $0, retryAfter: nil) } == [2, 4, 8, 16, 32])
        #expect(policy.delay(afterAttempt: 3, retryAfter: 1.5) == 1.5)
    }

    @Test("with jitter a Retry-After is never shortened and stretched by at most the factor")
    func retryAfterJitter() {
        let policy = RetryPolicy(jitterFactor: 0.2)
        let delays = (0..<2000).map { _ in policy.delay(afterAttempt: 1, retryAfter: 10) }
        #expect(delays.allSatisfy { $0 >= 10 && $0 <= 12 })
        #expect(Set(delays).count > 100)
    }

    @Test("with jitter the back-off stays in Prefect's clamped interval around 2^attempt")
    func backoffJitter() {
        let policy = RetryPolicy(jitterFactor: 0.2)
        let delays = (0..<2000).map { _ in policy.delay(afterAttempt: 3, retryAfter: nil) }
        #expect(delays.allSatisfy { $0 > 0 && $0 <= 8 * 1.2 + 1e-9 })
        let mean = delays.reduce(0, +) / Double(delays.count)
        #expect(mean > 6 && mean < 10)
    }

    @Test("the defaults are Prefect's")
    func defaults() {
        let policy = RetryPolicy()
        #expect(policy.maxRetries == 5)
        #expect(policy.jitterFactor == 0.2)
        #expect(policy.retryStatusCodes == [408, 429, 502, 503])
        #expect(RetryPolicy(extraStatusCodes: [500]).retryStatusCodes == [408, 429, 500, 502, 503])
    }
}
