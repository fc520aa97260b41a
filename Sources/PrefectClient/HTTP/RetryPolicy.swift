public import Foundation

/// When and how long ``PrefectHTTPClient`` waits before it sends a request again.
///
/// Mirrors `PrefectHttpxAsyncClient._send_with_retry` in Prefect 3.9.1 (`prefect/client/base.py`):
/// the retried status codes, the attempt limit, `Retry-After`, exponential back-off and
/// Prefect's Poisson jitter (`prefect/utilities/math.py`).
public struct RetryPolicy: Sendable, Hashable {
    /// Status codes that are always retried: 408, 429, 502, 503 (`PrefectHttpxAsyncClient.send`).
    public static let defaultRetryStatusCodes: Set<Int> = [408, 429, 502, 503]

    /// Retries after the first attempt; `PREFECT_CLIENT_MAX_RETRIES`, default 5.
    public var maxRetries: Int
    /// Jitter added to each delay; `PREFECT_CLIENT_RETRY_JITTER_FACTOR`, default 0.2. Zero disables jitter.
    public var jitterFactor: Double
    /// Every status code that is retried: the defaults plus `PREFECT_CLIENT_RETRY_EXTRA_CODES`.
    public var retryStatusCodes: Set<Int>

    /// Creates a policy; `extraStatusCodes` are retried in addition to 408, 429, 502 and 503.
    public init(maxRetries: Int = 5, jitterFactor: Double = 0.2, extraStatusCodes: Set<Int> = []) {
        self.maxRetries = max(0, maxRetries)
        self.jitterFactor = max(0, jitterFactor)
        self.retryStatusCodes = Self.defaultRetryStatusCodes.union(extraStatusCodes)
    }

    /// The delay before the next attempt.
    ///
    /// - Parameters:
    ///   - attempt: attempts made so far that count against the limit (1 after the first).
    ///   - retryAfter: the server's `Retry-After`, already parsed, if it sent one.
    ///   - generator: the source of jitter.
    /// - Returns: `retryAfter` stretched by up to `jitterFactor` (never shorter than asked),
    ///   or `2^attempt` seconds with symmetrical, clamped jitter.
    public func delay<G: RandomNumberGenerator>(
        afterAttempt attempt: Int, retryAfter: Double?, using generator: inout G
    ) -> Double {
        let base = retryAfter ?? pow(2, Double(attempt))
        guard base > 0, jitterFactor > 0 else { return base }
        if retryAfter != nil {
            return Self.boundedPoissonInterval(
                lower: base, upper: base * (1 + jitterFactor), using: &generator)
        }
        return Self.clampedPoissonInterval(average: base, clampingFactor: jitterFactor, using: &generator)
    }

    /// The delay before the next attempt, with the system's random numbers.
    public func delay(afterAttempt attempt: Int, retryAfter: Double?) -> Double {
        var generator = SystemRandomNumberGenerator()
        return delay(afterAttempt: attempt, retryAfter: retryAfter, using: &generator)
    }

    /// Parses a `Retry-After` value, in delay-seconds or HTTP-date form (RFC 9110 §10.2.3).
    ///
    /// - Returns: seconds to wait (never negative), or `nil` when the value means nothing, so
    ///   the caller falls back to exponential back-off.
    public static func parseRetryAfter(_ value: String, now: Date = Date()) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        let seconds: Double
        if let number = Double(trimmed) {
            seconds = number
        } else if let date = HTTPDate.parse(trimmed) {
            seconds = date.timeIntervalSince(now)
        } else {
            return nil
        }
        guard seconds.isFinite else { return nil }
        return max(0, seconds)
    }

    // MARK: Prefect's jitter (prefect/utilities/math.py)

    /// A draw from an exponential distribution with mean `average`, restricted to the CDF range
    /// `lower..<upper` (`poisson_interval`).
    static func poissonInterval<G: RandomNumberGenerator>(
        average: Double, lower: Double, upper: Double, using generator: inout G
    ) -> Double {
        let u = lower < upper ? Double.random(in: lower..<upper, using: &generator) : lower
        return -log(max(1 - u, 1e-10)) * average
    }

    static func exponentialCDF(_ x: Double, average: Double) -> Double {
        1 - exp(-x / average)
    }

    static func lowerClampMultiple(_ k: Double) -> Double {
        if k >= 50 { return 0 }
        return log2(max(pow(2, k) / (pow(2, k) - 1), 1e-10))
    }

    /// A jittered interval around `average`, at most `average * (1 + clampingFactor)`
    /// (`clamped_poisson_interval`).
    package static func clampedPoissonInterval<G: RandomNumberGenerator>(
        average: Double, clampingFactor: Double, using generator: inout G
    ) -> Double {
        guard average > 0 else { return 0 }
        let upperMultiple = 1 + clampingFactor
        let upperBound = average * upperMultiple
        let lowerBound = max(0, average * lowerClampMultiple(upperMultiple))
        return poissonInterval(
            average: average,
            lower: exponentialCDF(lowerBound, average: average),
            upper: exponentialCDF(upperBound, average: average),
            using: &generator)
    }

    /// A jittered interval between `lower` and `upper` (`bounded_poisson_interval`).
    static func boundedPoissonInterval<G: RandomNumberGenerator>(
        lower: Double, upper: Double, using generator: inout G
    ) -> Double {
        let average = (lower + upper) / 2
        return poissonInterval(
            average: average,
            lower: exponentialCDF(lower, average: average),
            upper: exponentialCDF(upper, average: average),
            using: &generator)
    }
}
