public import Foundation

/// What an automation does when it fires (Prefect's `ActionTypesOrUnknown`,
/// `prefect/events/actions.py`), told apart by `type`. An action of a type this SDK does not
/// know is kept whole in ``unknown(_:)`` (Prefect's `UnknownAction`), so saving an automation
/// read from a newer server sends it back unchanged.
public enum AutomationAction: Sendable, Hashable, Codable {
    case doNothing
    case runDeployment(RunDeploymentAction)
    case pauseDeployment(ActionTarget)
    case resumeDeployment(ActionTarget)
    case cancelFlowRun
    case deleteFlowRun
    case changeFlowRunState(ChangeFlowRunStateAction)
    case suspendFlowRun
    case resumeFlowRun
    case pauseWorkQueue(ActionTarget)
    case resumeWorkQueue(ActionTarget)
    case pauseWorkPool(ActionTarget)
    case resumeWorkPool(ActionTarget)
    case pauseAutomation(ActionTarget)
    case resumeAutomation(ActionTarget)
    case sendNotification(SendNotificationAction)
    case callWebhook(CallWebhookAction)
    /// Prefect Cloud's `declare-incident`.
    case declareIncident
    case unknown(JSONValue)

    /// The action's `type` on the wire.
    public var type: String {
        switch self {
        case .doNothing: "do-nothing"
        case .runDeployment: "run-deployment"
        case .pauseDeployment: "pause-deployment"
        case .resumeDeployment: "resume-deployment"
        case .cancelFlowRun: "cancel-flow-run"
        case .deleteFlowRun: "delete-flow-run"
        case .changeFlowRunState: "change-flow-run-state"
        case .suspendFlowRun: "suspend-flow-run"
        case .resumeFlowRun: "resume-flow-run"
        case .pauseWorkQueue: "pause-work-queue"
        case .resumeWorkQueue: "resume-work-queue"
        case .pauseWorkPool: "pause-work-pool"
        case .resumeWorkPool: "resume-work-pool"
        case .pauseAutomation: "pause-automation"
        case .resumeAutomation: "resume-automation"
        case .sendNotification: "send-notification"
        case .callWebhook: "call-webhook"
        case .declareIncident: "declare-incident"
        case .unknown(let value): value["type"]?.stringValue ?? ""
        }
    }

    enum CodingKeys: String, CodingKey {
        case type
    }

    public init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        let type = value["type"]?.stringValue
        switch type {
        case "do-nothing": self = .doNothing
        case "run-deployment": self = .runDeployment(try RunDeploymentAction(from: decoder))
        case "pause-deployment": self = .pauseDeployment(try ActionTarget(from: decoder, idKey: .deploymentID))
        case "resume-deployment": self = .resumeDeployment(try ActionTarget(from: decoder, idKey: .deploymentID))
        case "cancel-flow-run": self = .cancelFlowRun
        case "delete-flow-run": self = .deleteFlowRun
        case "change-flow-run-state": self = .changeFlowRunState(try ChangeFlowRunStateAction(from: decoder))
        case "suspend-flow-run": self = .suspendFlowRun
        case "resume-flow-run": self = .resumeFlowRun
        case "pause-work-queue": self = .pauseWorkQueue(try ActionTarget(from: decoder, idKey: .workQueueID))
        case "resume-work-queue": self = .resumeWorkQueue(try ActionTarget(from: decoder, idKey: .workQueueID))
        case "pause-work-pool": self = .pauseWorkPool(try ActionTarget(from: decoder, idKey: .workPoolID))
        case "resume-work-pool": self = .resumeWorkPool(try ActionTarget(from: decoder, idKey: .workPoolID))
        case "pause-automation": self = .pauseAutomation(try ActionTarget(from: decoder, idKey: .automationID))
        case "resume-automation": self = .resumeAutomation(try ActionTarget(from: decoder, idKey: .automationID))
        case "send-notification": self = .sendNotification(try SendNotificationAction(from: decoder))
        case "call-webhook": self = .callWebhook(try CallWebhookAction(from: decoder))
        case "declare-incident": self = .declareIncident
        default:
            guard case .object = value else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "An action is an object"))
            }
            self = .unknown(value)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .runDeployment(let action): try action.encode(to: encoder)
        case .pauseDeployment(let target), .resumeDeployment(let target):
            try target.encode(to: encoder, type: type, idKey: .deploymentID)
        case .pauseWorkQueue(let target), .resumeWorkQueue(let target): try target.encode(to: encoder, type: type, idKey: .workQueueID)
        case .pauseWorkPool(let target), .resumeWorkPool(let target): try target.encode(to: encoder, type: type, idKey: .workPoolID)
        case .pauseAutomation(let target), .resumeAutomation(let target): try target.encode(to: encoder, type: type, idKey: .automationID)
        case .changeFlowRunState(let action): try action.encode(to: encoder)
        case .sendNotification(let action): try action.encode(to: encoder)
        case .callWebhook(let action): try action.encode(to: encoder)
        case .unknown(let value): try value.encode(to: encoder)
        case .doNothing, .cancelFlowRun, .deleteFlowRun, .suspendFlowRun, .resumeFlowRun, .declareIncident:
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
        }
    }
}

/// Which deployment, work queue, work pool or automation an action acts on: the one the
/// triggering event names (`source: "inferred"`), or a chosen one (`"selected"`, with its id).
public enum ActionTarget: Sendable, Hashable {
    case inferred
    case selected(UUID)

    enum Keys: String, CodingKey {
        case type, source
        case deploymentID = "deployment_id"
        case workQueueID = "work_queue_id"
        case workPoolID = "work_pool_id"
        case automationID = "automation_id"
    }

    init(from decoder: any Decoder, idKey: Keys) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        let source = try container.decodeIfPresent(String.self, forKey: .source) ?? "selected"
        let id = try container.decodeIfPresent(UUID.self, forKey: idKey)
        switch (source, id) {
        case ("inferred", nil): self = .inferred
        case ("selected", let id?): self = .selected(id)
        case ("selected", nil):
            throw DecodingError.dataCorruptedError(forKey: idKey, in: container, debugDescription: "\(idKey.rawValue) is required")
        default:
            throw DecodingError.dataCorruptedError(forKey: idKey, in: container, debugDescription: "\(idKey.rawValue) is not allowed")
        }
    }

    func encode(to encoder: any Encoder, type: String, idKey: Keys) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .inferred:
            try container.encode("inferred", forKey: .source)
            try container.encodeNil(forKey: idKey)
        case .selected(let id):
            try container.encode("selected", forKey: .source)
            try container.encode(id.uuidString.lowercased(), forKey: idKey)
        }
    }
}

/// Prefect's `RunDeployment`: a run of the deployment, with parameters and job variables, some
/// seconds after the trigger.
public struct RunDeploymentAction: Sendable, Hashable, Codable {
    public var target: ActionTarget
    public var parameters: JSONObject?
    public var jobVariables: JSONObject?
    /// Seconds after the trigger the run is scheduled for.
    public var scheduleAfter: Double

    public init(_ target: ActionTarget, parameters: JSONObject? = nil, jobVariables: JSONObject? = nil,
                scheduleAfter: Double = 0) {
        self.target = target
        self.parameters = parameters
        self.jobVariables = jobVariables
        self.scheduleAfter = scheduleAfter
    }

    enum CodingKeys: String, CodingKey {
        case parameters
        case jobVariables = "job_variables"
        case scheduleAfter = "schedule_after"
    }

    public init(from decoder: any Decoder) throws {
        target = try ActionTarget(from: decoder, idKey: .deploymentID)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        parameters = try container.decodeIfPresent(JSONObject.self, forKey: .parameters)
        jobVariables = try container.decodeIfPresent(JSONObject.self, forKey: .jobVariables)
        scheduleAfter = try TriggerDuration.decode(container, .scheduleAfter) ?? 0
    }

    public func encode(to encoder: any Encoder) throws {
        try target.encode(to: encoder, type: "run-deployment", idKey: .deploymentID)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(parameters, forKey: .parameters)
        try container.encode(jobVariables, forKey: .jobVariables)
        try container.encode(scheduleAfter, forKey: .scheduleAfter)
    }
}

/// Prefect's `ChangeFlowRunState`: moves the triggering flow run to a state of this type.
public struct ChangeFlowRunStateAction: Sendable, Hashable, Codable {
    public var name: String?
    public var state: StateType
    public var message: String?
    public var force: Bool

    public init(state: StateType, name: String? = nil, message: String? = nil, force: Bool = false) {
        self.state = state
        self.name = name
        self.message = message
        self.force = force
    }

    enum CodingKeys: String, CodingKey {
        case type, name, state, message, force
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        state = try container.decode(StateType.self, forKey: .state)
        message = try container.decodeIfPresent(String.self, forKey: .message)
        force = try container.decodeIfPresent(Bool.self, forKey: .force) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("change-flow-run-state", forKey: .type)
        try container.encode(name, forKey: .name)
        try container.encode(state, forKey: .state)
        try container.encode(message, forKey: .message)
        try container.encode(force, forKey: .force)
    }
}

/// Prefect's `SendNotification`: a message through a notification block.
public struct SendNotificationAction: Sendable, Hashable, Codable {
    public var blockDocumentID: UUID
    public var subject: String
    public var body: String

    public init(blockDocumentID: UUID, body: String, subject: String = "Prefect automated notification") {
        self.blockDocumentID = blockDocumentID
        self.body = body
        self.subject = subject
    }

    enum CodingKeys: String, CodingKey {
        case type, subject, body
        case blockDocumentID = "block_document_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        blockDocumentID = try container.decode(UUID.self, forKey: .blockDocumentID)
        subject = try container.decodeIfPresent(String.self, forKey: .subject) ?? "Prefect automated notification"
        body = try container.decode(String.self, forKey: .body)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("send-notification", forKey: .type)
        try container.encode(blockDocumentID.uuidString.lowercased(), forKey: .blockDocumentID)
        try container.encode(subject, forKey: .subject)
        try container.encode(body, forKey: .body)
    }
}

/// Prefect's `CallWebhook`: a call of a webhook block with a templated payload.
public struct CallWebhookAction: Sendable, Hashable, Codable {
    public var blockDocumentID: UUID
    public var payload: String

    public init(blockDocumentID: UUID, payload: String = "") {
        self.blockDocumentID = blockDocumentID
        self.payload = payload
    }

    enum CodingKeys: String, CodingKey {
        case type, payload
        case blockDocumentID = "block_document_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        blockDocumentID = try container.decode(UUID.self, forKey: .blockDocumentID)
        payload = try container.decodeIfPresent(String.self, forKey: .payload) ?? ""
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("call-webhook", forKey: .type)
        try container.encode(blockDocumentID.uuidString.lowercased(), forKey: .blockDocumentID)
        try container.encode(payload, forKey: .payload)
    }
}
