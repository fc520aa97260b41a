public import Foundation
public import HTTPTypes
public import PrefectSchemas

/// A response from the Prefect API (Prefect's `PrefectResponse`): status, header fields and the
/// whole body, with typed decoding and ``raiseForStatus()``.
public struct PrefectResponse: Sendable {
    /// The request's method.
    public var method: HTTPRequest.Method
    /// The request's URL, without credentials.
    public var url: String
    /// Status and header fields.
    public var head: HTTPResponse
    /// The body.
    public var body: Data

    public init(method: HTTPRequest.Method, url: String, head: HTTPResponse, body: Data) {
        self.method = method
        self.url = url
        self.head = head
        self.body = body
    }

    /// The status code, e.g. 200.
    public var statusCode: Int { head.status.code }

    /// The header fields.
    public var headerFields: HTTPFields { head.headerFields }

    /// The body as UTF-8 text (invalid bytes replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { head.status.kind == .successful }

    /// Whether the server marked the response with `Prefect-Maintenance: true`.
    public var isMaintenance: Bool {
        headerFields[HTTPField.Name.prefectMaintenance] == "true"
    }

    /// The body parsed as JSON, or `nil` when it is not JSON.
    public var json: JSONValue? {
        guard !body.isEmpty else { return nil }
        return try? PrefectJSONDecoder().decode(JSONValue.self, from: body)
    }

    /// Decodes the body as `type` with ``PrefectJSONDecoder``.
    ///
    /// - Throws: ``PrefectDecodingError`` naming the type, the URL and where the body went wrong.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        do {
            return try PrefectJSONDecoder().decode(T.self, from: body)
        } catch {
            throw PrefectDecodingError(type: T.self, response: self, underlying: error)
        }
    }

    /// Returns `self` when the status is 2xx, else throws ``PrefectHTTPStatusError``.
    @discardableResult
    public func raiseForStatus() throws -> PrefectResponse {
        guard isSuccess else { throw PrefectHTTPStatusError(response: self) }
        return self
    }
}

extension HTTPField.Name {
    static let prefectMaintenance = HTTPField.Name("Prefect-Maintenance")!
    static let prefectCsrfToken = HTTPField.Name("Prefect-Csrf-Token")!
    static let prefectCsrfClient = HTTPField.Name("Prefect-Csrf-Client")!
    static let prefectAPIVersion = HTTPField.Name("X-PREFECT-API-VERSION")!
}
