import Foundation
import GRDB
import Hummingbird
import PrefectSchemas

/// What `/flow_runs` and `/task_runs` share: read one, filter, count, delete and `set_state`,
/// over the resource's store.
protocol RunRouteResource: SendableMetatype {
    associatedtype Sort: Decodable & Sendable & CaseIterable & CustomStringConvertible & Equatable
    /// The `detail` of a 404 for a missing run ("Flow run not found", "Task not found").
    static var notFoundDetail: String { get }
    /// How an orchestration error names the run ("Flow run", "Task run").
    static var modelName: String { get }
    static func readJSON(_ db: Database, id: UUID, now: Date) throws -> Data?
    static func filterJSON(_ db: Database, _ query: RunQuery, sort: Sort?, page: Page, now: Date) throws -> Data
    static func count(_ db: Database, _ query: RunQuery) throws -> Int
    static func delete(_ db: Database, id: UUID) throws -> Bool
    static func proposeState(
        _ db: Database, id: UUID, state: State, force: Bool, now: Date, apiVersion: String?, clientVersion: String?
    ) throws -> ProposedState?
    static func isUnknown(_ sort: Sort) -> Bool
    /// Members a run has that the `paginate` route's results leave out (`TaskRunResponse` is
    /// narrower than `TaskRun`).
    static var paginationOmits: Set<String> { get }
}

extension FlowRunStore: RunRouteResource {
    static var notFoundDetail: String { "Flow run not found" }
    static var paginationOmits: Set<String> { [] }
    static var modelName: String { "Flow run" }

    static func proposeState(
        _ db: Database, id: UUID, state: State, force: Bool, now: Date, apiVersion: String?, clientVersion: String?
    ) throws -> ProposedState? {
        try FlowRunOrchestration.setState(
            db, flowRunID: id, state: state, force: force, now: now, apiVersion: apiVersion, clientVersion: clientVersion
        ).map { ProposedState(result: $0.result) }
    }

    static func isUnknown(_ sort: FlowRunSort) -> Bool {
        if case .unknown = sort { true } else { false }
    }
}

extension TaskRunStore: RunRouteResource {
    static var notFoundDetail: String { "Task not found" }
    static var paginationOmits: Set<String> {
        [
            "dynamic_key", "cache_key", "cache_expiration", "flow_run_run_count", "run_count", "expected_start_time",
            "next_scheduled_start_time", "labels", "state_type", "state_name",
        ]
    }
    static var modelName: String { "Task run" }

    static func proposeState(
        _ db: Database, id: UUID, state: State, force: Bool, now: Date, apiVersion: String?, clientVersion: String?
    ) throws -> ProposedState? {
        try TaskRunOrchestration.setState(db, taskRunID: id, state: state, force: force, now: now, apiVersion: apiVersion).map {
            ProposedState(result: $0.result, backgroundTask: try $0.backgroundDelivery())
        }
    }

    static func isUnknown(_ sort: TaskRunSort) -> Bool {
        if case .unknown = sort { true } else { false }
    }
}

/// What a state proposal did, and the background task run it scheduled (queued for the task
/// workers once the write has committed).
struct ProposedState: Sendable {
    let result: OrchestrationResult
    var backgroundTask: BackgroundTaskQueues.Delivery? = nil
}

enum RunRoutes {
    static func register<Resource: RunRouteResource>(
        _ resource: Resource.Type, on runs: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment
    ) {
        runs.get(":id") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            guard let json = try await env.read({ try Resource.readJSON($0, id: id, now: clock.now) }) else {
                throw APIError.notFound(Resource.notFoundDetail)
            }
            return JSONResponse.raw(json)
        }

        runs.post("filter") { request, _ -> Response in
            let clock = RequestClock(request)
            let body = try await APIBody.decodeFilter(RunFilterBody<Resource.Sort>.self, from: request)
            try Paging.checkSort(body.sort, unknown: Resource.isUnknown)
            let page = try Paging.page(limit: body.limit, offset: body.offset)
            let json = try await env.read { try Resource.filterJSON($0, body.query, sort: body.sort, page: page, now: clock.now) }
            return JSONResponse.raw(json)
        }

        runs.post("paginate") { request, _ -> Response in
            let clock = RequestClock(request)
            let body = try await APIBody.decodeFilter(RunFilterBody<Resource.Sort>.self, from: request)
            try Paging.checkSort(body.sort, unknown: Resource.isUnknown)
            let (page, number) = try Paging.numbered(limit: body.limit, page: body.page)
            var (json, count) = try await env.read { db in
                (try Resource.filterJSON(db, body.query, sort: body.sort, page: page, now: clock.now), try Resource.count(db, body.query))
            }
            if !Resource.paginationOmits.isEmpty, case .array(let runs) = try PrefectJSON.decode(JSONValue.self, from: json) {
                json = try ServerJSON.encode(JSONValue.array(runs.map { run in
                    guard case .object(let members) = run else { return run }
                    return .object(members.filter { !Resource.paginationOmits.contains($0.key) })
                }))
            }
            return JSONResponse.raw(Paging.answer(results: json, count: count, page: page, number: number))
        }

        runs.post("count") { request, _ -> Response in
            let body = try await APIBody.decodeFilter(RunFilterBody<Resource.Sort>.self, from: request)
            return JSONResponse.make(try await env.read { try Resource.count($0, body.query) })
        }

        runs.delete(":id") { _, context -> Response in
            let id = try context.uuid("id")
            guard try await env.write({ try Resource.delete($0, id: id) }) else {
                throw APIError.notFound(Resource.notFoundDetail)
            }
            return JSONResponse.noContent()
        }

        runs.post(":id/set_state") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            let body = try await APIBody.decode(SetStateBody.self, from: request, rules: StrictBodies.setState)
            try KnownValues.check(body.state, at: ["state"])
            let proposed = try await env.write { db in
                guard let proposed = try Resource.proposeState(
                    db, id: id, state: body.state.makeState(now: clock.now), force: body.force, now: clock.now,
                    apiVersion: clock.apiVersion, clientVersion: clock.clientVersion)
                else { throw APIError.objectNotFound("\(Resource.modelName) with id \(id.prefectString) not found") }
                return proposed
            }
            env.database.backgroundTasks.put(proposed.backgroundTask)
            let result = proposed.result
            return JSONResponse.make(result, status: result.wroteState(since: clock.now) ? .created : .ok)
        }
    }
}
