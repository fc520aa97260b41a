/// How long to wait before each retry of a task: one number for every retry, or a list whose
/// n-th entry is the delay before the n-th retry (the last one repeats), as Prefect's
/// `retry_delay_seconds` (`prefect/tasks.py`).
///
/// ```swift
/// PrefectTask("fetch", retries: 3, retryDelaySeconds: [1, 10, 60]) { … }
/// PrefectTask("fetch", retries: 3, retryDelaySeconds: 2.5) { … }
/// ```
public enum RetryDelay: Sendable, Hashable, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByArrayLiteral
{
    /// The same delay before every retry.
    case seconds(Double)
    /// One delay per retry; retries past the end of the list wait its last delay.
    case schedule([Double])

    public init(integerLiteral value: Int) { self = .seconds(Double(value)) }
    public init(floatLiteral value: Double) { self = .seconds(value) }
    public init(arrayLiteral elements: Double...) { self = .schedule(elements) }

    /// The delay before retry number `retry` (0 for the first retry), before jitter.
    public func seconds(beforeRetry retry: Int) -> Double {
        switch self {
        case .seconds(let value):
            return max(0, value)
        case .schedule(let values):
            guard let last = values.last else { return 0 }
            return max(0, retry < values.count ? values[max(0, retry)] : last)
        }
    }

    /// Whether a delay is configured, as Prefect tests `if self.task.retry_delay_seconds:` —
    /// a non-zero number or a non-empty list.
    var isSet: Bool {
        switch self {
        case .seconds(let value): value != 0
        case .schedule(let values): !values.isEmpty
        }
    }

    /// The value of the task run's `empirical_policy.retry_delay`.
    var policyValue: JSONValue {
        switch self {
        case .seconds(let value): return Self.number(value)
        case .schedule(let values): return .array(values.map(Self.number))
        }
    }

    private static func number(_ value: Double) -> JSONValue {
        if value.rounded() == value, abs(value) < 1e15 { return .int(Int64(value)) }
        return .double(value)
    }
}
