import Foundation
import GRDB
import Hummingbird
import PrefectSchemas

/// `/automations` (Prefect's `server/api/automations.py`): automations stored, listed,
/// replaced, paused and resumed, and the resources they relate to. The embedded server keeps
/// automations; it does not evaluate their triggers (that needs the events pipeline).
enum AutomationRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        let automations = api.group("automations")

        automations.post("/") { request, _ -> Response in
            let clock = RequestClock(request)
            let write = try await AutomationBodies.create(from: request)
            return JSONResponse.make(try await env.write { db in
                try checkDeploymentRuns(db, write, emptyMeansNone: true)
                return try AutomationStore.create(db, write, now: clock.now)
            }, status: .created)
        }

        automations.put(":id") { request, context -> Response in
            let clock = RequestClock(request)
            let id = try context.uuid("id")
            let write = try await AutomationBodies.replace(from: request)
            guard try await env.write({ db in
                try checkDeploymentRuns(db, write, emptyMeansNone: false)
                return try AutomationStore.update(db, id: id, write.members, selected: write.selectedDeployments, now: clock.now)
            }) else { throw notFound }
            return JSONResponse.noContent()
        }

        automations.patch(":id") { request, context -> Response in
            let clock = RequestClock(request)
            let id = try context.uuid("id")
            let enabled = try await AutomationBodies.enabled(from: request)
            guard try await env.write({
                try AutomationStore.update($0, id: id, ["enabled": .bool(enabled)], selected: nil, now: clock.now)
            }) else { throw notFound }
            return JSONResponse.noContent()
        }

        automations.delete(":id") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            guard try await env.write({ try AutomationStore.delete($0, id: id, now: clock.now) }) else { throw notFound }
            return JSONResponse.noContent()
        }

        automations.post("filter") { request, _ -> Response in
            let body = try await APIBody.decodeFilter(AutomationFilterBody.self, from: request)
            try Paging.checkSort(body.sort) { if case .unknown = $0 { true } else { false } }
            let page = try Paging.page(limit: body.limit, offset: body.offset)
            return JSONResponse.make(try await env.read { db in
                try AutomationStore.filter(db, body.automations?.sqlCondition(), order: body.order, page: page)
            })
        }

        automations.post("count") { request, _ -> Response in
            let body = try await APIBody.decodeFilter(AutomationFilterBody.self, from: request)
            return JSONResponse.make(try await env.read { try AutomationStore.count($0, body.automations?.sqlCondition()) })
        }

        automations.get(":id") { _, context -> Response in
            let id = try context.uuid("id")
            guard let automation = try await env.read({ try AutomationStore.read($0, id: id) }) else { throw notFound }
            return JSONResponse.make(automation)
        }

        automations.get("related-to/:resource_id") { _, context -> Response in
            let resource = try context.string("resource_id")
            return JSONResponse.make(try await env.read { try AutomationStore.related($0, resource: resource) })
        }

        automations.delete("owned-by/:resource_id") { request, context -> Response in
            let clock = RequestClock(request)
            let resource = try context.string("resource_id")
            try await env.write { try AutomationStore.deleteOwned($0, resource: resource, now: clock.now) }
            return JSONResponse.make(JSONValue.null, status: .accepted)
        }
    }

    static let notFound = APIError.objectNotFound("Automation not found")

    /// `validate_job_variables_for_run_deployment_action`: a run a `run-deployment` action
    /// starts must fit its deployment's work pool, `required` included (as a flow run must).
    /// A create skips actions with empty job variables; a replace checks those too.
    private static func checkDeploymentRuns(_ db: Database, _ write: AutomationBodies.Write, emptyMeansNone: Bool) throws {
        var messages: [String] = []
        for run in write.deploymentRuns {
            guard let variables = run.jobVariables, !(emptyMeansNone && variables.isEmpty) else { continue }
            guard let deployment = try DeploymentStore.read(db, id: run.deploymentID) else {
                throw APIError.notFound("Deployment not found.")
            }
            guard let pool = deployment.workPoolName, let stored = try WorkPoolStore.read(db, name: pool)?.baseJobTemplate,
                  !(deployment.jobVariables.isEmpty && variables.isEmpty) else { continue }
            let template = try JobVariableValidation.resolvingBlockDefaults(stored, db)
            do {
                try JobVariableValidation.validate(template: template, [variables], ignoreRequired: false)
            } catch .invalid(let message) {
                messages.append(message)
            } catch .circular {
                messages.append("Invalid schema: Unable to validate schema with circular references.")
            }
        }
        if !messages.isEmpty {
            throw APIError.detail(.unprocessableContent, "Error creating automation: \(messages.joined(separator: " "))")
        }
    }
}

/// The body of `/automations/filter` and `/automations/count`.
struct AutomationFilterBody: Decodable, Sendable {
    var automations: ServedAutomationFilter?
    var sort: AutomationSort?
    var limit: Int?
    var offset: Int?

    /// `Automation.sort_expression`.
    var order: String {
        switch sort ?? .nameAsc {
        case .createdDesc: "created DESC"
        case .updatedDesc: "updated DESC"
        case .nameDesc: "name DESC"
        default: "name ASC"
        }
    }
}

/// Prefect's server-side `AutomationFilter` (`server/events/filters.py`), with its operators.
struct ServedAutomationFilter: Decodable, Sendable {
    struct AnyOf<Value: Decodable & Sendable>: Decodable, Sendable {
        var any: [Value]?
        enum CodingKeys: String, CodingKey { case any = "any_" }
    }

    struct Created: Decodable, Sendable {
        var before: Date?
        enum CodingKeys: String, CodingKey { case before = "before_" }

        init(from decoder: any Decoder) throws {
            before = try decoder.container(keyedBy: CodingKeys.self).decodePrefectDateIfPresent(forKey: .before)
        }
    }

    struct Tags: Decodable, Sendable {
        var all: [String]?
        var any: [String]?
        var isNull: Bool?
        var `operator`: Operator?
        enum CodingKeys: String, CodingKey {
            case all = "all_"
            case any = "any_"
            case isNull = "is_null_"
            case `operator`
        }
    }

    var id: AnyOf<UUID>?
    var name: AnyOf<String>?
    var created: Created?
    var tags: Tags?
    var `operator`: Operator?

    func sqlCondition() -> SQLCondition? {
        var parts = SQLConditionList()
        if let ids = id?.any { parts.add(.isIn("automation.id", ids)) }
        if let names = name?.any { parts.add(.isIn("automation.name", names)) }
        if let before = created?.before { parts.add(.compare("automation.created", "<=", before)) }
        if let tags { parts.add(SQLCondition.tags("automation.tags", all: tags.all, any: tags.any, isNull: tags.isNull, operator: tags.operator)) }
        return parts.combined(self.operator)
    }
}
