import Foundation
import Synchronization

/// At most `limit` task runs of a runtime at once — what Prefect's default
/// `ThreadPoolTaskRunner` gives with its worker threads (`max_workers`). The rest wait their
/// turn in call order, so a `map` over thousands of inputs does not put thousands of requests
/// on the server at once. A task called inside another task runs in its parent's slot, so
/// nesting never deadlocks.
final class TaskRunSlots: Sendable {
    private struct Slots {
        var free: Int
        var waiters: [(id: UUID, continuation: CheckedContinuation<Void, any Error>)] = []
    }

    private let slots: Mutex<Slots>

    init(limit: Int) {
        slots = Mutex(Slots(free: max(1, limit)))
    }

    /// Runs `body` in a slot, waiting for one first.
    func withSlot<T>(_ body: () async throws -> T) async throws -> T {
        try await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async throws {
        let id = UUID.version4()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let granted = slots.withLock { slots -> Bool in
                    if slots.free > 0 {
                        slots.free -= 1
                        return true
                    }
                    slots.waiters.append((id, continuation))
                    return false
                }
                if granted { continuation.resume() }
            }
        } onCancel: {
            let waiter = slots.withLock { slots -> CheckedContinuation<Void, any Error>? in
                guard let index = slots.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return slots.waiters.remove(at: index).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    private func release() {
        let next = slots.withLock { slots -> CheckedContinuation<Void, any Error>? in
            if slots.waiters.isEmpty {
                slots.free += 1
                return nil
            }
            return slots.waiters.removeFirst().continuation
        }
        next?.resume()
    }
}
