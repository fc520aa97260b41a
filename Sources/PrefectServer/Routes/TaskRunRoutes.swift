import Foundation
import Hummingbird
import PrefectSchemas

/// `/task_runs` (Prefect's `api/task_runs.py`).
enum TaskRunRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        let runs = api.group("task_runs")
        RunRoutes.register(TaskRunStore.self, on: runs, env)

        runs.post("/") { request, _ -> Response in
            let clock = RequestClock(request)
            let create = try await APIBody.decode(TaskRunCreate.self, from: request, rules: StrictBodies.taskRunCreate)
            try KnownValues.check(create.state, at: ["state"])
            let (_, json, created, delivery) = try await env.write {
                try TaskRunCreation.create($0, create, now: clock.now, apiVersion: clock.apiVersion)
            }
            env.database.backgroundTasks.put(delivery)
            return JSONResponse.raw(json, status: created ? .created : .ok)
        }

        runs.patch(":id") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            let update = try await APIBody.decode(TaskRunUpdate.self, from: request, rules: StrictBodies.taskRunUpdate)
            try await env.write { db in
                guard var run = try TaskRunStore.read(db, id: id, now: clock.now) else { throw APIError.notFound("Task run not found") }
                if let name = update.name { run.name = name }
                run.updated = clock.now
                try TaskRunStore.save(db, run)
            }
            return JSONResponse.noContent()
        }

    }
}
