import Foundation
import GRDB
import PrefectSchemas

/// The Jinja context of an action's templates (`JinjaTemplateAction._template_context`,
/// `prefect/server/events/actions.py`): the automation, the triggering event, its labels, the
/// firing and all firings and events under it, and — only when a template names them — the
/// objects the triggering event is about (`flow_run`, `deployment`, …, read through the API)
/// and the workspace's `variables`.
extension ActionExecution {
    /// `_render`: each template rendered; a failure fails the action with the template.
    mutating func render(_ templates: [String]) async throws -> [String] {
        let (context, filters) = await templateContext(templates)
        do {
            return try templates.map { try UserTemplate.render($0, context: context, filters: filters) }
        } catch let error as UserTemplate.RenderError {
            details["template_error"] = .string(error.message)
            details["template_source"] = .string(templates.first(where: UserTemplate.isTemplate) ?? "")
            throw ActionFailed(reason: "Template rendering failed: \(PythonRepr.string(error.message))")
        }
    }

    /// `RunDeployment.render_parameters`: v1-style template strings become `jinja` (a single
    /// `{{ expression }}` a `json` of its `tojson`, keeping its type), then the parameters are
    /// hydrated with templates rendered and workspace variables filled in.
    mutating func renderParameters(_ parameters: JSONObject) async throws -> JSONValue {
        let upgraded = Self.upgradeTemplates(parameters)
        var templates: [String] = []
        Self.collectTemplates(.object(upgraded), into: &templates)
        let (context, filters) = await templateContext(templates)
        let database = api.app.database
        do {
            return .object(try await database.pool.read { db in
                try ParameterHydration.hydrate(upgraded, db) { template in
                    try UserTemplate.render(template, context: context, filters: filters)
                }
            })
        } catch let failure as ParameterHydration.Failure {
            throw ActionFailed(reason: "Unable to create flow run from deployment: \(failure.message)")
        } catch let error as UserTemplate.RenderError {
            throw ActionFailed(reason: "Unable to create flow run from deployment: \(error.message)")
        }
    }

    static func upgradeTemplates(_ parameters: JSONObject) -> JSONObject {
        var out = parameters
        for (key, value) in parameters {
            switch value {
            case .object(let members):
                if members["__prefect_kind"] == nil { out[key] = .object(upgradeTemplates(members)) }
            case .array(let items):
                out[key] = .array(items.map { item in
                    switch item {
                    case .object(let members): .object(upgradeTemplates(members))
                    case .string(let text) where UserTemplate.isTemplate(text): wrapTemplate(text)
                    default: item
                    }
                })
            case .string(let text) where UserTemplate.isTemplate(text):
                out[key] = wrapTemplate(text)
            default:
                break
            }
        }
        return out
    }

    /// `_wrap_v1_template`.
    private static func wrapTemplate(_ template: String) -> JSONValue {
        let stripped = template.trimmingCharacters(in: .whitespacesAndNewlines)
        if stripped.hasPrefix("{{"), stripped.hasSuffix("}}"), stripped.components(separatedBy: "{{").count == 2 {
            let inner = stripped.dropFirst(2).dropLast(2).trimmingCharacters(in: .whitespacesAndNewlines)
            return ["__prefect_kind": "json", "value": ["__prefect_kind": "jinja", "template": .string("{{ \(inner) | tojson }}")]]
        }
        return ["__prefect_kind": "jinja", "template": .string(template)]
    }

    private static func collectTemplates(_ value: JSONValue, into templates: inout [String]) {
        switch value {
        case .object(let members):
            if members["__prefect_kind"] == "jinja", case .string(let template)? = members["template"] { templates.append(template) }
            for member in members.values { collectTemplates(member, into: &templates) }
        case .array(let items):
            for item in items { collectTemplates(item, into: &templates) }
        default:
            break
        }
    }

    private static let orchestrationTypes: Set<String> = [
        "deployment", "flow", "flow_run", "task_run", "work_pool", "work_queue", "concurrency_limit",
    ]

    private func templateContext(_ templates: [String]) async -> (JSONObject, TemplateFilters) {
        var filters = TemplateFilters()
        var context: JSONObject = [
            "automation": TemplateMarks.model(.object(triggered.automation.body)),
            "event": triggered.triggeringEvent.map(TemplateMarks.model) ?? .null,
            "labels": Self.labels(triggered.triggeringLabels),
            "firing": TemplateMarks.model(triggered.firing.templateValue),
            "firings": .array(triggered.firing.allFirings.map { TemplateMarks.model($0.templateValue) }),
            "events": .array(triggered.firing.allEvents.map(TemplateMarks.model)),
        ]
        filters.kinds[triggered.automation.id.prefectString] = "automation"
        guard triggered.triggeringEvent != nil else { return (context, filters) }
        let wanted = UserTemplate.names(in: templates, among: Self.orchestrationTypes.union(["variables"]))
        for type in wanted.sorted() {
            if type == "variables" {
                context["variables"] = await workspaceVariables()
                continue
            }
            let kind = type.replacingOccurrences(of: "_", with: "-")
            guard let (resource, id) = firstResource(kind: "prefect.\(kind)"), let object = await read(kind: kind, id: id, resource: resource)
            else {
                context[type] = .null
                continue
            }
            filters.kinds[id.prefectString] = kind
            context[type] = TemplateMarks.model(object)
        }
        return (context, filters)
    }

    /// `_get_object_from_prefect_api`: the object, or nil when a read fails; a run's state is
    /// the one the event names (`instantiate_object`).
    private func read(kind: String, id: UUID, resource: JSONObject) async -> JSONValue? {
        let text = id.prefectString
        let answers: [InternalAPI.Answer]
        switch kind {
        case "deployment": answers = [await api.get("/deployments/\(text)")]
        case "flow": answers = [await api.get("/flows/\(text)")]
        case "flow-run": answers = [await api.get("/flow_runs/\(text)")]
        case "task-run": answers = [await api.get("/task_runs/\(text)")]
        case "work-pool": answers = [await api.post("/work_pools/filter", ["work_pools": ["id": ["any_": [.string(text)]]]])]
        case "work-queue": answers = [await api.get("/work_queues/\(text)"), await api.get("/work_queues/\(text)/status")]
        case "concurrency-limit": answers = [await api.get("/v2/concurrency_limits/\(text)")]
        default: return nil
        }
        var combined = JSONObject()
        for answer in answers {
            guard answer.status < 300, var body = answer.body else { return nil }
            if case .array(let items) = body {
                guard let first = items.first else { return nil }
                body = first
            }
            for (key, value) in body.objectValue ?? [:] { combined[key] = value }
        }
        if kind == "flow-run" || kind == "task-run",
           let name = resource["prefect.state-name"]?.stringValue, let type = resource["prefect.state-type"]?.stringValue,
           let timestamp = resource["prefect.state-timestamp"]?.stringValue, let message = resource["prefect.state-message"]?.stringValue,
           let parsed = PrefectDate.parse(timestamp) {
            var state = combined["state"]?.objectValue ?? [:]
            state["name"] = .string(name)
            state["type"] = .string(type)
            state["message"] = .string(message)
            state["timestamp"] = .string(PrefectDate.format(parsed))
            combined["state"] = .object(state)
        }
        return .object(combined)
    }

    /// `read_workspace_variables`: every variable's value by name.
    private func workspaceVariables() async -> JSONValue {
        let answer = await api.post("/variables/filter", ["limit": 200])
        var values = JSONObject()
        for variable in answer.body?.arrayValue ?? [] {
            if let name = variable["name"]?.stringValue { values[name] = variable["value"] ?? .null }
        }
        return .object(values)
    }

    /// `LabelDiver`: the labels by their full names, and by their dotted parts
    /// (`labels.prefect.resource.id`).
    private static func labels(_ labels: JSONObject) -> JSONValue {
        var root = labels
        for (name, value) in labels {
            let parts = name.split(separator: ".").map(String.init)
            guard parts.count > 1 else { continue }
            root[parts[0]] = insert(root[parts[0]], Array(parts.dropFirst()), value)
        }
        return .object(root)
    }

    private static func insert(_ node: JSONValue?, _ path: [String], _ value: JSONValue) -> JSONValue {
        guard let head = path.first else { return value }
        var members = node?.objectValue ?? [:]
        members[head] = insert(members[head], Array(path.dropFirst()), value)
        return .object(members)
    }
}
