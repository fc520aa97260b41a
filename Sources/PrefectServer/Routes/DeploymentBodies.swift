import Foundation
import Hummingbird
import PrefectSchemas

/// The bodies of the deployment routes, read as Prefect 3.9.1's `DeploymentCreate`,
/// `DeploymentUpdate`, `DeploymentScheduleCreate`, `DeploymentScheduleUpdate` and
/// `DeploymentFlowRunCreate` (`prefect/server/schemas/actions.py`): extra members forbidden,
/// the members a body sets kept apart from defaults (`exclude_unset`).
enum DeploymentBodies {
    /// The most runs one schedule may keep scheduled (`PREFECT_DEPLOYMENT_SCHEDULE_MAX_SCHEDULED_RUNS`).
    static let maximumScheduledRunsPerSchedule = 50
    /// The most runs one `create_flow_run/bulk` makes (`BULK_CREATE_LIMIT`).
    static let bulkCreateLimit = 100
    /// The most deployments one `bulk_delete` deletes, and its default (`BULK_OPERATION_LIMIT`).
    static let bulkDeleteLimit = 50

    /// A schedule to create, normalized.
    struct ScheduleCreate: Sendable {
        var schedule: JSONValue
        var active = true
        var maxScheduledRuns: Int?
        var parameters: JSONObject = [:]
        var slug: String?
        var replaces: String?
    }

    /// A schedule update: `model_dump(exclude_none=True)` of it, so an absent `parameters`
    /// still resets them to `{}`, as in Prefect.
    struct ScheduleUpdate: Sendable {
        var schedule: JSONValue?
        var active: Bool?
        var maxScheduledRuns: Int?
        var parameters: JSONObject = [:]
        var slug: String?
        var replaces: String?
    }

    /// A create or update: the stored members the body sets (`exclude_unset`), and what the
    /// route resolves itself.
    struct Changes: Sendable {
        /// Members stored as the deployment's body, as given.
        var members: JSONObject = [:]
        var name: String?
        var flowID: UUID?
        var paused: Bool?
        var workPoolName: String??
        var workQueueName: String??
        var concurrencyLimit: Int??
        var globalConcurrencyLimitID: UUID??
        var schedules: [ScheduleCreate]?
        var scheduleUpdates: [ScheduleUpdate]?
        var labels: JSONObject?
    }

    /// The members the stored body keeps, as the request names them.
    static let storedMembers: Set<String> = [
        "version", "description", "concurrency_options", "parameters", "parameter_openapi_schema", "tags", "path",
        "job_variables", "pull_steps", "entrypoint", "storage_document_id", "infrastructure_document_id",
        "enforce_parameter_schema",
    ]

    private static let oldMembers: Set<String> = ["worker_pool_queue_id", "worker_pool_name", "worker_pool_queue_name", "work_pool_queue_name"]
    private static let createMembers: Set<String> = storedMembers.union([
        "name", "flow_id", "paused", "schedules", "concurrency_limit", "global_concurrency_limit_id", "labels",
        "work_queue_name", "work_pool_name", "version_info",
    ]).union(oldMembers)
    private static let updateMembers: Set<String> = storedMembers.union([
        "paused", "schedules", "concurrency_limit", "global_concurrency_limit_id", "work_queue_name", "work_pool_name",
        "version_info",
    ]).union(oldMembers)
    private static let scheduleCreateMembers: Set<String> = ["active", "schedule", "max_scheduled_runs", "parameters", "slug", "replaces"]
    private static let flowRunCreateMembers: Set<String> = [
        "state", "name", "parameters", "enforce_parameter_schema", "context", "infrastructure_document_id",
        "empirical_policy", "tags", "idempotency_key", "labels", "parent_task_run_id", "work_queue_name", "job_variables",
    ]

    static func create(from request: Request, now: Date) async throws -> Changes {
        var action = try await ActionBody.read(request, allowed: createMembers)
        // The before-validators run last-defined first: a body with both limits fails before
        // `parameters` is written into it.
        if !hasBothLimits(action) { action.echoWithDefault("parameters", [:]) }
        try checkParametersConform(action)
        action.require("name", "flow_id")
        checkLimits(&action)
        let schedules = scheduleList(&action, key: "schedules") { scheduleCreate($0, at: $1, now: now, errors: &$2) }
        var typed = action.object.filter { $0.key != "schedules" && !oldMembers.contains($0.key) }
        typed["schedules"] = .array([])
        let create = try action.decodeObject(DeploymentCreate.self, typed)
        var changes = changes(action)
        // `_validate_parameters_conform_to_schema` always sets `parameters`, so an upsert without them clears them.
        changes.members["parameters"] = action.object["parameters"] ?? [:]
        changes.name = create.name
        changes.flowID = create.flowID
        changes.schedules = schedules ?? []
        changes.labels = create.labels
        return changes
    }

    static func update(from request: Request, now: Date) async throws -> Changes {
        var action = try await ActionBody.read(request, allowed: updateMembers)
        checkLimits(&action)
        let updates = scheduleList(&action, key: "schedules") { scheduleUpdate($0, at: $1, now: now, errors: &$2) }
        var typed = action.object.filter { $0.key != "schedules" && !oldMembers.contains($0.key) }
        typed.removeValue(forKey: "global_concurrency_limit_id")
        _ = try action.decodeObject(DeploymentUpdate.self, typed)
        var changes = changes(action)
        changes.scheduleUpdates = updates
        return changes
    }

    /// `POST /deployments/{id}/schedules`: a list of `DeploymentScheduleCreate`.
    static func scheduleCreates(from request: Request, now: Date) async throws -> [ScheduleCreate] {
        let data = try await APIBody.read(request)
        guard !data.isEmpty else { throw APIBody.missingBody }
        let body = try APIBody.decode(JSONValue.self, from: data)
        guard case .array(let items) = body else {
            throw APIError.validation(
                [APIError.validationEntry(type: "list_type", loc: ["body"], msg: "Input should be a valid list", input: body)],
                requestBody: body)
        }
        var errors: [JSONValue] = []
        let schedules = items.enumerated().compactMap { index, item in
            scheduleCreate(item, at: ["body", .int(Int64(index))], now: now, errors: &errors)
        }
        guard errors.isEmpty else { throw APIError.validation(errors, requestBody: body) }
        return schedules
    }

    /// `PATCH /deployments/{id}/schedules/{schedule_id}`: one `DeploymentScheduleUpdate`.
    static func scheduleUpdate(from request: Request, now: Date) async throws -> ScheduleUpdate {
        let data = try await APIBody.read(request)
        guard !data.isEmpty else { throw APIBody.missingBody }
        let body = try APIBody.decode(JSONValue.self, from: data)
        var errors: [JSONValue] = []
        let update = scheduleUpdate(body, at: ["body"], now: now, errors: &errors)
        guard errors.isEmpty, let update else { throw APIError.validation(errors, requestBody: body) }
        return update
    }

    /// `POST /deployments/{id}/create_flow_run`; an empty or null name is generated later, as
    /// `get_or_create_run_name` does.
    static func flowRunCreate(from request: Request) async throws -> DeploymentFlowRunCreate {
        var action = try await ActionBody.read(request, allowed: flowRunCreateMembers)
        if let state = action.object["state"] {
            var errors: [JSONValue] = []
            StrictBodies.state.check(state, path: ["body", "state"], errors: &errors)
            for error in errors { action.append(error) }
        }
        var typed = action.object
        if typed["name"] == .string("") { typed["name"] = nil }
        return try action.decodeObject(DeploymentFlowRunCreate.self, typed)
    }

    /// `POST /deployments/{id}/create_flow_run/bulk`: a list of `DeploymentFlowRunCreate`.
    static func flowRunCreates(from request: Request) async throws -> [DeploymentFlowRunCreate] {
        let data = try await APIBody.read(request)
        guard !data.isEmpty else { throw APIBody.missingBody }
        let body = try APIBody.decode(JSONValue.self, from: data)
        guard case .array(let items) = body else {
            throw APIError.validation(
                [APIError.validationEntry(type: "list_type", loc: ["body"], msg: "Input should be a valid list", input: body)],
                requestBody: body)
        }
        var rules = KeyRules(allowed: flowRunCreateMembers, nested: ["state": StrictBodies.state])
        rules.isList = true
        var errors: [JSONValue] = []
        rules.check(body, errors: &errors)
        guard errors.isEmpty else { throw APIError.validation(errors, requestBody: body) }
        return try items.map { item in
            var object = item.objectValue ?? [:]
            if object["name"] == .string("") { object["name"] = nil }
            return try APIBody.decode(DeploymentFlowRunCreate.self, from: ServerJSON.encode(JSONValue.object(object)))
        }
    }

    private static func changes(_ action: ActionBody) -> Changes {
        var changes = Changes()
        for (key, value) in action.object where storedMembers.contains(key) { changes.members[key] = value }
        if case .object(var options)? = changes.members["concurrency_options"] {
            options["grace_period_seconds"] = options["grace_period_seconds"] ?? .null
            changes.members["concurrency_options"] = .object(options)
        }
        if case .bool(let paused)? = action.object["paused"] { changes.paused = paused }
        if action.has("work_pool_name") { changes.workPoolName = .some(action.string("work_pool_name")) }
        if action.has("work_queue_name") { changes.workQueueName = .some(action.string("work_queue_name")) }
        if action.has("concurrency_limit") {
            changes.concurrencyLimit = if case .int(let limit)? = action.object["concurrency_limit"] { .some(Int(limit)) } else { .some(nil) }
        }
        if action.has("global_concurrency_limit_id") {
            changes.globalConcurrencyLimitID = .some(action.string("global_concurrency_limit_id").flatMap(UUID.init(uuidString:)))
        }
        return changes
    }

    /// `_validate_parameters_conform_to_schema`: when the body itself asks for enforcement, its
    /// parameters must fit its schema (plain jsonschema, `required` ignored); a failure is the
    /// model validator's 422.
    private static func checkParametersConform(_ action: ActionBody) throws {
        guard action.object["enforce_parameter_schema"] == true, case .object(let schema)? = action.object["parameter_openapi_schema"]
        else { return }
        let parameters = action.object["parameters"]?.objectValue ?? [:]
        do {
            try ParameterSchemaValidation.validate(parameters, schema: schema, ignoreRequired: true, preprocess: false)
        } catch {
            let message = switch error {
            case .invalid(let text): text
            case .circular: "Invalid schema: Unable to validate schema with circular references."
            }
            throw APIError.validation(
                [APIError.validationEntry(type: "value_error", loc: ["body"], msg: "Value error, \(message)", input: action.body)],
                requestBody: action.body)
        }
    }

    /// `concurrency_limit` is a `PositiveInteger`, and not both limits at once.
    /// `_validate_concurrency_limits`: a (non-zero) concurrency limit and a global limit's id.
    private static func hasBothLimits(_ action: ActionBody) -> Bool {
        guard case .int(let limit)? = action.object["concurrency_limit"], limit != 0,
            let global = action.object["global_concurrency_limit_id"], global != .null, global != .string("")
        else { return false }
        return true
    }

    private static func checkLimits(_ action: inout ActionBody) {
        action.checkInteger("concurrency_limit", atLeast: 0, strictly: true)
        if hasBothLimits(action) {
            action.failBody(
                type: "value_error",
                msg: "Value error, A deployment cannot have both a concurrency limit and a global concurrency limit.")
        }
    }

    /// The body's list `key` read item by item with `parse`; its errors join the body's.
    private static func scheduleList<Item>(
        _ action: inout ActionBody, key: String,
        parse: (JSONValue, [JSONValue], inout [JSONValue]) -> Item?
    ) -> [Item]? {
        guard let value = action.object[key] else { return nil }
        guard case .array(let items) = value else {
            action.fail(key, type: "list_type", msg: "Input should be a valid list")
            return nil
        }
        var errors: [JSONValue] = []
        let parsed = items.enumerated().compactMap { index, item in
            parse(item, ["body", .string(key), .int(Int64(index))], &errors)
        }
        for error in errors { action.append(error) }
        return parsed
    }

    private static func scheduleCreate(_ value: JSONValue, at loc: [JSONValue], now: Date, errors: inout [JSONValue]) -> ScheduleCreate? {
        guard let object = scheduleObject(value, at: loc, errors: &errors) else { return nil }
        let before = errors.count
        if object["schedule"] == nil {
            errors.append(APIError.validationEntry(type: "missing", loc: loc + ["schedule"], msg: "Field required", input: value))
        }
        var create = ScheduleCreate(schedule: .null)
        if let schedule = object["schedule"] {
            create.schedule = ScheduleBodies.normalize(schedule, at: loc + ["schedule"], now: now, errors: &errors) ?? .null
        }
        readCommon(object, at: loc, errors: &errors, active: &create.active, maxRuns: &create.maxScheduledRuns,
                   parameters: &create.parameters, slug: &create.slug, replaces: &create.replaces)
        return errors.count == before ? create : nil
    }

    private static func scheduleUpdate(_ value: JSONValue, at loc: [JSONValue], now: Date, errors: inout [JSONValue]) -> ScheduleUpdate? {
        guard let object = scheduleObject(value, at: loc, errors: &errors) else { return nil }
        let before = errors.count
        var update = ScheduleUpdate()
        if let schedule = object["schedule"], schedule != .null {
            update.schedule = ScheduleBodies.normalize(schedule, at: loc + ["schedule"], now: now, errors: &errors)
        }
        var active = true
        readCommon(object, at: loc, errors: &errors, active: &active, maxRuns: &update.maxScheduledRuns,
                   parameters: &update.parameters, slug: &update.slug, replaces: &update.replaces)
        if case .bool? = object["active"] { update.active = active }
        return errors.count == before ? update : nil
    }

    private static func scheduleObject(_ value: JSONValue, at loc: [JSONValue], errors: inout [JSONValue]) -> JSONObject? {
        guard case .object(let object) = value else {
            errors.append(APIError.validationEntry(
                type: "model_attributes_type", loc: loc,
                msg: "Input should be a valid dictionary or object to extract fields from", input: value))
            return nil
        }
        for (key, member) in object where !scheduleCreateMembers.contains(key) {
            errors.append(APIError.validationEntry(type: "extra_forbidden", loc: loc + [.string(key)], msg: "Extra inputs are not permitted", input: member))
        }
        return object
    }

    private static func readCommon(
        _ object: JSONObject, at loc: [JSONValue], errors: inout [JSONValue], active: inout Bool,
        maxRuns: inout Int?, parameters: inout JSONObject, slug: inout String?, replaces: inout String?
    ) {
        func fail(_ key: String, _ type: String, _ msg: String) {
            errors.append(APIError.validationEntry(type: type, loc: loc + [.string(key)], msg: msg, input: object[key] ?? .null))
        }
        switch object["active"] {
        case nil, .null?: break
        case .bool(let flag)?: active = flag
        default: fail("active", "bool_type", "Input should be a valid boolean")
        }
        switch object["max_scheduled_runs"] {
        case nil, .null?: break
        case .int(let limit)?:
            if limit <= 0 {
                fail("max_scheduled_runs", "greater_than", "Input should be greater than 0")
            } else if limit > maximumScheduledRunsPerSchedule {
                fail("max_scheduled_runs", "value_error",
                     "Value error, `max_scheduled_runs` must be less than or equal to \(maximumScheduledRunsPerSchedule).")
            } else {
                maxRuns = Int(limit)
            }
        default: fail("max_scheduled_runs", "int_type", "Input should be a valid integer")
        }
        switch object["parameters"] {
        case nil: break
        case .object(let given)?: parameters = given
        default: fail("parameters", "dict_type", "Input should be a valid dictionary")
        }
        for key in ["slug", "replaces"] {
            switch object[key] {
            case nil, .null?: break
            case .string(let text)?: if key == "slug" { slug = text } else { replaces = text }
            default: fail(key, "string_type", "Input should be a valid string")
            }
        }
    }
}
