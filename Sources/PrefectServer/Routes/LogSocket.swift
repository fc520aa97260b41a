import Foundation
import HummingbirdWebSocket
import NIOWebSocket
import PrefectSchemas

/// `/api/logs/out` (Prefect's `stream_logs_out`, `server/api/logs.py`): after the handshake, a
/// `filter` message with a `LogFilter`, then each log written from then on that matches it, as
/// `{"type": "log", "log": …}`. There is no backfill, as in Prefect. Unless `streaming`
/// (``PrefectServerOptions/logsStreamOutEnabled``), a subscriber is kept, and sent nothing,
/// until it leaves, as Prefect's log stream does when it is off.
enum LogSocket {
    static func streamOut(
        _ messages: inout AsyncStream<String>.Iterator, _ outbound: WebSocketOutboundWriter, _ env: RouteEnvironment,
        streaming: Bool
    ) async throws {
        guard let message = try await EventSocketRoutes.filterMessage(&messages, outbound) else { return }
        let filter: ServedLogFilter
        do {
            filter = try PrefectJSON.decode(ServedLogFilter.self, from: try PrefectJSON.encode(message["filter"] ?? .object([:])))
        } catch {
            try await outbound.close(.protocolError, reason: "Invalid filter: \(error)")
            return
        }
        let (silence, keepOpen) = AsyncStream<UUID>.makeStream()
        defer { keepOpen.finish() }
        for await id in streaming ? env.database.logFeed.subscribe() : silence {
            guard let body = try await env.read({ try LogStore.body($0, id: id, matching: filter) }) else { continue }
            try await outbound.write(.text(#"{"type": "log", "log": "# + String(decoding: body, as: UTF8.self) + "}"))
        }
    }
}
