public import Foundation

/// A CSRF token issued by `GET /csrf-token?client=<id>` (Prefect's `CsrfToken`).
///
/// State-changing requests carry it in the `Prefect-Csrf-Token` header, with the client id in
/// `Prefect-Csrf-Client`, when the server runs with `PREFECT_SERVER_CSRF_PROTECTION_ENABLED`.
public struct CsrfToken: Codable, Sendable, Hashable {
    /// The token's id in the server's database, when the server sends it.
    public var id: UUID?
    /// The token value.
    public var token: String
    /// The client id the token was issued to.
    public var client: String
    /// When the token stops being accepted.
    public var expiration: Date

    public init(id: UUID? = nil, token: String, client: String, expiration: Date) {
        self.id = id
        self.token = token
        self.client = client
        self.expiration = expiration
    }

    enum CodingKeys: String, CodingKey {
        case id, token, client, expiration
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(UUID.self, forKey: .id)
        token = try container.decode(String.self, forKey: .token)
        client = try container.decode(String.self, forKey: .client)
        expiration = try container.decodePrefectDate(forKey: .expiration)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(id, forKey: .id)
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
