import Foundation
import GRDB
import PrefectSchemas

/// CSRF tokens in table `csrf_token` (Prefect's `models/csrf_token.py`).
enum CSRFTokenStore {
    /// A fresh token for `client` (64 hex digits, as `secrets.token_hex(32)`), replacing its
    /// old one, valid `lifetime` seconds; expired tokens of every client are deleted.
    static func issue(_ db: Database, client: String, lifetime: TimeInterval, now: Date) throws -> CsrfToken {
        var generator = SystemRandomNumberGenerator()
        let token = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
        let stamp = StoredTime.micros(now)
        let expiration = StoredTime.truncated(now.addingTimeInterval(lifetime))
        try db.execute(
            sql: """
                INSERT INTO csrf_token (id, client, token, expiration, created, updated) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (client) DO UPDATE SET token = excluded.token, expiration = excluded.expiration, updated = excluded.updated
                """,
            arguments: [UUID.version4().prefectString, client, token, StoredTime.micros(expiration), stamp, stamp])
        try db.execute(sql: "DELETE FROM csrf_token WHERE expiration < ?", arguments: [stamp])
        guard let row = try Row.fetchOne(db, sql: "SELECT id, created, updated FROM csrf_token WHERE client = ?", arguments: [client]),
              let idText = try row.decode(forColumn: "id") as String?, let id = UUID(uuidString: idText)
        else { throw PrefectServerUnavailable(description: "csrf token vanished") }
        return CsrfToken(
            id: id, created: (try row.decode(forColumn: "created") as Int64?).map(StoredTime.date), updated: StoredTime.date(stamp), token: token,
            client: client, expiration: expiration)
    }

    /// The client's token while it has not expired.
    static func current(_ db: Database, client: String, now: Date) throws -> String? {
        try String.fetchOne(
            db, sql: "SELECT token FROM csrf_token WHERE client = ? AND expiration > ?", arguments: [client, StoredTime.micros(now)])
    }
}
