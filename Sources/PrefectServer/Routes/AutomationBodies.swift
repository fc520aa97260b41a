import Foundation
import Hummingbird
import PrefectSchemas

/// The bodies of `POST /automations/`, `PUT` and `PATCH /automations/{id}`, checked as Prefect
/// 3.9.1's `AutomationCreate`, `AutomationUpdate` and `AutomationPartialUpdate` check theirs
/// (`server/events/schemas/automations.py`): extra members forbidden; the trigger an event,
/// compound or sequence trigger (an event trigger must name its posture, a composite its
/// `within`; a proactive trigger waits at least 10 seconds); the actions those the server can
/// run. Triggers get new ids (`reset_ids`). pydantic reports a trigger that fits no member of
/// the union once per member; these checks report what is wrong with the member its `type` names.
enum AutomationBodies {
    /// What a create or replace sets, normalized as the server stores it.
    struct Write: Sendable {
        /// The members set, with defaults filled in for a create.
        var members: JSONObject
        var ownerResource: String?
        /// Deployments that `run-deployment` actions select (related resources), when `actions` is set.
        var selectedDeployments: [UUID]?
        /// The `run-deployment` actions that select a deployment, with their job variables.
        var deploymentRuns: [(deploymentID: UUID, jobVariables: JSONObject?)] = []
    }

    static func create(from request: Request) async throws -> Write {
        try await write(from: request, allowed: coreMembers.union(["owner_resource"]), filling: true)
    }

    /// `PUT`: the members sent replace the stored ones (`exclude_unset`).
    static func replace(from request: Request) async throws -> Write {
        try await write(from: request, allowed: coreMembers, filling: false)
    }

    /// `PATCH`: only `enabled` (true when left out).
    static func enabled(from request: Request) async throws -> Bool {
        var body = try await ActionBody.read(request, allowed: ["enabled"])
        body.checkType("enabled", .bool)
        try body.throwErrors()
        return body.object["enabled"]?.boolValue ?? true
    }

    private static let coreMembers: Set<String> = [
        "name", "description", "enabled", "tags", "trigger", "actions", "actions_on_trigger", "actions_on_resolve",
    ]

    private static func write(from request: Request, allowed: Set<String>, filling: Bool) async throws -> Write {
        var body = try await ActionBody.read(request, allowed: allowed)
        body.require("name")
        body.checkType("name", .string)
        body.checkType("description", .string)
        body.checkType("enabled", .bool)
        body.checkType("tags", .stringList)
        body.require("trigger")
        if let trigger = body.object["trigger"] {
            for error in AutomationTriggerCheck.errors(trigger, at: ["body", "trigger"]) { body.append(error) }
        }
        body.require("actions")
        for key in ["actions", "actions_on_trigger", "actions_on_resolve"] {
            guard let value = body.object[key] else { continue }
            for error in actionErrors(value, at: ["body", .string(key)]) { body.append(error) }
        }
        body.checkType("owner_resource", .string)
        try body.throwErrors()

        var members: JSONObject = [:]
        if filling {
            members = ["description": "", "enabled": true, "tags": [], "actions_on_trigger": [], "actions_on_resolve": []]
        }
        for key in ["name", "description", "enabled", "tags"] where body.has(key) {
            members[key] = body.object[key]
        }
        var selected: [UUID]?
        var runs: [(deploymentID: UUID, jobVariables: JSONObject?)] = []
        if let trigger = body.object["trigger"] {
            let typed = AutomationTriggerCheck.normalized(try APIBody.decode(AutomationTrigger.self, from: ServerJSON.encode(trigger)))
            members["trigger"] = try APIBody.decode(JSONValue.self, from: ServerJSON.encode(typed))
        }
        for key in ["actions", "actions_on_trigger", "actions_on_resolve"] {
            guard let value = body.object[key] else { continue }
            let actions = try APIBody.decode([AutomationAction].self, from: ServerJSON.encode(value))
            members[key] = try APIBody.decode(JSONValue.self, from: ServerJSON.encode(actions))
            if key == "actions" {
                for action in actions {
                    if case .runDeployment(let run) = action, case .selected(let id) = run.target { runs.append((id, run.jobVariables)) }
                }
                selected = runs.map(\.deploymentID)
            }
        }
        return Write(members: members, ownerResource: body.string("owner_resource"), selectedDeployments: selected, deploymentRuns: runs)
    }

    /// The action types Prefect's server runs (`ServerActionTypes`): not Prefect Cloud's
    /// `declare-incident`, nor any it does not know.
    private static let serverActionTypes: Set<String> = [
        "do-nothing", "run-deployment", "pause-deployment", "resume-deployment", "cancel-flow-run", "delete-flow-run",
        "change-flow-run-state", "pause-work-queue", "resume-work-queue", "send-notification", "call-webhook",
        "pause-automation", "resume-automation", "suspend-flow-run", "resume-flow-run", "pause-work-pool", "resume-work-pool",
    ]

    /// The members of the `actions` union in Prefect's document, in order.
    private static let actionUnion: [JSONValue]? =
        RequestSchemas.body("POST", "/automations/")?["properties"]?["actions"]?["items"]?["anyOf"]?.arrayValue

    /// The actions pydantic wraps in an after-validator, by title, as its union errors name them.
    private static let validatedActions: [String: String] = [
        "RunDeployment": "function-after[selected_deployment_requires_id(), RunDeployment]",
        "PauseDeployment": "function-after[selected_deployment_requires_id(), PauseDeployment]",
        "ResumeDeployment": "function-after[selected_deployment_requires_id(), ResumeDeployment]",
        "PauseWorkQueue": "function-after[selected_work_queue_requires_id(), PauseWorkQueue]",
        "ResumeWorkQueue": "function-after[selected_work_queue_requires_id(), ResumeWorkQueue]",
        "PauseAutomation": "function-after[selected_automation_requires_id(), PauseAutomation]",
        "ResumeAutomation": "function-after[selected_automation_requires_id(), ResumeAutomation]",
        "PauseWorkPool": "function-after[selected_work_pool_requires_id(), PauseWorkPool]",
        "ResumeWorkPool": "function-after[selected_work_pool_requires_id(), ResumeWorkPool]",
    ]

    private static func actionErrors(_ value: JSONValue, at path: [JSONValue]) -> [JSONValue] {
        guard case .array(let items) = value else {
            return [APIError.validationEntry(type: "list_type", loc: path, msg: "Input should be a valid list", input: value)]
        }
        var errors: [JSONValue] = []
        for (index, item) in items.enumerated() {
            let itemPath = path + [.int(Int64(index))]
            guard case .object = item, let type = item["type"]?.stringValue, serverActionTypes.contains(type) else {
                errors.append(APIError.validationEntry(
                    type: "union_tag_invalid", loc: itemPath + ["type"],
                    msg: "Input should be one of the action types: " + serverActionTypes.sorted().joined(separator: ", "),
                    input: item["type"] ?? .null))
                continue
            }
            // A known action type whose members are wrong: pydantic's smart-union errors, every member's.
            if let union = actionUnion, let unionErrors = RequestSchemas.unionErrors(item, union, at: itemPath, names: validatedActions) {
                errors += unionErrors
                continue
            }
            do {
                _ = try PrefectJSON.decode(AutomationAction.self, from: ServerJSON.encode(item))
            } catch let error as DecodingError {
                var entry = ValidationErrors.entry(for: error)
                if case .object(var members) = entry, case .array(let loc)? = members["loc"] {
                    members["loc"] = .array(itemPath + loc.dropFirst())
                    entry = .object(members)
                }
                errors.append(entry)
            } catch {
                errors.append(APIError.validationEntry(type: "value_error", loc: itemPath, msg: "Value error, \(error)", input: item))
            }
        }
        return errors
    }
}

/// The server's checks of an automation's trigger, and its normalization.
enum AutomationTriggerCheck {
    /// The pydantic-style errors of `value` as one of the server's trigger types.
    static func errors(_ value: JSONValue, at path: [JSONValue]) -> [JSONValue] {
        guard case .object(let members) = value else {
            return [APIError.validationEntry(type: "model_type", loc: path, msg: "Input should be a valid dictionary", input: value)]
        }
        var errors: [JSONValue] = []
        func fail(_ key: String?, _ type: String, _ msg: String, _ input: JSONValue? = nil) {
            errors.append(APIError.validationEntry(
                type: type, loc: key.map { path + [.string($0)] } ?? path, msg: msg, input: input ?? (key.flatMap { members[$0] } ?? value)))
        }
        switch AutomationTrigger.discriminator(members) {
        case "event":
            guard let posture = members["posture"] else {
                fail("posture", "missing", "Field required", value)
                break
            }
            if posture != "Reactive", posture != "Proactive" {
                fail("posture", "literal_error", "Input should be <Posture.Reactive: 'Reactive'> or <Posture.Proactive: 'Proactive'>")
            }
            if members["within"] == .null {
                fail(nil, "value_error", "Value error, `within` should be a valid timedelta")
            } else if let within = members["within"] {
                if let seconds = seconds(within) {
                    if seconds < 0 {
                        fail("within", "greater_than_equal", "Input should be greater than or equal to 0:00:00")
                    } else if posture == "Proactive", seconds > 0, seconds < 10 {
                        fail(nil, "value_error",
                             "Value error, `within` for Proactive triggers must be greater than or equal to 10 seconds")
                    }
                } else {
                    fail("within", "time_delta_parsing", "Input should be a valid timedelta")
                }
            }
            if let threshold = members["threshold"], threshold.intValue == nil {
                fail("threshold", "int_type", "Input should be a valid integer")
            }
            for key in ["after", "expect", "for_each"] {
                if let list = members[key], list.arrayValue?.allSatisfy({ $0.stringValue != nil }) != true {
                    fail(key, "set_type", "Input should be a valid set")
                }
            }
        case "compound", "sequence":
            let compound = AutomationTrigger.discriminator(members) == "compound"
            guard case .array(let triggers)? = members["triggers"] else {
                if members["triggers"] == nil { fail("triggers", "missing", "Field required", value) } else {
                    fail("triggers", "list_type", "Input should be a valid list")
                }
                break
            }
            for (index, trigger) in triggers.enumerated() {
                errors += self.errors(trigger, at: path + ["triggers", .int(Int64(index))])
            }
            if members["within"] == nil {
                fail("within", "missing", "Field required", value)
            } else if let within = members["within"], within != .null, seconds(within) == nil {
                fail("within", "time_delta_parsing", "Input should be a valid timedelta")
            }
            if compound {
                switch members["require"] {
                case nil: fail("require", "missing", "Field required", value)
                case .string("any")?, .string("all")?: break
                case .int(let count)?:
                    if count < 1 {
                        fail(nil, "value_error", "Value error, require must be at least 1")
                    } else if count > triggers.count {
                        fail(nil, "value_error", "Value error, require must be less than or equal to the number of triggers")
                    }
                default: fail("require", "literal_error", "Input should be 'any' or 'all'")
                }
            }
        default:
            fail("type", "union_tag_invalid", "Input should be 'event', 'compound' or 'sequence'", members["type"] ?? .null)
        }
        return errors
    }

    /// New ids for the trigger and all below it (`reset_ids`); a proactive trigger without a
    /// period waits 10 seconds (`enforce_minimum_within_for_proactive_triggers`).
    static func normalized(_ trigger: AutomationTrigger) -> AutomationTrigger {
        switch trigger {
        case .event(var event):
            event.id = UUID.version4()
            if event.posture == .proactive, event.within == 0 { event.within = 10 }
            event.after = unique(event.after)
            event.expect = unique(event.expect)
            event.forEach = unique(event.forEach)
            return .event(event)
        case .compound(var compound):
            compound.id = UUID.version4()
            compound.triggers = compound.triggers.map(normalized)
            return .compound(compound)
        case .sequence(var sequence):
            sequence.id = UUID.version4()
            sequence.triggers = sequence.triggers.map(normalized)
            return .sequence(sequence)
        case .metric, .unknown:
            return trigger
        }
    }

    /// A set's members once each, first occurrence first.
    private static func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }

    private static func seconds(_ value: JSONValue) -> Double? {
        if let number = value.doubleValue { return number }
        return value.stringValue.flatMap(TriggerDuration.seconds(text:))
    }
}
