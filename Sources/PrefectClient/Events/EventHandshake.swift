import Foundation

/// Prefect's websocket handshake from the client side (`_auth_handshake`): an `auth` message
/// with the token, answered by `auth_success`.
enum EventHandshake {
    /// `messages` is the reader of `socket`'s messages, which goes on reading after the answer.
    static func authenticate(
        _ socket: EventSocket, token: String?, reading messages: inout AsyncThrowingStream<String, any Error>.Iterator
    ) async throws {
        let message: [String: String?] = ["type": "auth", "token": token]
        let answer: String?
        do {
            do {
                try await socket.send(json: message)
            } catch EventSocketError.closed(code: .none, _) {
                // The server can read the auth message, refuse it and close the connection
                // before this write has completed here: its close frame, still to be read,
                // says why. A connection that just ended ends the read below as well.
            }
            answer = try await messages.next()
        } catch EventSocketError.closed(let code, let reason) where code == 1008 || code == 1002 {
            throw EventSocketError.authenticationFailed(reason: reason ?? "")
        }
        guard let answer, let reply = try? PrefectJSON.decode(JSONValue.self, from: Data(answer.utf8)) else {
            throw EventSocketError.closed(code: nil, reason: "no answer to the auth message")
        }
        guard case .string("auth_success")? = reply["type"] else {
            let reason: String = if case .string(let text)? = reply["reason"] { text } else { "" }
            throw EventSocketError.authenticationFailed(reason: reason)
        }
    }
}
