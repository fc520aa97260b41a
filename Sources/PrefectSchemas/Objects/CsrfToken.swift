public import Foundation

/// A CSRF token issued by `GET /csrf-token?client=<id>` (Prefect's `CsrfToken`).
///
/// State-changing requests carry it in the `Prefect-Csrf-Token` header, with the client id in
/// `Prefect-Csrf-Client`, when the server runs with `PREFECT_SERVER_CSRF_PROTECTION_ENABLED`.
public struct CsrfToken: Codable, Sendable, Hashable {
    /// The token's id in the server's database, when the server sends it.
    public var id: UUID?
    /// When the server stored the token.
    public var created: Date?
    /// When the server last changed the token.
    public var updated: Date?
    /// The token value.
    public var token: String
    /// The client id the token was issued to.
    public var client: String
    /// When the token stops being accepted.
    public var expiration: Date

    public init(
        id: UUID? = nil, created: Date? = nil, updated: Date? = nil, token: String, client: String, expiration: Date
    ) {
        self.id = id
        self.created = created
        self.updated = updated
        self.token = token
        self.client = client
        self.expiration = expiration
    }

    enum CodingKeys: String, CodingKey {
        case id, created, updated, token, client, expiration
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(UUID.self, forKey: .id)
        created = try container.decodePrefectDateIfPresent(forKey: .created)
        updated = try container.decodePrefectDateIfPresent(forKey: .updated)
        token = try container.decode(String.self, forKey: .token)
        client = try container.decode(String.self, forKey: .client)
        expiration = try container.decodePrefectDate(forKey: .expiration)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodePrefectUUIDIfPresent(id, forKey: .id)
        try container.encodeIfPresent(created.map(PrefectDate.format), forKey: .created)
        try container.encodeIfPresent(updated.map(PrefectDate.format), forKey: .updated)
        try container.encode(token, forKey: .token)
        try container.encode(client, forKey: .client)
        try container.encode(PrefectDate.format(expiration), forKey: .expiration)
    }
}

extension CsrfToken: CustomStringConvertible {
    /// Names the client and expiry; the token value itself is never printed.
    public var description: String {
        "CsrfToken(client: \(client), expiration: \(PrefectDate.format(expiration)), token: <redacted>)"
    }
}
