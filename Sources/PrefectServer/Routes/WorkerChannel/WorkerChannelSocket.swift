import Foundation
import GRDB
import HummingbirdWebSocket
import NIOWebSocket
import PrefectSchemas
import Synchronization

/// `/api/work_pools/{name}/workers/connect`, Prefect's worker channel
/// (`worker_channel_connect`, `prefect/server/api/workers.py`, and `WorkerChannelConnection`,
/// `prefect/server/utilities/worker_channel.py`): after the handshake, the worker's
/// `worker.hello.v1` is answered with `worker.ready.v1` (the pool, created when the worker
/// asks and may; its queues; the worker's first heartbeat recorded; the pool's snapshot); then
/// the worker's `worker.heartbeat.v1` frames are recorded as REST heartbeats are, and each
/// change of the pool that workers depend on is sent as `work_pool.snapshot.v1`. A deleted pool
/// closes the channel. Failures close it with Prefect's reasons and codes.
///
/// Prefect 3.9.1 also delivers cleanup messages (`cleanup_delivery.v1`); this server has no
/// cleanup queue, so it rejects that capability, as Prefect does when its queue is unavailable.
enum WorkerChannelSocket {
    /// `WorkerChannelCloseReason` with its `WORKER_CHANNEL_CLOSE_POLICIES` code.
    enum CloseReason: String, Error {
        case authenticationFailed = "authentication_failed"
        case authorizationFailed = "authorization_failed"
        case unsupportedVersion = "unsupported_version"
        case protocolError = "protocol_error"
        case heartbeatPersistenceFailed = "heartbeat_persistence_failed"
        case transientServerError = "transient_server_error"

        var code: WebSocketErrorCode {
            switch self {
            case .authenticationFailed, .authorizationFailed, .unsupportedVersion: .policyViolation
            case .protocolError: .protocolError
            case .heartbeatPersistenceFailed, .transientServerError: .unexpectedServerError
            }
        }
    }

    /// What setting the channel up made: the ready frame, and whether the pool's template was
    /// filled in (its snapshot then goes to the pool's other channels).
    private struct Setup: Sendable {
        let ready: String
        let poolID: UUID
        let poolUpdated: Date?
        let filledTemplate: Bool
    }

    static func serve(
        poolName: String, _ messages: inout AsyncStream<String>.Iterator, _ outbound: WebSocketOutboundWriter, _ env: RouteEnvironment
    ) async throws {
        // Subscribed before the pool is read, so that no change after the snapshot is missed.
        let invalidations = env.database.workerChannels.subscribe()
        guard let text = await messages.next() else { return }
        let setup: Setup
        let hello: WorkerChannelFrames.Hello
        do {
            guard case .hello(let parsed) = try WorkerChannelFrames.parse(text) else { throw CloseReason.protocolError }
            hello = parsed
            guard hello.supportedVersions.contains(WorkerChannelFrames.version) else { throw CloseReason.unsupportedVersion }
            setup = try await env.write { db in try ready(db, poolName: poolName, hello, now: Date()) }
        } catch let reason as CloseReason {
            return try await close(outbound, reason)
        } catch is WorkerChannelFrames.Invalid {
            return try await close(outbound, .protocolError)
        } catch is APIError {
            return try await close(outbound, .protocolError)
        } catch {
            return try await close(outbound, .transientServerError)
        }
        if setup.filledTemplate {
            env.database.workerChannels.publish(.init(poolID: setup.poolID, reason: "work_pool_updated"))
        }
        try await outbound.write(.text(setup.ready))
        let lastSnapshot = LastSnapshot(setup.poolUpdated)
        let (local, queue) = AsyncStream<WorkerChannelHub.Invalidation>.makeStream(bufferingPolicy: .bufferingNewest(1))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await invalidation in invalidations where invalidation.poolID == setup.poolID { queue.yield(invalidation) }
            }
            group.addTask {
                try await sendSnapshots(local, poolID: setup.poolID, lastSnapshot: lastSnapshot, outbound, env)
            }
            let ended = try await receive(&messages, hello, poolName: poolName, lastSnapshot: lastSnapshot, queue, env)
            if let ended { try? await close(outbound, ended) }
            group.cancelAll()
        }
    }

    /// `_build_worker_ready_frame`.
    private static func ready(_ db: Database, poolName: String, _ hello: WorkerChannelFrames.Hello, now: Date) throws -> Setup {
        var pool: WorkPool
        if let found = try WorkPoolStore.read(db, name: poolName) {
            pool = found
        } else {
            guard hello.createPoolIfNotFound, !WorkPoolStore.isReserved(poolName) else { throw CloseReason.authorizationFailed }
            try JobVariableValidation.checkDefaults(hello.defaultBaseJobTemplate, db)
            pool = try WorkPoolStore.create(
                db, WorkPoolCreate(name: poolName, type: hello.workerType, baseJobTemplate: hello.defaultBaseJobTemplate), now: now)
        }
        let queues: [WorkQueue]
        if hello.workQueueNames.isEmpty {
            queues = try WorkQueueStore.all(db, poolID: pool.id)
        } else {
            var seen: Set<String> = []
            queues = try hello.workQueueNames.filter { seen.insert($0).inserted }.map { name in
                do {
                    return try WorkQueueStore.named(db, pool: poolName, name: name)
                } catch is APIError {
                    throw CloseReason.authorizationFailed
                }
            }
        }
        var filledTemplate = false
        if pool.baseJobTemplate.isEmpty, !hello.defaultBaseJobTemplate.isEmpty {
            try JobVariableValidation.checkDefaults(hello.defaultBaseJobTemplate, db)
            try WorkPoolStore.update(
                db, pool, WorkPoolBodies.PoolChanges(baseJobTemplate: hello.defaultBaseJobTemplate, members: ["base_job_template"]),
                now: now)
            filledTemplate = true
            pool = try WorkPoolStore.read(db, id: pool.id) ?? pool
        }
        do {
            try WorkerStore.heartbeat(db, pool: pool, name: hello.workerName, intervalSeconds: hello.heartbeatIntervalSeconds, now: now)
        } catch {
            throw CloseReason.heartbeatPersistenceFailed
        }
        guard let current = try WorkPoolStore.read(db, id: pool.id) else { throw CloseReason.authorizationFailed }
        var requested: [String] = []
        for capability in hello.requestedCapabilities where !requested.contains(capability) { requested.append(capability) }
        let accepted = WorkerChannelFrames.requiredCapabilities
        let payload: JSONObject = [
            "consumer_id": .string(hello.consumerID.prefectString), "worker_id": .null,
            "selected_channel_version": .string(WorkerChannelFrames.version),
            "effective_heartbeat_interval_seconds": .int(Int64(hello.heartbeatIntervalSeconds)),
            "accepted_capabilities": .array(accepted.map(JSONValue.string)),
            "rejected_capabilities": .array(requested.filter { !accepted.contains($0) }.map(JSONValue.string)),
            "effective_max_cleanup_concurrency": 0,
            "resolved_work_queues": .array(queues.map { ["id": .string($0.id.prefectString), "name": .string($0.name)] }),
            "initial_snapshot": try snapshot(db, current, sequence: 1, reason: "initial"),
        ]
        return Setup(
            ready: WorkerChannelFrames.frame("worker.ready.v1", payload: payload, now: now), poolID: pool.id,
            poolUpdated: current.updated, filledTemplate: filledTemplate)
    }

    /// `WorkPoolSnapshotPayload`: the pool as the API answers it, with its active slots.
    private static func snapshot(_ db: Database, _ pool: WorkPool, sequence: Int, reason: String) throws -> JSONValue {
        let answered = try WorkPoolStore.withActiveSlots(db, [pool])[0]
        return [
            "snapshot_sequence": .int(Int64(sequence)), "reason": .string(reason),
            "work_pool": try PrefectJSON.decode(JSONValue.self, from: ServerJSON.encode(answered)),
        ]
    }

    /// `_receive_loop`: heartbeats until the worker goes; answers why to close, if it must. A
    /// pool changed since the last snapshot (read before the heartbeat is recorded, as Prefect
    /// reads it) asks for a snapshot.
    private static func receive(
        _ messages: inout AsyncStream<String>.Iterator, _ hello: WorkerChannelFrames.Hello, poolName: String,
        lastSnapshot: LastSnapshot,
        _ queue: AsyncStream<WorkerChannelHub.Invalidation>.Continuation, _ env: RouteEnvironment
    ) async throws -> CloseReason? {
        while let text = await messages.next() {
            guard case .heartbeat(let heartbeat)? = try? WorkerChannelFrames.parse(text),
                  heartbeat.consumerID == hello.consumerID, heartbeat.workerName == hello.workerName
            else { return .protocolError }
            let pool: WorkPool
            do {
                pool = try await env.write { db in
                    guard let pool = try WorkPoolStore.read(db, name: poolName) else { throw CloseReason.heartbeatPersistenceFailed }
                    try WorkerStore.heartbeat(
                        db, pool: pool, name: heartbeat.workerName, intervalSeconds: heartbeat.heartbeatIntervalSeconds, now: Date())
                    return pool
                }
            } catch {
                return .heartbeatPersistenceFailed
            }
            if pool.updated != lastSnapshot.updated { queue.yield(.init(poolID: pool.id, reason: "heartbeat_reconciliation")) }
        }
        return nil
    }

    /// `_send_loop` after the ready frame: each invalidation, coalesced over 50 ms, becomes the
    /// next snapshot; the pool's deletion closes the channel.
    private static func sendSnapshots(
        _ invalidations: AsyncStream<WorkerChannelHub.Invalidation>, poolID: UUID, lastSnapshot: LastSnapshot,
        _ outbound: WebSocketOutboundWriter,
        _ env: RouteEnvironment
    ) async throws {
        var sequence = 2
        for await invalidation in invalidations {
            // Changes that come while this one waits are held by the stream, newest only.
            try await Task.sleep(for: .milliseconds(50))
            if invalidation.deleted { return try await close(outbound, .authorizationFailed) }
            let reason = invalidation.reason
            let current = sequence
            let read = try await env.read { db -> (String, Date?)? in
                guard let pool = try WorkPoolStore.read(db, id: poolID) else { return nil }
                let payload = try snapshot(db, pool, sequence: current, reason: reason).objectValue ?? [:]
                return (WorkerChannelFrames.frame("work_pool.snapshot.v1", payload: payload), pool.updated)
            }
            guard let (frame, updated) = read else { return try await close(outbound, .authorizationFailed) }
            lastSnapshot.updated = updated
            try await outbound.write(.text(frame))
            sequence += 1
        }
    }

    /// `close_worker_channel`.
    static func close(_ outbound: WebSocketOutboundWriter, _ reason: CloseReason) async throws {
        try await outbound.close(reason.code, reason: reason.rawValue)
    }
}

/// When the pool had last changed as of the last snapshot a channel sent
/// (`WorkerChannelConnection._work_pool_updated`).
private final class LastSnapshot: Sendable {
    private let value: Mutex<Date?>

    init(_ updated: Date?) {
        value = Mutex(updated)
    }

    var updated: Date? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
