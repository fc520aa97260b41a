import Foundation
import Hummingbird
import PrefectSchemas

/// `/flow_runs` (Prefect's `api/flow_runs.py`): runs, their states and labels. Input lives in
/// ``FlowRunInputRoutes``.
enum FlowRunRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        let runs = api.group("flow_runs")
        RunRoutes.register(FlowRunStore.self, on: runs, env)

        runs.post("/") { request, _ -> Response in
            let clock = RequestClock(request)
            let create = try await APIBody.decode(FlowRunCreate.self, from: request, rules: StrictBodies.flowRunCreate)
            try KnownValues.check(create.state, at: ["state"])
            let createdBy = AutomationProvenance.createdBy(request)
            let (_, json, created) = try await env.write {
                try FlowRunCreation.create($0, create, now: clock.now, apiVersion: clock.apiVersion, createdBy: createdBy)
            }
            return JSONResponse.raw(json, status: created ? .created : .ok)
        }

        runs.patch(":id") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            let update = try await APIBody.decode(FlowRunUpdate.self, from: request, rules: StrictBodies.flowRunUpdate)
            try await env.write { db in
                guard var run = try FlowRunStore.read(db, id: id, now: clock.now) else {
                    throw APIError.notFound("Flow run not found")
                }
                if update.jobVariables != nil {
                    guard let state = run.state else {
                        throw APIError.detail(.badRequest, "Flow run state is required to update job variables but none exists")
                    }
                    guard state.type == .scheduled else {
                        throw APIError.detail(
                            .badRequest, "Job variables for a flow run in state \(state.type.rawValue) cannot be updated")
                    }
                    throw APIError.detail(.badRequest, "A deployment for the flow run could not be found")
                }
                if let name = update.name { run.name = name }
                if let flowVersion = update.flowVersion { run.flowVersion = flowVersion }
                if let parameters = update.parameters { run.parameters = parameters }
                if let policy = update.empiricalPolicy { run.empiricalPolicy = policy.withServerDefaults() }
                if let tags = update.tags { run.tags = tags }
                if let pid = update.infrastructurePid { run.infrastructurePid = pid }
                run.updated = clock.now
                try FlowRunStore.save(db, run)
            }
            return JSONResponse.noContent()
        }

        runs.patch(":id/labels") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            let labels = try await APIBody.decode(JSONObject.self, from: request)
            try await env.write { db in
                guard var run = try FlowRunStore.read(db, id: id, now: clock.now) else {
                    throw APIError.objectNotFound("Flow run with id \(id.prefectString) not found")
                }
                run.labels.merge(labels) { _, new in new }
                run.updated = clock.now
                try FlowRunStore.save(db, run)
            }
            return JSONResponse.noContent()
        }

        runs.post(":id/resume") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            let body = try await APIBody.decode(ResumeBody.self, from: request, emptyIsObject: true)
            let result = try await env.write { try FlowRunResume.resume($0, flowRunID: id, runInput: body.runInput, clock: clock) }
            return JSONResponse.make(result, status: result.wroteState(since: clock.now) ? .created : .ok)
        }
    }
}

/// The body of `set_state`: the proposed state and `force`.
struct SetStateBody: Decodable, Sendable {
    var state: StateCreate
    var force: Bool

    enum CodingKeys: String, CodingKey { case state, force }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        state = try container.decode(StateCreate.self, forKey: .state)
        force = try container.decodeIfPresent(Bool.self, forKey: .force) ?? false
    }
}

/// The body of `resume`: optional `run_input`.
struct ResumeBody: Decodable, Sendable {
    var runInput: JSONObject?

    enum CodingKeys: String, CodingKey { case runInput = "run_input" }
}

extension OrchestrationResult {
    /// Whether a new state was written during the request (Prefect answers 201 then, 200
    /// otherwise).
    func wroteState(since start: Date) -> Bool {
        guard let state else { return false }
        return state.timestamp >= start
    }
}
