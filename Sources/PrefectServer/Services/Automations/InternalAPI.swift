import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PrefectSchemas

/// The server's own API called in-process, as Prefect's actions call it through
/// `OrchestrationClient` and `PrefectServerEventsAPIClient` (`prefect/server/api/clients.py`,
/// an ASGI transport into the running app): the same routes, rules and answers as over the
/// network. Every request carries `Prefect-Automation-ID` and `Prefect-Automation-Name` (base64),
/// so that what it creates is `created_by` the automation; the server's auth string when it has
/// one; and a CSRF token when the server wants them.
struct InternalAPI: Sendable {
    struct Answer: Sendable {
        let status: Int
        let body: JSONValue?

        /// Prefect's `detail` of an error answer.
        var detail: JSONValue? { body?["detail"] }
    }

    let app: PrefectServerApp
    let automationID: UUID
    let automationName: String

    func get(_ path: String) async -> Answer {
        await call(.get, path, body: nil)
    }

    func post(_ path: String, _ body: JSONValue? = nil) async -> Answer {
        await call(.post, path, body: body)
    }

    func patch(_ path: String, _ body: JSONValue) async -> Answer {
        await call(.patch, path, body: body)
    }

    func delete(_ path: String) async -> Answer {
        await call(.delete, path, body: nil)
    }

    private func call(_ method: HTTPRequest.Method, _ path: String, body: JSONValue?) async -> Answer {
        var fields = HTTPFields()
        fields[HTTPField.Name("Prefect-Automation-ID")!] = automationID.prefectString
        fields[HTTPField.Name("Prefect-Automation-Name")!] = Data(automationName.utf8).base64EncodedString()
        if let auth = app.options.authString {
            fields[.authorization] = "Basic " + Data(auth.utf8).base64EncodedString()
        }
        if app.options.csrfProtectionEnabled, method != .get {
            let client = "automation-actions-\(UUID.version4().prefectString)"
            let token = await send(.get, "/api/csrf-token?client=\(client)", fields: fields, body: nil).body?["token"]?.stringValue
            fields[HTTPField.Name("Prefect-Csrf-Client")!] = client
            if let token { fields[HTTPField.Name("Prefect-Csrf-Token")!] = token }
        }
        return await send(method, "/api" + path, fields: fields, body: body)
    }

    private func send(_ method: HTTPRequest.Method, _ path: String, fields: HTTPFields, body: JSONValue?) async -> Answer {
        var head = HTTPRequest(method: method, scheme: "http", authority: "prefect-in-memory", path: path, headerFields: fields)
        var buffer = ByteBuffer()
        if let body, let data = try? ServerJSON.encode(body) {
            buffer = ByteBuffer(bytes: data)
            head.headerFields[.contentType] = "application/json"
            head.headerFields[.contentLength] = String(data.count)
        }
        let request = Request(head: head, body: RequestBody(buffer: buffer))
        let response = await app.respond(to: request, context: PrefectRequestContext(logger: app.logger))
        let collector = ResponseBodyCollector()
        try? await response.body.write(collector)
        let data = Data(collector.buffer.readableBytesView)
        return Answer(status: response.status.code, body: data.isEmpty ? nil : try? PrefectJSON.decode(JSONValue.self, from: data))
    }
}
