/// The pings an ``EventSocket`` sent and not yet forgotten, by the number each carries. A ping
/// is registered before its frame is written, so a pong that comes back before its caller
/// starts waiting is not lost; a wait that is cancelled, times out or sees the socket close
/// is ended here, so no caller is ever left suspended.
struct PendingPings {
    private enum Waiter {
        case registered
        case waiting(CheckedContinuation<Void, any Error>)
        case ended(Result<Void, any Error>)
    }

    private var waiters: [UInt64: Waiter] = [:]

    mutating func register(_ data: UInt64) {
        waiters[data] = .registered
    }

    /// Waits on ping `data` with `continuation`; returns what to resume it with at once when the
    /// ping has already ended (or was forgotten: a cancelled wait).
    mutating func wait(_ data: UInt64, with continuation: CheckedContinuation<Void, any Error>) -> Result<Void, any Error>? {
        switch waiters[data] {
        case .registered:
            waiters[data] = .waiting(continuation)
            return nil
        case .ended(let result):
            return result
        case .waiting, nil:
            return .failure(CancellationError())
        }
    }

    /// A pong carrying `value` answers its ping and every earlier one (RFC 6455 lets a server
    /// skip some); one that answers no registered ping is ignored. Returns the waits to resume.
    mutating func answer(_ value: UInt64) -> [CheckedContinuation<Void, any Error>] {
        guard waiters[value] != nil else { return [] }
        return end(waiters.keys.filter { $0 <= value }, with: .success(()))
    }

    /// Ends ping `data` with `error`; returns its wait to resume, if one waits.
    mutating func fail(_ data: UInt64, with error: any Error) -> CheckedContinuation<Void, any Error>? {
        guard waiters[data] != nil else { return nil }
        return end([data], with: .failure(error)).first
    }

    /// Ends every ping with `error` (the socket closed); returns the waits to resume.
    mutating func failAll(with error: any Error) -> [CheckedContinuation<Void, any Error>] {
        end(Array(waiters.keys), with: .failure(error))
    }

    /// Forgets ping `data` once its caller is done with it.
    mutating func forget(_ data: UInt64) {
        waiters[data] = nil
    }

    private mutating func end(_ keys: [UInt64], with result: Result<Void, any Error>) -> [CheckedContinuation<Void, any Error>] {
        var waiting: [CheckedContinuation<Void, any Error>] = []
        for key in keys {
            if case .waiting(let continuation) = waiters[key] { waiting.append(continuation) }
            waiters[key] = .ended(result)
        }
        return waiting
    }
}
