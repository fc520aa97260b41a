/// Slots of concurrency limits could not be acquired (Prefect's
/// `ConcurrencySlotAcquisitionError` and `AcquireConcurrencySlotTimeoutError`,
/// `prefect/concurrency/_asyncio.py`).
public struct ConcurrencySlotAcquisitionError: Error, Sendable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// `strict` was set and none of the named limits exists.
        case limitsMissing
        /// The slots were still taken when the timeout ran out.
        case timedOut(seconds: Double)
        /// The server refused and retrying would not help (its status and detail are in `httpError`).
        case refused
        /// The server stayed locked for every allowed retry.
        case retriesExhausted
        /// The lease could not be renewed while the body ran (`strict` only); the body was cancelled.
        case leaseLost
    }

    /// The limits asked for.
    public var names: [String]
    public var reason: Reason
    /// The server's answer, when one caused this.
    public var httpError: PrefectHTTPStatusError?

    public init(names: [String], reason: Reason, httpError: PrefectHTTPStatusError? = nil) {
        self.names = names
        self.reason = reason
        self.httpError = httpError
    }

    public var description: String {
        let quoted = "[" + names.map { "'\($0)'" }.joined(separator: ", ") + "]"
        switch reason {
        case .limitsMissing:
            return "Concurrency limits \(quoted) must be created before acquiring slots"
        case .timedOut(let seconds):
            return "Attempt to acquire concurrency slots timed out after \(seconds) second(s)"
        case .leaseLost:
            return "Concurrency lease renewal failed - slots on \(quoted) are no longer reserved"
        case .refused, .retriesExhausted:
            let detail = httpError.map { ": \($0.statusCode) \($0.detail?.stringValue ?? "")" } ?? ""
            return "Unable to acquire concurrency slots on \(quoted)\(detail)"
        }
    }
}
