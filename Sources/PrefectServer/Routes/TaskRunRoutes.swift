import Foundation
import Hummingbird
import PrefectSchemas

/// `/task_runs` (Prefect's `api/task_runs.py`).
enum TaskRunRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        let runs = api.group("task_runs")

        runs.post("/") { request, _ -> Response in
            let clock = RequestClock(request)
            let create = try await APIBody.decode(TaskRunCreate.self, from: request)
            try KnownValues.check(create.state, at: ["state"])
            let (_, json, created) = try await env.write {
                try TaskRunCreation.create($0, create, now: clock.now, apiVersion: clock.apiVersion)
            }
            return JSONResponse.raw(json, status: created ? .created : .ok)
        }

        runs.get(":id") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            guard let json = try await env.read({ try TaskRunStore.readJSON($0, id: id, now: clock.now) }) else {
                throw APIError.notFound("Task not found")
            }
            return JSONResponse.raw(json)
        }

        runs.post("filter") { request, _ -> Response in
            let clock = RequestClock(request)
            let body = try await APIBody.decode(RunFilterBody<TaskRunSort>.self, from: request, emptyIsObject: true)
            try Paging.checkSort(body.sort) { if case .unknown = $0 { true } else { false } }
            let page = try Paging.page(limit: body.limit, offset: body.offset)
            let json = try await env.read {
                try TaskRunStore.filterJSON($0, body.query, sort: body.sort, page: page, now: clock.now)
            }
            return JSONResponse.raw(json)
        }

        runs.post("count") { request, _ -> Response in
            let body = try await APIBody.decode(RunFilterBody<TaskRunSort>.self, from: request, emptyIsObject: true)
            return JSONResponse.make(try await env.read { try TaskRunStore.count($0, body.query) })
        }

        runs.patch(":id") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            let update = try await APIBody.decode(TaskRunUpdate.self, from: request)
            try await env.write { db in
                guard var run = try TaskRunStore.read(db, id: id, now: clock.now) else { throw APIError.notFound("Task run not found") }
                if let name = update.name { run.name = name }
                run.updated = clock.now
                try TaskRunStore.save(db, run)
            }
            return JSONResponse.noContent()
        }

        runs.delete(":id") { _, context -> Response in
            let id = try context.uuid("id")
            guard try await env.write({ try TaskRunStore.delete($0, id: id) }) else { throw APIError.notFound("Task not found") }
            return JSONResponse.noContent()
        }

        runs.post(":id/set_state") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            let body = try await APIBody.decode(SetStateBody.self, from: request)
            try KnownValues.check(body.state, at: ["state"])
            let result = try await env.write { db in
                guard let outcome = try TaskRunOrchestration.setState(
                    db, taskRunID: id, state: body.state.makeState(now: clock.now), force: body.force, now: clock.now,
                    apiVersion: clock.apiVersion)
                else { throw APIError.objectNotFound("Task run with id \(id.prefectString) not found") }
                return outcome.result
            }
            return JSONResponse.make(result, status: result.wroteState(since: clock.now) ? .created : .ok)
        }
    }
}
