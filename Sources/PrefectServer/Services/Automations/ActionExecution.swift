import Foundation
import PrefectSchemas

/// Why an action could not be carried out (Prefect's `ActionFailed`): its reason goes into the
/// `prefect.automation.action.failed` event.
struct ActionFailed: Error {
    let reason: String
}

/// One triggered action carried out as Prefect 3.9.1's actions do (`act` of each action class,
/// `prefect/server/events/actions.py`), through the server's own API: what it acted on
/// (`_resulting_related_resources`) and what came of it (`_result_details`) go into its
/// `executed` or `failed` event.
struct ActionExecution {
    let triggered: TriggeredAction
    let api: InternalAPI
    let webhooks: WebhookCaller
    var related: [EventResource] = []
    var details: JSONObject = [:]

    init(_ triggered: TriggeredAction, api: InternalAPI, webhooks: WebhookCaller) {
        self.triggered = triggered
        self.api = api
        self.webhooks = webhooks
    }

    mutating func run() async throws {
        switch triggered.action {
        case .doNothing:
            return
        case .runDeployment(let action):
            try await runDeployment(action)
        case .pauseDeployment(let target):
            try await deploymentCommand(target, "pause_deployment")
        case .resumeDeployment(let target):
            try await deploymentCommand(target, "resume_deployment")
        case .cancelFlowRun:
            try await changeFlowRunState([
                "type": "CANCELLING", "message": .string("Cancelled by Automation \(triggered.automation.id.prefectString)"),
            ], force: false)
        case .changeFlowRunState(let action):
            var state: JSONObject = [
                "type": .string(action.state.rawValue),
                "message": .string(action.message ?? "State changed by Automation \(triggered.automation.id.prefectString)"),
            ]
            if let name = action.name { state["name"] = .string(name) }
            try await changeFlowRunState(state, force: action.force)
        case .suspendFlowRun:
            try await changeFlowRunState([
                "type": "PAUSED", "name": "Suspended",
                "message": .string("Suspended by Automation \(triggered.automation.id.prefectString)"),
                "state_details": [
                    "pause_timeout": .string(PrefectDate.format(Date().addingTimeInterval(3600))), "pause_reschedule": true,
                ],
            ], force: false)
        case .deleteFlowRun:
            let id = try flowRunID()
            target("prefect.flow-run.\(id.prefectString)")
            try check(await api.delete("/flow_runs/\(id.prefectString)"))
        case .resumeFlowRun:
            let id = try flowRunID()
            target("prefect.flow-run.\(id.prefectString)")
            let answer = await api.post("/flow_runs/\(id.prefectString)/resume")
            guard answer.status < 300 else { throw ActionFailed(reason: reason(answer)) }
            try requireAccepted(answer, "Failed to resume flow run")
        case .pauseWorkPool(let target):
            try await workPoolCommand(target, paused: true)
        case .resumeWorkPool(let target):
            try await workPoolCommand(target, paused: false)
        case .pauseWorkQueue(let target):
            try await workQueueCommand(target, paused: true)
        case .resumeWorkQueue(let target):
            try await workQueueCommand(target, paused: false)
        case .pauseAutomation(let target):
            try await automationCommand(target, enabled: false)
        case .resumeAutomation(let target):
            try await automationCommand(target, enabled: true)
        case .callWebhook(let action):
            try await callWebhook(action)
        case .sendNotification(let action):
            try await sendNotification(action)
        case .declareIncident, .unknown:
            throw ActionFailed(reason: "Unsupported action type \(triggered.action.type)")
        }
    }

    // MARK: - Deployments

    private mutating func runDeployment(_ action: RunDeploymentAction) async throws {
        let deployment = try selectedOrInferred(action.target, kind: "prefect.deployment", noun: "deployment")
        target("prefect.deployment.\(deployment.prefectString)")
        let scheduled = Date().addingTimeInterval(action.scheduleAfter)
        var body: JSONObject = [
            "state": [
                "type": "SCHEDULED", "name": "Scheduled", "message": .null,
                "state_details": ["scheduled_time": .string(PrefectDate.format(scheduled))],
            ],
            "idempotency_key": .string(triggered.idempotencyKey),
        ]
        if let parameters = action.parameters {
            body["parameters"] = try await renderParameters(parameters)
        }
        if let jobVariables = action.jobVariables { body["job_variables"] = .object(jobVariables) }
        let answer = await api.post("/deployments/\(deployment.prefectString)/create_flow_run", .object(body))
        details["status_code"] = .int(Int64(answer.status))
        if answer.status < 300, let id = answer.body?["id"]?.stringValue {
            var run: EventResource = ["prefect.resource.id": "prefect.flow-run.\(id)", "prefect.resource.role": "flow-run"]
            if let name = answer.body?["name"]?.stringValue { run.labels["prefect.resource.name"] = name }
            related.append(run)
        }
        if answer.status == 409 { details["validation_error"] = answer.detail ?? .null }
        guard answer.status < 300 else { throw ActionFailed(reason: reason(answer)) }
    }

    private mutating func deploymentCommand(_ selection: ActionTarget, _ command: String) async throws {
        let deployment = try selectedOrInferred(selection, kind: "prefect.deployment", noun: "deployment")
        target("prefect.deployment.\(deployment.prefectString)")
        try check(await api.post("/deployments/\(deployment.prefectString)/\(command)"))
    }

    // MARK: - Flow runs

    /// `FlowRunAction.flow_run`: the flow run the firing's labels name (a proactive trigger
    /// per flow run), else the first one among the triggering event's resources.
    private func flowRunID() throws -> UUID {
        if let labelled = triggered.triggeringLabels["prefect.resource.id"]?.stringValue,
           let id = Self.id(labelled, kind: "prefect.flow-run") {
            return id
        }
        if let id = firstID(kind: "prefect.flow-run") { return id }
        throw ActionFailed(reason: "No flow run could be inferred")
    }

    private mutating func changeFlowRunState(_ state: JSONObject, force: Bool) async throws {
        let id = try flowRunID()
        target("prefect.flow-run.\(id.prefectString)")
        let answer = await api.post("/flow_runs/\(id.prefectString)/set_state", ["state": .object(state), "force": .bool(force)])
        try check(answer)
        try requireAccepted(answer, "Failed to set state")
    }

    private func requireAccepted(_ answer: InternalAPI.Answer, _ prefix: String) throws {
        guard answer.body?["status"]?.stringValue == "ACCEPT" else {
            let reason = answer.body?["details"]?["reason"]?.stringValue ?? "None"
            throw ActionFailed(reason: "\(prefix): \(reason)")
        }
    }

    // MARK: - Work pools, work queues, automations

    private mutating func workPoolCommand(_ selection: ActionTarget, paused: Bool) async throws {
        let id = try selectedOrInferred(selection, kind: "prefect.work-pool", noun: "work pool")
        let found = await api.post("/work_pools/filter", ["work_pools": ["id": ["any_": [.string(id.prefectString)]]]])
        guard found.status < 300, let pool = found.body?.arrayValue?.first, let name = pool["name"]?.stringValue else {
            throw ActionFailed(reason: found.status < 300 ? "Work pool \(id.prefectString) not found" : reason(found))
        }
        related.append([
            "prefect.resource.id": "prefect.work-pool.\(id.prefectString)", "prefect.resource.name": name,
            "prefect.resource.role": "target",
        ])
        let path = name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? name
        try check(await api.patch("/work_pools/\(path)", ["is_paused": .bool(paused)]))
    }

    private mutating func workQueueCommand(_ selection: ActionTarget, paused: Bool) async throws {
        let id = try selectedOrInferred(selection, kind: "prefect.work-queue", noun: "work queue")
        target("prefect.work-queue.\(id.prefectString)")
        try check(await api.patch("/work_queues/\(id.prefectString)", ["is_paused": .bool(paused)]))
    }

    private mutating func automationCommand(_ selection: ActionTarget, enabled: Bool) async throws {
        let id = try selectedOrInferred(selection, kind: "prefect.automation", noun: "automation")
        target("prefect.automation.\(id.prefectString)")
        try check(await api.patch("/automations/\(id.prefectString)", ["enabled": .bool(enabled)]))
    }

    // MARK: - Helpers

    /// `<Kind>Action.<kind>_id_to_use`: the selected id, or the first resource of the kind
    /// among the triggering event's resource and related resources.
    private func selectedOrInferred(_ selection: ActionTarget, kind: String, noun: String) throws -> UUID {
        switch selection {
        case .selected(let id):
            return id
        case .inferred:
            guard triggered.triggeringEvent != nil else { throw ActionFailed(reason: "No event to infer the \(noun)") }
            if let id = firstID(kind: kind) { return id }
            throw ActionFailed(reason: "No \(noun) could be inferred")
        }
    }

    /// `_id_of_first_resource_of_kind`.
    private func firstID(kind: String) -> UUID? {
        firstResource(kind: kind)?.id
    }

    /// `_first_resource_of_kind`: the first of the triggering event's resource and related
    /// resources of that kind, with its id when that is a UUID.
    func firstResource(kind: String) -> (resource: JSONObject, id: UUID)? {
        guard let event = triggered.triggeringEvent else { return nil }
        let involved = [event["resource"]].compactMap { $0 } + (event["related"]?.arrayValue ?? [])
        for case .object(let resource) in involved {
            guard let resourceID = resource["prefect.resource.id"]?.stringValue, let dot = resourceID.lastIndex(of: "."),
                  resourceID[..<dot] == kind else { continue }
            return Self.id(resourceID, kind: kind).map { (resource, $0) }
        }
        return nil
    }

    static func id(_ resourceID: String, kind: String) -> UUID? {
        guard let dot = resourceID.lastIndex(of: "."), resourceID[..<dot] == kind else { return nil }
        return UUID(uuidString: String(resourceID[resourceID.index(after: dot)...]))
    }

    private mutating func target(_ resourceID: String) {
        related.append(["prefect.resource.id": resourceID, "prefect.resource.role": "target"])
    }

    /// Records the status, and fails on one of 300 or more.
    private mutating func check(_ answer: InternalAPI.Answer) throws {
        details["status_code"] = .int(Int64(answer.status))
        guard answer.status < 300 else { throw ActionFailed(reason: reason(answer)) }
    }

    /// `reason_from_response`.
    func reason(_ answer: InternalAPI.Answer) -> String {
        let type = triggered.action.type
        guard answer.status == 409 || answer.status == 422 else {
            return "Unexpected status from '\(type)' action: \(answer.status)"
        }
        let detail = answer.detail.flatMap(Self.pythonText)
        if answer.status == 422 || detail != nil {
            return "Validation error occurred for '\(type)'" + (detail.map { " - \($0)" } ?? "")
        }
        return "Conflict (409) occurred for '\(type)' - \(detail ?? "''")"
    }

    /// A `detail` as Python's f-string shows it: text as is, anything else as its repr.
    static func pythonText(_ value: JSONValue) -> String? {
        switch value {
        case .null: nil
        case .string(let text): text.isEmpty ? nil : text
        default: PythonRepr.of(value)
        }
    }
}
