import Foundation
import Logging
import PrefectClient
import PrefectSchemas
import Synchronization

/// The background worker that sends run log records to `POST /logs/` in batches, as Prefect's
/// `APILogWorker` (`prefect/logging/handlers.py`) does.
///
/// ``enqueue(_:)`` never waits: it appends to a buffer bounded by
/// ``PrefectRuntime/Configuration/maxBufferedLogBytes``. The worker sends a batch every
/// ``PrefectRuntime/Configuration/logBatchInterval`` seconds (the first an interval after it
/// starts, as Prefect's `BatchedQueueService` does: a short run's records go in one request at
/// its end), or sooner when a batch is full or someone flushes. A batch the API does not take goes back to the front of the buffer and is
/// sent again later, so no record is lost while memory allows; past the bound the oldest
/// records are dropped and their count is logged.
final class LogShipper: Sendable {
    private struct Buffer {
        var pending: [LogCreate] = []
        var pendingBytes = 0
        /// Records taken for a batch that has not been answered yet.
        var inFlight = 0
        var dropped = 0
        var reportedDropped = 0
        var flushWaiters: [UUID: CheckedContinuation<Bool, Never>] = [:]
        var worker: Task<Void, Never>?
        var stopped = false
    }

    private let configuration: PrefectRuntime.Configuration
    private let client: @Sendable () async throws -> PrefectClient
    private let buffer = Mutex(Buffer())
    private let wakeStream: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let localLogger = Logger(label: "prefect.logging")
    /// Records dropped since the shipper started, for tests and the exit report.
    var droppedCount: Int { buffer.withLock { $0.dropped } }
    /// Records not yet accepted by the API.
    var unsentCount: Int { buffer.withLock { $0.pending.count + $0.inFlight } }

    init(configuration: PrefectRuntime.Configuration, client: @escaping @Sendable () async throws -> PrefectClient) {
        self.configuration = configuration
        self.client = client
        (wakeStream, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues `record` for the API; starts the worker on first use.
    func enqueue(_ record: LogCreate) {
        guard configuration.logsToAPI else { return }
        let size = Self.size(of: record)
        let batchFull = buffer.withLock { buffer -> Bool in
            guard !buffer.stopped else { return false }
            buffer.pending.append(record)
            buffer.pendingBytes += size
            while buffer.pendingBytes > configuration.maxBufferedLogBytes, buffer.pending.count > 1 {
                let oldest = buffer.pending.removeFirst()
                buffer.pendingBytes -= Self.size(of: oldest)
                buffer.dropped += 1
            }
            if buffer.worker == nil {
                buffer.worker = Task.detached { [self] in await self.work() }
            }
            return buffer.pendingBytes >= configuration.logBatchBytes
        }
        if batchFull { wake.yield() }
    }

    /// Waits until nothing is left to send, at most `timeout` seconds.
    func flush(timeout: Double) async -> Bool {
        let id = UUID.version4()
        let done = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let empty = buffer.withLock { buffer -> Bool in
                if buffer.pending.isEmpty, buffer.inFlight == 0 { return true }
                buffer.flushWaiters[id] = continuation
                return false
            }
            if empty {
                continuation.resume(returning: true)
                return
            }
            wake.yield()
            Task.detached { [self] in
                try? await Task.sleep(for: .wait(seconds: timeout))
                let waiter = buffer.withLock { $0.flushWaiters.removeValue(forKey: id) }
                waiter?.resume(returning: false)
            }
        }
        return done
    }

    /// Stops the worker; records still queued are not sent.
    func stop() async {
        let worker = buffer.withLock { buffer -> Task<Void, Never>? in
            buffer.stopped = true
            let worker = buffer.worker
            buffer.worker = nil
            return worker
        }
        worker?.cancel()
        await worker?.value
        let waiters = buffer.withLock { buffer -> [CheckedContinuation<Bool, Never>] in
            defer { buffer.flushWaiters = [:] }
            return Array(buffer.flushWaiters.values)
        }
        for waiter in waiters { waiter.resume(returning: false) }
    }

    private func work() async {
        let interval = max(0.01, configuration.logBatchInterval)
        let ticker = Task.detached { [wake] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .wait(seconds: interval))
                wake.yield()
            }
        }
        defer { ticker.cancel() }
        var failures = 0
        for await _ in wakeStream {
            if Task.isCancelled { return }
            while let batch = takeBatch() {
                do {
                    let client = try await client()
                    try await client.createLogs(batch)
                    failures = 0
                    finishBatch(sent: batch.count)
                } catch {
                    failures += 1
                    putBack(batch)
                    if Task.isCancelled { return }
                    localLogger.warning(
                        "could not send \(batch.count) log record(s) to the Prefect API; they stay queued",
                        metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(min(10, Double(failures))))
                    if Task.isCancelled { return }
                }
            }
        }
    }

    private func takeBatch() -> [LogCreate]? {
        buffer.withLock { buffer -> [LogCreate]? in
            guard !buffer.pending.isEmpty else { return nil }
            var bytes = 0
            var count = 0
            for record in buffer.pending {
                let size = Self.size(of: record)
                if count > 0, bytes + size > configuration.logBatchBytes { break }
                bytes += size
                count += 1
            }
            let batch = Array(buffer.pending.prefix(count))
            buffer.pending.removeFirst(count)
            buffer.pendingBytes -= bytes
            buffer.inFlight += count
            return batch
        }
    }

    private func finishBatch(sent: Int) {
        let (waiters, newlyDropped) = buffer.withLock { buffer -> ([CheckedContinuation<Bool, Never>], Int) in
            buffer.inFlight -= sent
            let newlyDropped = buffer.dropped - buffer.reportedDropped
            buffer.reportedDropped = buffer.dropped
            guard buffer.pending.isEmpty, buffer.inFlight == 0 else { return ([], newlyDropped) }
            defer { buffer.flushWaiters = [:] }
            return (Array(buffer.flushWaiters.values), newlyDropped)
        }
        if newlyDropped > 0 {
            localLogger.warning(
                "\(newlyDropped) log record(s) were dropped: the buffer was full while the Prefect API could not be reached")
        }
        for waiter in waiters { waiter.resume(returning: true) }
    }

    private func putBack(_ batch: [LogCreate]) {
        buffer.withLock { buffer in
            buffer.inFlight -= batch.count
            buffer.pending.insert(contentsOf: batch, at: 0)
            buffer.pendingBytes += batch.reduce(0) { $0 + Self.size(of: $1) }
        }
    }

    /// Roughly the bytes a record takes in a request body.
    static func size(of record: LogCreate) -> Int {
        record.message.utf8.count + record.name.utf8.count + 160
    }
}
