import Foundation
import PrefectSchemas

/// The frames of Prefect's worker channel, v1 (`prefect/client/schemas/worker_channel.py`):
/// strict models (`extra="forbid"`), so a frame with a member it does not know, or without
/// one it needs, is a protocol error.
enum WorkerChannelFrames {
    static let version = "work_pool_worker_channel.v1"
    static let heartbeatCapability = "worker_heartbeat.v1"
    static let snapshotCapability = "work_pool_snapshot.v1"
    static let cleanupCapability = "cleanup_delivery.v1"
    /// `_OSS_WORKER_CHANNEL_REQUIRED_CAPABILITIES`, in Prefect's order.
    static let requiredCapabilities = [heartbeatCapability, snapshotCapability]
    static let cleanupKinds: Set<String> = ["cancelling_timeout_teardown.v1", "pending_claim_teardown.v1"]

    struct Invalid: Error {}

    /// `WorkerHelloFrame`'s payload.
    struct Hello: Sendable {
        var consumerID: UUID
        var workerName: String
        var workerType: String
        var heartbeatIntervalSeconds: Int
        var supportedVersions: [String]
        var requestedCapabilities: [String]
        var workQueueNames: [String]
        var createPoolIfNotFound: Bool
        var defaultBaseJobTemplate: JSONObject
    }

    /// `WorkerHeartbeatFrame`'s payload.
    struct Heartbeat: Sendable {
        var consumerID: UUID
        var workerName: String
        var heartbeatIntervalSeconds: Int
    }

    enum Incoming {
        case hello(Hello)
        case heartbeat(Heartbeat)
        /// A valid frame of another type (cleanup operations, or a frame only servers send).
        case other(String)
    }

    /// `validate_worker_channel_frame`.
    static func parse(_ text: String) throws -> Incoming {
        guard case .object(let frame)? = try? PrefectJSON.decode(JSONValue.self, from: Data(text.utf8)),
              Set(frame.keys) == ["type", "id", "sent_at", "payload"],
              let type = frame["type"]?.stringValue, uuid(frame["id"]) != nil,
              let sentAt = frame["sent_at"]?.stringValue, PrefectDate.parse(sentAt) != nil,
              case .object(let payload)? = frame["payload"]
        else { throw Invalid() }
        switch type {
        case "worker.hello.v1": return .hello(try hello(payload))
        case "worker.heartbeat.v1": return .heartbeat(try heartbeat(payload))
        case "worker.ready.v1", "work_pool.snapshot.v1", "cleanup.message.v1", "cleanup.ack.v1", "cleanup.release.v1",
             "cleanup.renew.v1", "cleanup.operation_result.v1":
            return .other(type)
        default: throw Invalid()
        }
    }

    private static func hello(_ payload: JSONObject) throws -> Hello {
        let allowed: Set<String> = [
            "consumer_id", "worker_name", "worker_type", "heartbeat_interval_seconds", "supported_channel_versions",
            "requested_capabilities", "work_queue_names", "handled_cleanup_kinds", "max_cleanup_concurrency",
            "create_pool_if_not_found", "default_base_job_template", "worker_metadata",
        ]
        guard Set(payload.keys).isSubset(of: allowed), let consumerID = uuid(payload["consumer_id"]),
              let workerName = nonEmpty(payload["worker_name"]), let workerType = nonEmpty(payload["worker_type"]),
              let interval = integer(payload["heartbeat_interval_seconds"]), interval > 0,
              let versions = strings(payload["supported_channel_versions"]), !versions.isEmpty,
              let requested = strings(payload["requested_capabilities"]), !requested.isEmpty
        else { throw Invalid() }
        let queues = try payload["work_queue_names"].map { try strings($0) ?? { throw Invalid() }() } ?? []
        let kinds = try payload["handled_cleanup_kinds"].map { value -> [String] in
            guard let kinds = strings(value), kinds.allSatisfy(cleanupKinds.contains) else { throw Invalid() }
            return kinds
        } ?? []
        var concurrency = 0
        if let value = payload["max_cleanup_concurrency"] {
            guard let number = integer(value), number >= 0 else { throw Invalid() }
            concurrency = number
        }
        var create = false
        if let value = payload["create_pool_if_not_found"] {
            guard case .bool(let flag) = value else { throw Invalid() }
            create = flag
        }
        var template: JSONObject = [:]
        if let value = payload["default_base_job_template"] {
            guard case .object(let object) = value else { throw Invalid() }
            template = object
        }
        if let metadata = payload["worker_metadata"] {
            switch metadata {
            case .object, .null: break
            default: throw Invalid()
            }
        }
        // `required_capabilities_are_requested`.
        guard requiredCapabilities.allSatisfy(requested.contains) else { throw Invalid() }
        if !requested.contains(cleanupCapability), !kinds.isEmpty || concurrency != 0 { throw Invalid() }
        return Hello(
            consumerID: consumerID, workerName: workerName, workerType: workerType, heartbeatIntervalSeconds: interval,
            supportedVersions: versions, requestedCapabilities: requested, workQueueNames: queues,
            createPoolIfNotFound: create, defaultBaseJobTemplate: template)
    }

    private static func heartbeat(_ payload: JSONObject) throws -> Heartbeat {
        guard Set(payload.keys).isSubset(of: ["consumer_id", "worker_name", "heartbeat_interval_seconds"]),
              let consumerID = uuid(payload["consumer_id"]), let workerName = nonEmpty(payload["worker_name"]),
              let interval = integer(payload["heartbeat_interval_seconds"]), interval > 0
        else { throw Invalid() }
        return Heartbeat(consumerID: consumerID, workerName: workerName, heartbeatIntervalSeconds: interval)
    }

    /// A frame the server sends: a new time-ordered id and the time it is sent.
    static func frame(_ type: String, payload: JSONObject, now: Date = Date()) -> String {
        let frame: JSONValue = [
            "type": .string(type), "id": .string(UUID.version7(at: now).prefectString),
            "sent_at": .string(PrefectDate.format(now)), "payload": .object(payload),
        ]
        return (try? ServerJSON.encode(frame)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    private static func uuid(_ value: JSONValue?) -> UUID? {
        value?.stringValue.flatMap(UUID.init(uuidString:))
    }

    private static func nonEmpty(_ value: JSONValue?) -> String? {
        guard let text = value?.stringValue, !text.isEmpty else { return nil }
        return text
    }

    /// An integer as pydantic takes one in lax mode: a whole number, or a string of one.
    private static func integer(_ value: JSONValue?) -> Int? {
        switch value {
        case .int(let number)?: return Int(exactly: number)
        case .double(let number)? where number.rounded() == number && abs(number) < 1e15: return Int(number)
        case .string(let text)?: return Int(text.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    /// A list of non-empty strings.
    private static func strings(_ value: JSONValue?) -> [String]? {
        guard case .array(let items)? = value else { return nil }
        let texts = items.compactMap(\.stringValue)
        return texts.count == items.count && texts.allSatisfy({ !$0.isEmpty }) ? texts : nil
    }
}
