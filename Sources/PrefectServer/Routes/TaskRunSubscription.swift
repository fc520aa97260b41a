import Foundation
import HummingbirdWebSocket
import NIOWebSocket
import PrefectSchemas

/// `/api/task_runs/subscriptions/scheduled` (Prefect's `scheduled_task_subscription`,
/// `server/api/task_runs.py`): after the handshake, a `subscribe` message with the task `keys`
/// and a `client_id`; then each background task run of those keys, as its JSON, and the worker
/// answers `ack` (or `quit`) before the next. A run whose delivery failed goes back to the
/// front of its key's retry lane. Protocol violations close the socket with 4001.
enum TaskRunSubscription {
    static func serve(
        _ messages: inout AsyncStream<String>.Iterator, _ outbound: WebSocketOutboundWriter, _ env: RouteEnvironment
    ) async throws {
        guard let text = await messages.next() else { return }
        let message = try? PrefectJSON.decode(JSONValue.self, from: Data(text.utf8))
        guard message?["type"]?.stringValue == "subscribe" else {
            return try await violation("expected 'subscribe' message", outbound)
        }
        let keys = message?["keys"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard !keys.isEmpty else { return try await violation("expected 'keys' in subscribe message", outbound) }
        guard let clientID = message?["client_id"]?.stringValue, !clientID.isEmpty else {
            return try await violation("expected 'client_id' in subscribe message", outbound)
        }
        let queues = env.database.backgroundTasks
        while !Task.isCancelled {
            guard let entry = try await queues.next(keys: keys, timeout: .seconds(1)) else { continue }
            do {
                try await outbound.write(.text(String(decoding: entry.body, as: UTF8.self)))
            } catch {
                queues.put(entry, lane: .retry)
                return
            }
            guard let answer = await messages.next() else {
                queues.put(entry, lane: .retry)
                return
            }
            let acknowledgement = try? PrefectJSON.decode(JSONValue.self, from: Data(answer.utf8))
            switch acknowledgement?["type"]?.stringValue {
            case "ack":
                continue
            case "quit":
                try await outbound.close(.normalClosure, reason: nil)
                return
            default:
                return try await violation("expected 'ack' message", outbound)
            }
        }
    }

    private static func violation(_ reason: String, _ outbound: WebSocketOutboundWriter) async throws {
        try await outbound.close(.init(codeNumber: 4001), reason: "Protocol violation: \(reason)")
    }
}
