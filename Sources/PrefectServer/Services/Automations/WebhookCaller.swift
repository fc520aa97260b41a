import Foundation
import HTTPTypes
import PrefectClient

/// The HTTP client the `call-webhook` and `send-notification` actions call out with (Prefect's
/// blocks use httpx): one connection pool for the actions service, shut down with it.
final class WebhookCaller: Sendable {
    struct Reply: Sendable {
        let status: Int
        let headers: HTTPFields
        let body: Data
    }

    private let transport: AsyncHTTPClientTransport

    init(timeout: Duration = .seconds(30)) {
        transport = AsyncHTTPClientTransport(configuration: .init(timeout: timeout, connectionPoolSize: 4, maxResponseBodyBytes: 1 << 20))
    }

    /// Sends `body` to `url`; throws when the URL is not absolute HTTP(S) or the call fails.
    func call(method: String, url: String, headers: [(String, String)], body: Data?) async throws -> Reply {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { throw ActionFailed(reason: "Invalid webhook URL") }
        var fields = HTTPFields()
        for (name, value) in headers {
            guard let field = HTTPField.Name(name) else { continue }
            fields.append(HTTPField(name: field, value: value))
        }
        if let body, fields[.contentLength] == nil { fields[.contentLength] = String(body.count) }
        let authority = components.port.map { "\(host):\($0)" } ?? host
        var path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        if let query = components.percentEncodedQuery { path += "?" + query }
        let request = HTTPRequest(
            method: HTTPRequest.Method(method) ?? .post, scheme: scheme, authority: authority, path: path, headerFields: fields)
        let response = try await transport.send(request, body: body)
        return Reply(status: response.head.status.code, headers: response.head.headerFields, body: response.body)
    }

    func shutdown() async {
        try? await transport.shutdown()
    }
}
