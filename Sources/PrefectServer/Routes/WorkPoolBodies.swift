import Foundation
import Hummingbird
import PrefectSchemas

/// The bodies of the work-pool and work-queue routes, validated as Prefect 3.9.1's
/// `WorkPoolCreate`, `WorkPoolUpdate`, `WorkQueueCreate` and `WorkQueueUpdate`
/// (`prefect/server/schemas/actions.py`).
enum WorkPoolBodies {
    /// What a work-pool update changes: only the members the body has (`exclude_unset=True`).
    struct PoolChanges: Sendable {
        var description: String??
        var isPaused: Bool?
        var baseJobTemplate: JSONObject?
        var concurrencyLimit: Int??
        var storageConfiguration: WorkPoolStorageConfiguration?

        /// The members that are set, by their wire names.
        var members: Set<String> = []
    }

    /// What a work-queue update changes.
    struct QueueChanges: Sendable {
        var name: String?
        var description: String??
        var isPaused: Bool?
        var concurrencyLimit: Int??
        var priority: Int?
        var lastPolled: Date??
        var filter: QueueFilter??
    }

    static func poolCreate(from request: Request) async throws -> WorkPoolCreate {
        var action = try await ActionBody.read(request, allowed: poolCreateMembers)
        action.require("name")
        action.checkNonEmptyishName("name")
        action.checkInteger("concurrency_limit", atLeast: 0)
        checkBaseJobTemplate(&action)
        return try action.decode(WorkPoolCreate.self, defaults: ["type": "prefect-agent"])
    }

    static func poolChanges(from request: Request) async throws -> PoolChanges {
        var action = try await ActionBody.read(request, allowed: poolUpdateMembers)
        action.checkInteger("concurrency_limit", atLeast: 0)
        checkBaseJobTemplate(&action)
        let typed = try action.decode(WorkPoolUpdate.self)
        return PoolChanges(
            description: action.has("description") ? .some(typed.description) : .none,
            isPaused: typed.isPaused,
            baseJobTemplate: typed.baseJobTemplate,
            concurrencyLimit: action.has("concurrency_limit") ? .some(typed.concurrencyLimit) : .none,
            storageConfiguration: typed.storageConfiguration,
            members: Set(action.object.keys))
    }

    static func queueCreate(from request: Request) async throws -> WorkQueueCreate {
        var action = try await ActionBody.read(request, allowed: queueCreateMembers)
        action.require("name")
        action.checkName("name")
        action.checkInteger("concurrency_limit", atLeast: 0)
        action.checkInteger("priority", atLeast: 0, strictly: true)
        return try action.decode(WorkQueueCreate.self, defaults: ["description": ""])
    }

    static func queueChanges(from request: Request) async throws -> QueueChanges {
        var action = try await ActionBody.read(request, allowed: queueUpdateMembers)
        // Prefect's WorkQueueUpdate takes any string as the name and stores it; every read of
        // that queue (and every queue list it is in) then fails WorkQueueResponse's Name with a
        // 500. Deliberately refused here with WorkQueueCreate's 422 instead.
        action.checkName("name")
        action.checkInteger("concurrency_limit", atLeast: 0)
        action.checkInteger("priority", atLeast: 0, strictly: true)
        let typed = try action.decode(WorkQueueUpdate.self)
        return QueueChanges(
            name: typed.name,
            description: action.has("description") ? .some(typed.description) : .none,
            isPaused: typed.isPaused,
            concurrencyLimit: action.has("concurrency_limit") ? .some(typed.concurrencyLimit) : .none,
            priority: typed.priority,
            lastPolled: action.has("last_polled") ? .some(typed.lastPolled) : .none,
            filter: action.has("filter") ? .some(typed.filter) : .none)
    }

    private static let poolCreateMembers: Set<String> = [
        "name", "description", "type", "base_job_template", "is_paused", "concurrency_limit", "storage_configuration",
    ]
    private static let poolUpdateMembers: Set<String> = [
        "description", "is_paused", "base_job_template", "concurrency_limit", "storage_configuration",
    ]
    private static let queueCreateMembers: Set<String> = [
        "name", "description", "is_paused", "concurrency_limit", "priority", "filter",
    ]
    private static let queueUpdateMembers: Set<String> = [
        "name", "description", "is_paused", "concurrency_limit", "priority", "last_polled", "filter",
    ]

    /// `validate_base_job_template`: an empty template, or one with `job_configuration` and
    /// `variables`, whose `{{ placeholders }}` are all properties of `variables`.
    private static func checkBaseJobTemplate(_ action: inout ActionBody) {
        guard case .object(let template)? = action.object["base_job_template"], !template.isEmpty else { return }
        guard case .object(let configuration)? = template["job_configuration"], !configuration.isEmpty,
              case .object(let variables)? = template["variables"], !variables.isEmpty
        else {
            action.fail(
                "base_job_template", type: "value_error",
                msg: "Value error, The `base_job_template` must contain both a `job_configuration` key and a `variables` key.")
            return
        }
        var used = Set<String>()
        for value in configuration.values {
            let text = (try? ServerJSON.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            used.formUnion(placeholders(in: text))
        }
        let declared: Set<String> = if case .object(let properties)? = variables["properties"] { Set(properties.keys) } else { [] }
        let missing = used.subtracting(declared)
        guard missing.isEmpty else {
            action.fail(
                "base_job_template", type: "value_error",
                msg: "Value error, The variables specified in the job configuration template must be present as properties in the variables schema. Your job configuration uses the following undeclared variable(s): \(missing.sorted().joined(separator: " ,")).")
            return
        }
    }

    /// The names inside `{{ … }}` (Prefect's `PLACEHOLDER_CAPTURE_REGEX`, `prefect/utilities/templating/__init__.py`).
    static func placeholders(in text: String) -> Set<String> {
        Set(text.matches(of: /\{\{\s*([\w\.\-\[\]$]+)\s*\}\}/).map { String($0.output.1) })
    }
}
