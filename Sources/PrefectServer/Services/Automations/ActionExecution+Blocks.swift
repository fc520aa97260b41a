import Foundation
import HTTPTypes
import PrefectSchemas

/// The actions that call out through a block (`CallWebhook` and `SendNotification`,
/// `prefect/server/events/actions.py`): the block document is read with its secrets, related
/// as `block` and `block-type`, and called.
extension ActionExecution {
    mutating func callWebhook(_ action: CallWebhookAction) async throws {
        let document = try await blockDocument(action.blockDocumentID, invalid: "The webhook block was invalid")
        guard document["block_type"]?["slug"]?.stringValue == "webhook" else {
            throw ActionFailed(reason: "The referenced block was not a webhook block")
        }
        relateBlock(action.blockDocumentID, document)
        let payload = try await render([action.payload])[0]
        let data = document["data"]
        guard let url = data?["url"]?.stringValue else { throw ActionFailed(reason: "The webhook block was invalid: it has no url") }
        let headers = (data?["headers"]?.objectValue ?? [:]).compactMap { name, value in value.stringValue.map { (name, $0) } }
        do {
            let reply = try await webhooks.call(
                method: data?["method"]?.stringValue ?? "POST", url: url, headers: headers, body: Data(payload.utf8))
            var kept: JSONObject = [:]
            for field in reply.headers where !Self.redacted(field.name.canonicalName) {
                kept[field.name.canonicalName] = .string(field.value)
            }
            details["status_code"] = .int(Int64(reply.status))
            details["response_body"] = .string(String(String(decoding: reply.body, as: UTF8.self).prefix(1000)))
            details["response_headers"] = .object(kept)
        } catch let failed as ActionFailed {
            throw ActionFailed(reason: "Webhook call failed: \(failed.reason)")
        } catch {
            throw ActionFailed(reason: "Webhook call failed: \(error)")
        }
    }

    /// `send-notification` through Prefect's `Custom Webhook` notification block
    /// (`CustomWebhookNotificationBlock`): its `{{subject}}`, `{{body}}`, `{{name}}` and
    /// secret placeholders filled in, sent as JSON or form data. Prefect's other notification
    /// blocks go through the Apprise library, which this server does not have.
    mutating func sendNotification(_ action: SendNotificationAction) async throws {
        let document = try await blockDocument(action.blockDocumentID, invalid: "The notification block was invalid")
        let capabilities = document["block_schema"]?["capabilities"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard capabilities.contains("notify") else {
            throw ActionFailed(reason: "The referenced block was not a notification block")
        }
        relateBlock(action.blockDocumentID, document)
        let rendered = try await render([action.subject, action.body])
        let slug = document["block_type"]?["slug"]?.stringValue ?? ""
        guard slug == "custom-webhook", case .object(let data)? = document["data"] else {
            details["notification_log"] = .string("prefect-swift sends notifications through Custom Webhook blocks only, not '\(slug)'")
            throw ActionFailed(reason: "Notification failed")
        }
        let request = CustomWebhookRequest(block: data, subject: rendered[0], body: rendered[1])
        do {
            let reply = try await webhooks.call(method: request.method, url: request.url, headers: request.headers, body: request.body)
            guard reply.status < 400 else {
                details["notification_log"] = .string("The webhook answered HTTP \(reply.status)")
                throw ActionFailed(reason: "Notification failed")
            }
        } catch let failed as ActionFailed {
            throw failed
        } catch {
            details["notification_log"] = .string("\(error)")
            throw ActionFailed(reason: "Notification failed")
        }
    }

    private func blockDocument(_ id: UUID, invalid: String) async throws -> JSONValue {
        let answer = await api.get("/block_documents/\(id.prefectString)?include_secrets=true")
        guard answer.status < 300 else { throw ActionFailed(reason: reason(answer)) }
        guard let document = answer.body, case .object = document["data"] else { throw ActionFailed(reason: invalid) }
        return document
    }

    private mutating func relateBlock(_ id: UUID, _ document: JSONValue) {
        var block: EventResource = ["prefect.resource.id": "prefect.block-document.\(id.prefectString)", "prefect.resource.role": "block"]
        if let name = document["name"]?.stringValue { block.labels["prefect.resource.name"] = name }
        related.append(block)
        if let slug = document["block_type"]?["slug"]?.stringValue {
            related.append(["prefect.resource.id": "prefect.block-type.\(slug)", "prefect.resource.role": "block-type"])
        }
    }

    /// `should_redact_header`: authorization, cookies and anything naming a key, token or secret.
    static func redacted(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return ["authorization", "cookie", "set-cookie", "proxy-authorization", "x-api-key"].contains(lowered)
            || ["key", "token", "secret", "password", "auth"].contains { lowered.contains($0) }
    }
}

/// The request a `Custom Webhook` notification block makes (`_build_request_args`).
struct CustomWebhookRequest {
    let method: String
    let url: String
    let headers: [(String, String)]
    let body: Data?

    init(block: JSONObject, subject: String?, body text: String) {
        var values: JSONObject = block["secrets"]?.objectValue ?? [:]
        values["subject"] = .string(subject ?? "null")
        values["body"] = .string(text)
        values["name"] = block["name"] ?? .null
        func apply(_ key: String) -> JSONValue? {
            guard let template = block[key], template != .null else { return nil }
            return PlaceholderValues.apply(template, values)
        }
        method = block["method"]?.stringValue ?? "POST"
        var url = apply("url")?.stringValue ?? ""
        if case .object(let params)? = apply("params"), !params.isEmpty {
            if var components = URLComponents(string: url) {
                let existing = components.queryItems ?? []
                components.queryItems = existing + params.map { URLQueryItem(name: $0.key, value: $0.value.stringValue ?? "") }
                url = components.string ?? url
            }
        }
        self.url = url
        var headers: [(String, String)] = [("user-agent", "Prefect Notifications")]
        if case .object(let custom)? = apply("headers") {
            headers += custom.compactMap { name, value in value.stringValue.map { (name, $0) } }
        }
        if case .object(let cookies)? = apply("cookies"), !cookies.isEmpty {
            headers.append(("cookie", cookies.map { "\($0.key)=\($0.value.stringValue ?? "")" }.joined(separator: "; ")))
        }
        if let json = apply("json_data") {
            headers.append(("content-type", "application/json"))
            self.body = try? ServerJSON.encode(json)
        } else if let form = apply("form_data") {
            if case .object(let fields) = form {
                headers.append(("content-type", "application/x-www-form-urlencoded"))
                var components = URLComponents()
                components.queryItems = fields.map { URLQueryItem(name: $0.key, value: $0.value.stringValue ?? "") }
                self.body = Data((components.percentEncodedQuery ?? "").utf8)
            } else {
                self.body = Data((form.stringValue ?? "").utf8)
            }
        } else {
            self.body = nil
        }
        self.headers = headers
    }
}
