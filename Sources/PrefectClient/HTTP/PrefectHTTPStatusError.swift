import HTTPTypes
public import PrefectSchemas

/// A response whose status is not 2xx (Prefect's `PrefectHTTPStatusError`).
///
/// Carries the request, the status and the server's body with its parsed `detail`, and reads
/// like Prefect's message:
/// `Client error '404 Not Found' for url 'http://127.0.0.1:4200/api/flows/…' - Response: {"detail":"Flow not found"}`.
/// Credentials never appear in it: the URL is stripped of them and headers are not kept.
public struct PrefectHTTPStatusError: Error, Sendable, CustomStringConvertible {
    /// The whole response.
    public var response: PrefectResponse

    public init(response: PrefectResponse) {
        self.response = response
    }

    /// The status code.
    public var statusCode: Int { response.statusCode }

    /// The request's method.
    public var method: String { response.method.rawValue }

    /// The request's URL, without credentials.
    public var url: String { response.url }

    /// The body parsed as JSON, or `nil` when it was not JSON (an HTML error page, say).
    public var body: JSONValue? { response.json }

    /// The body's `detail` member, Prefect's error payload, when there is one.
    public var detail: JSONValue? { body?["detail"] }

    public var description: String {
        let status = response.head.status
        let kind: String
        switch status.kind {
        case .informational: kind = "Informational response"
        case .redirection: kind = "Redirect response"
        case .clientError: kind = "Client error"
        case .serverError: kind = "Server error"
        default: kind = "Invalid status code"
        }
        let reason = status.reasonPhrase.isEmpty ? "" : " \(status.reasonPhrase)"
        var parts = ["\(kind) '\(status.code)\(reason)' for url '\(url)'"]
        if let body {
            parts.append("Response: \(body.jsonText)")
        } else if !response.body.isEmpty {
            let contentType = response.headerFields[.contentType] ?? "unknown type"
            parts.append("Response: <\(response.body.count) bytes of \(contentType), not JSON>")
        }
        parts.append("For more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/\(status.code)")
        return parts.joined(separator: " - ")
    }
}
