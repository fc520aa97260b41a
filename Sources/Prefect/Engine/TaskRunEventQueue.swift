import Foundation
import Logging
import PrefectClient
import Synchronization

/// The task-run events of a runtime on their way to the server, in the order they were made,
/// sent by one background sender so that no task waits for the network — as Prefect's
/// `EventsWorker` (`prefect/events/worker.py`) sends its engine's events from a thread of its own.
/// Whatever is queued when the sender gets to it goes as one batch: one `POST /events`
/// in-process, a run of websocket messages otherwise.
///
/// Events the sink could not deliver after its own retries (the websocket's reconnections, the
/// client's retries) are dropped with a warning, as Prefect's worker drops them: a task run is
/// never failed for its report.
final class TaskRunEventQueue: Sendable {
    private struct State {
        var pending: [Event] = []
        var sending = false
        /// Events queued so far, and how many of them the sender is done with.
        var queued = 0
        var settled = 0
        var waiters: [(upTo: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())
    private let sink: any TaskRunEventSink
    private static let logger = Logger(label: "prefect.task_runs.events")

    init(sink: any TaskRunEventSink) {
        self.sink = sink
    }

    /// Queues `event` and returns at once; the sender is started when it is idle.
    func enqueue(_ event: Event) {
        let start = state.withLock { state -> Bool in
            state.pending.append(event)
            state.queued += 1
            guard !state.sending else { return false }
            state.sending = true
            return true
        }
        if start { Task.detached { await self.send() } }
    }

    /// Waits until the sender is done with every event queued before the call: written to the
    /// websocket (the server confirms them at the socket's next checkpoint), stored by
    /// `POST /events`, or dropped after the sink's retries. What a run waits for at its end,
    /// as Prefect's engine does not wait for its events at all.
    func sent() async {
        let target = state.withLock { $0.queued }
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                guard state.settled < target else { return true }
                state.waiters.append((target, continuation))
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Waits until every event queued before the call was sent (``sent()``), then until the
    /// server confirmed them (the websocket's checkpoint; unconfirmed ones are sent again on a
    /// new connection).
    func flush() async {
        await sent()
        do {
            try await sink.confirm()
        } catch {
            Self.logger.warning("task-run events could not be confirmed: \(error)")
        }
    }

    private func send() async {
        while let batch = nextBatch() {
            do {
                try await sink.send(batch)
            } catch {
                Self.logger.warning("\(batch.count) task-run event(s) could not be sent and were dropped: \(error)")
            }
            let done = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.settled += batch.count
                let settled = state.settled
                let done = state.waiters.filter { $0.upTo <= settled }.map(\.continuation)
                state.waiters.removeAll { $0.upTo <= settled }
                return done
            }
            for waiter in done { waiter.resume() }
        }
    }

    /// Everything queued, or nil (and the sender stops) when nothing is.
    private func nextBatch() -> [Event]? {
        state.withLock { state in
            guard !state.pending.isEmpty else {
                state.sending = false
                return nil
            }
            defer { state.pending = [] }
            return state.pending
        }
    }
}
