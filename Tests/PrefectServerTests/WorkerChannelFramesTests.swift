import Foundation
import PrefectSchemas
@testable import PrefectServer
import Testing

/// The worker channel's frames read as Prefect's strict models read them
/// (`prefect/client/schemas/worker_channel.py`).
@Suite("Worker channel frames")
struct WorkerChannelFramesTests {
    func hello(_ payload: JSONObject = [:], frame: JSONObject = [:]) throws -> String {
        var body: JSONObject = [
            "consumer_id": .string(UUID().prefectString), "worker_name": "w", "worker_type": "process",
            "heartbeat_interval_seconds": 30, "supported_channel_versions": ["work_pool_worker_channel.v1"],
            "requested_capabilities": ["worker_heartbeat.v1", "work_pool_snapshot.v1"],
        ]
        for (key, value) in payload { body[key] = value }
        var whole: JSONObject = [
            "type": "worker.hello.v1", "id": .string(UUID().prefectString), "sent_at": "2026-12-06T05:00:00Z", "payload": .object(body),
        ]
        for (key, value) in frame { whole[key] = value }
        return String(decoding: try ServerJSON.encode(JSONValue.object(whole)), as: UTF8.self)
    }

    @Test("a hello with defaults, and pydantic's lax integers")
    func valid() throws {
        guard case .hello(let parsed) = try WorkerChannelFrames.parse(try hello(["heartbeat_interval_seconds": "15"])) else {
            Issue.record("not a hello")
            return
        }
        #expect(parsed.heartbeatIntervalSeconds == 15)
        #expect(parsed.workQueueNames.isEmpty)
        #expect(!parsed.createPoolIfNotFound)
    }

    @Test("what the strict models refuse", arguments: [
        ["extra": 1] as JSONObject, ["worker_name": ""], ["heartbeat_interval_seconds": 0], ["supported_channel_versions": []],
        ["requested_capabilities": ["worker_heartbeat.v1"]], ["handled_cleanup_kinds": ["cancelling_timeout_teardown.v1"]],
        ["max_cleanup_concurrency": 1], ["handled_cleanup_kinds": ["nope"]], ["create_pool_if_not_found": "yes"],
        ["default_base_job_template": []], ["consumer_id": "not-a-uuid"],
    ])
    func invalid(payload: JSONObject) throws {
        let text = try hello(payload)
        #expect(throws: WorkerChannelFrames.Invalid.self) { try WorkerChannelFrames.parse(text) }
    }

    @Test("frames with a member too many, an unknown type or no id are refused")
    func invalidFrames() throws {
        #expect(throws: WorkerChannelFrames.Invalid.self) { try WorkerChannelFrames.parse(try hello(frame: ["extra": 1])) }
        #expect(throws: WorkerChannelFrames.Invalid.self) { try WorkerChannelFrames.parse(try hello(frame: ["type": "worker.nope"])) }
        #expect(throws: WorkerChannelFrames.Invalid.self) { try WorkerChannelFrames.parse(try hello(frame: ["id": 3])) }
        #expect(throws: WorkerChannelFrames.Invalid.self) { try WorkerChannelFrames.parse("not json") }
    }
}
