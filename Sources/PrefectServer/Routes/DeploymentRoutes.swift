import Foundation
import GRDB
import Hummingbird
import PrefectSchemas

/// `/deployments` (Prefect's `api/deployments.py`): create (an upsert by flow and name), read by
/// id and by `flow_name/deployment_name`, filter, paginate, count, update, delete, pause and
/// resume, runs from a deployment and the scheduled runs a runner polls for. Schedules are in
/// ``DeploymentScheduleRoutes``. `branch` is Cloud-only and, unserved, answers 404 as the
/// open-source server does.
enum DeploymentRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        let deployments = api.group("deployments")

        deployments.post("/") { request, _ -> Response in
            let clock = RequestClock(request)
            let changes = try await DeploymentBodies.create(from: request, now: clock.now)
            let (json, inserted) = try await env.write { db in
                try checkJobVariables(db, changes)
                let queueID = try resolveQueue(db, changes, clearing: false, now: clock.now)
                try checkGlobalLimit(db, changes)
                try checkBlockDocuments(db, changes)
                let (id, inserted) = try DeploymentStore.upsert(db, changes, queueID: queueID, now: clock.now)
                return (try DeploymentStore.answer(db, id: id) ?? Data("{}".utf8), inserted)
            }
            return JSONResponse.raw(json, status: inserted ? .created : .ok)
        }

        deployments.patch(":id") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            let changes = try await DeploymentBodies.update(from: request, now: clock.now)
            try await env.write { db in
                guard let stored = try DeploymentStore.read(db, id: id) else { throw APIError.notFound("Deployment not found.") }
                try DeploymentUpdating.apply(db, stored, changes, now: clock.now)
            }
            return JSONResponse.noContent()
        }

        deployments.get("name/:flow_name/:deployment_name") { _, context -> Response in
            let flowName = try context.string("flow_name")
            let name = try context.string("deployment_name")
            let json = try await env.read { db -> Data? in
                guard let id = try DeploymentStore.read(db, flowName: flowName, name: name) else { return nil }
                return try DeploymentStore.answer(db, id: id)
            }
            guard let json else { throw APIError.notFound("Deployment not found") }
            return JSONResponse.raw(json)
        }

        deployments.get(":id") { _, context -> Response in
            let id = try context.uuid("id")
            guard let json = try await env.read({ try DeploymentStore.answer($0, id: id) }) else {
                throw APIError.notFound("Deployment not found")
            }
            return JSONResponse.raw(json)
        }

        deployments.post("filter") { request, _ -> Response in
            let body = try await filterBody(request)
            let page = try Paging.page(limit: body.limit, offset: body.offset)
            let bodies = try await env.read { try DeploymentStore.filter($0, body.deploymentQuery, sort: body.sort, page: page) }
            return JSONResponse.raw(BodyList.join(bodies))
        }

        deployments.post("paginate") { request, _ -> Response in
            let body = try await filterBody(request)
            let (page, number) = try Paging.numbered(limit: body.limit, page: body.page)
            let (bodies, count) = try await env.read { db in
                (try DeploymentStore.filter(db, body.deploymentQuery, sort: body.sort, page: page), try DeploymentStore.count(db, body.deploymentQuery))
            }
            return JSONResponse.raw(Paging.answer(results: BodyList.join(bodies), count: count, page: page, number: number))
        }

        deployments.post("count") { request, _ -> Response in
            let body = try await filterBody(request)
            return JSONResponse.make(try await env.read { try DeploymentStore.count($0, body.deploymentQuery) })
        }

        deployments.post("get_scheduled_flow_runs") { request, _ -> Response in
            let clock = RequestClock(request)
            let body = try await APIBody.decode(DeploymentScheduledRunsBody.self, from: request)
            let page = try Paging.page(limit: body.limit, offset: 0)
            let json = try await env.write { db in
                try DeploymentRuns.scheduled(db, deploymentIDs: body.deploymentIDs, before: body.scheduledBefore, page: page, now: clock.now)
            }
            return JSONResponse.raw(json)
        }

        deployments.delete(":id") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            guard try await env.write({ try DeploymentStore.delete($0, id: id, now: clock.now) }) else {
                throw APIError.notFound("Deployment not found")
            }
            return JSONResponse.noContent()
        }

        for (path, paused) in [("pause_deployment", true), ("resume_deployment", false)] {
            deployments.post(":id/\(path)") { request, context -> Response in
                let id = try context.uuid("id")
                let clock = RequestClock(request)
                guard try await env.write({ try DeploymentStore.setPaused($0, id: id, paused: paused, now: clock.now) }) else {
                    throw APIError.notFound("Deployment not found")
                }
                return JSONResponse.make(JSONValue.null)
            }
        }

        deployments.post(":id/schedule") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            let body = try await APIBody.decode(ScheduleRunsBody.self, from: request, emptyIsObject: true)
            var window = DeploymentScheduler.Window(DeploymentScheduler.Settings(), from: body.startTime ?? clock.now)
            window.end = body.endTime ?? window.end
            window.minTime = body.minTime ?? window.minTime
            window.minRuns = body.minRuns ?? window.minRuns
            window.maxRuns = body.maxRuns ?? window.maxRuns
            let scheduled = window
            _ = try await env.write { try DeploymentScheduler.schedule($0, deploymentID: id, window: scheduled, now: clock.now) }
            return JSONResponse.make(JSONValue.null)
        }

        deployments.post(":id/create_flow_run") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            let create = try await DeploymentBodies.flowRunCreate(from: request)
            try KnownValues.check(create.state, at: ["state"])
            let createdBy = AutomationProvenance.createdBy(request)
            let (json, created) = try await env.write { db -> (Data, Bool) in
                guard let deployment = try DeploymentStore.read(db, id: id) else { throw APIError.notFound("Deployment not found") }
                do {
                    let made = try DeploymentRuns.create(
                        db, deployment: deployment, create, now: clock.now, apiVersion: clock.apiVersion, createdBy: createdBy)
                    return (made.json, made.created)
                } catch let failure as DeploymentRuns.Failure {
                    throw failure.apiError
                }
            }
            return JSONResponse.raw(json, status: created ? .created : .ok)
        }

        deployments.post(":id/create_flow_run/bulk") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            let creates = try await DeploymentBodies.flowRunCreates(from: request)
            let createdBy = AutomationProvenance.createdBy(request)
            guard creates.count <= DeploymentBodies.bulkCreateLimit else {
                throw APIError.detail(.badRequest, "Cannot create more than \(DeploymentBodies.bulkCreateLimit) flow runs at once.")
            }
            let results = try await env.write { db -> [JSONValue] in
                guard let deployment = try DeploymentStore.read(db, id: id) else { throw APIError.notFound("Deployment not found") }
                return try creates.map { create -> JSONValue in
                    do {
                        let made = try DeploymentRuns.create(
                            db, deployment: deployment, create, now: clock.now, apiVersion: clock.apiVersion, createdBy: createdBy)
                        return ["flow_run_id": made.id.map { .string($0.prefectString) } ?? .null, "status": "CREATED", "error": .null]
                    } catch let failure as DeploymentRuns.Failure {
                        return ["flow_run_id": .null, "status": "FAILED", "error": .string(failure.bulkMessage)]
                    } catch let error as APIError {
                        return ["flow_run_id": .null, "status": "FAILED", "error": .string(error.detailText)]
                    }
                }
            }
            return JSONResponse.make(JSONValue.object(["results": .array(results)]))
        }

        deployments.post("bulk_delete") { request, _ -> Response in
            let clock = RequestClock(request)
            let body = try await APIBody.decodeFilter(BulkDeleteBody.self, from: request)
            let limit = body.limit ?? DeploymentBodies.bulkDeleteLimit
            guard (1...DeploymentBodies.bulkDeleteLimit).contains(limit) else {
                let (type, message) = limit < 1
                    ? ("greater_than_equal", "Input should be greater than or equal to 1")
                    : ("less_than_equal", "Input should be less than or equal to \(DeploymentBodies.bulkDeleteLimit)")
                throw APIError.validation(
                    [APIError.validationEntry(type: type, loc: ["body", "limit"], msg: message, input: .int(Int64(limit)))],
                    requestBody: .null)
            }
            let deleted = try await env.write { db -> [String] in
                let ids = try DeploymentStore.ids(db, DeploymentQuery(deployments: body.deployments), limit: limit)
                return try ids.filter { try DeploymentStore.delete(db, id: $0, now: clock.now) }.map(\.prefectString)
            }
            return JSONResponse.make(JSONValue.object(["deleted": .array(deleted.map(JSONValue.string))]))
        }

        DeploymentScheduleRoutes.register(on: deployments, env)
    }

    /// The deployment's work queue from the body's pool and queue names, as
    /// `create_deployment` and `update_deployment` resolve them (`.none` when the body names
    /// neither; `.some(nil)` when an update, `clearing`, sets the pool to null).
    static func resolveQueue(_ db: Database, _ changes: DeploymentBodies.Changes, clearing: Bool, now: Date) throws -> UUID?? {
        let pool = changes.workPoolName ?? nil
        let queue = changes.workQueueName ?? nil
        if let pool, let queue {
            return .some(try WorkQueueStore.id(db, pool: pool, name: queue, createIfMissing: true, now: now))
        }
        if let pool {
            return .some(try WorkPoolStore.named(db, pool).defaultQueueID)
        }
        if clearing, case .some(nil) = changes.workPoolName {
            return .some(nil)
        }
        if let queue {
            return .some(try LegacyQueues.ensure(db, name: queue, now: now).id)
        }
        return .none
    }

    /// `validate_job_variables_for_deployment`: a deployment's job variables in a pool (other
    /// than the default agent pool, which must exist) fit the pool's template, `required` ignored.
    private static func checkJobVariables(_ db: Database, _ changes: DeploymentBodies.Changes) throws {
        guard case .some(let name?) = changes.workPoolName, name != WorkPoolStore.defaultAgentPoolName else { return }
        let pool = try WorkPoolStore.named(db, name)
        guard case .object(let variables)? = changes.members["job_variables"], !variables.isEmpty else { return }
        let template = try JobVariableValidation.resolvingBlockDefaults(pool.baseJobTemplate, db)
        do {
            try JobVariableValidation.validate(template: template, [variables], ignoreRequired: true)
        } catch {
            throw error.apiError(.unprocessableContent, prefix: "Error creating deployment")
        }
    }

    /// `create_deployment`: the infrastructure and storage block documents a deployment names
    /// must exist (409, with Prefect's hint).
    private static func checkBlockDocuments(_ db: Database, _ changes: DeploymentBodies.Changes) throws {
        for (member, label) in [("infrastructure_document_id", "infrastructure block"), ("storage_document_id", "storage block")] {
            guard let id = changes.members[member]?.stringValue.flatMap(UUID.init(uuidString:)) else { continue }
            guard try !BlockDocumentStore.exists(db, id: id) else { continue }
            throw APIError.detail(.conflict, """
                Error creating deployment. Could not find \(label) with id: \(id.prefectString). This usually occurs when \
                applying a deployment specification that was built against a different Prefect database / workspace.
                """)
        }
    }

    /// A `global_concurrency_limit_id` must name a limit (404 "Concurrency limit not found").
    static func checkGlobalLimit(_ db: Database, _ changes: DeploymentBodies.Changes) throws {
        if case .some(let id?) = changes.globalConcurrencyLimitID, try !DeploymentStore.concurrencyLimitExists(db, id: id) {
            throw APIError.notFound("Concurrency limit not found")
        }
    }

    /// The server's `DeploymentSort` (the client's model also knows Cloud's concurrency-limit sorts).
    private static let servedSorts: Set<DeploymentSort> = [.createdDesc, .updatedDesc, .nameAsc, .nameDesc]

    private static func filterBody(_ request: Request) async throws -> RunFilterBody<DeploymentSort> {
        let body = try await APIBody.decodeFilter(RunFilterBody<DeploymentSort>.self, from: request)
        if let sort = body.sort, !servedSorts.contains(sort) {
            throw APIError.validation(
                [APIError.validationEntry(
                    type: "enum", loc: ["body", "sort"],
                    msg: "Input should be 'CREATED_DESC', 'UPDATED_DESC', 'NAME_ASC' or 'NAME_DESC'", input: .string(sort.description))],
                requestBody: .null)
        }
        return body
    }
}

/// The body of `POST /deployments/bulk_delete`.
struct BulkDeleteBody: Decodable, Sendable {
    var deployments: ServedDeploymentFilter?
    var limit: Int?
}

/// The body of `POST /deployments/{id}/schedule` (`min_time` in seconds).
struct ScheduleRunsBody: Decodable, Sendable {
    var startTime: Date?
    var endTime: Date?
    var minTime: TimeInterval?
    var minRuns: Int?
    var maxRuns: Int?

    enum CodingKeys: String, CodingKey {
        case startTime = "start_time"
        case endTime = "end_time"
        case minTime = "min_time"
        case minRuns = "min_runs"
        case maxRuns = "max_runs"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        startTime = try container.decodePrefectDateIfPresent(forKey: .startTime)
        endTime = try container.decodePrefectDateIfPresent(forKey: .endTime)
        minTime = try container.decodeIfPresent(Double.self, forKey: .minTime)
        minRuns = try container.decodeIfPresent(Int.self, forKey: .minRuns)
        maxRuns = try container.decodeIfPresent(Int.self, forKey: .maxRuns)
    }
}

/// The body of `POST /deployments/get_scheduled_flow_runs`.
struct DeploymentScheduledRunsBody: Decodable, Sendable {
    var deploymentIDs: [UUID]
    var scheduledBefore: Date?
    var limit: Int?

    enum CodingKeys: String, CodingKey {
        case deploymentIDs = "deployment_ids"
        case scheduledBefore = "scheduled_before"
        case limit
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        deploymentIDs = try container.decode([UUID].self, forKey: .deploymentIDs)
        scheduledBefore = try container.decodePrefectDateIfPresent(forKey: .scheduledBefore)
        limit = try container.decodeIfPresent(Int.self, forKey: .limit)
    }
}
