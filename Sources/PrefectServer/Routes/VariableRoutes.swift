import Foundation
import GRDB
import Hummingbird
import PrefectSchemas

/// `/variables` (Prefect's `api/variables.py`): by id and by name.
enum VariableRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        let variables = api.group("variables")

        variables.post("/") { request, _ -> Response in
            let clock = RequestClock(request)
            let create = try await VariableBodies.create(from: request)
            let variable = try await env.write { db in
                guard try !VariableStore.exists(db, name: create.name) else {
                    throw APIError.detail(.conflict, "A variable with the name '\(create.name)' already exists.")
                }
                return try VariableStore.create(db, create, now: clock.now)
            }
            return JSONResponse.make(variable, status: .created)
        }

        variables.get(":id") { _, context -> Response in
            let id = try context.uuid("id")
            return JSONResponse.make(try await found(env.read { try VariableStore.read($0, id: id) }))
        }

        variables.get("name/:name") { _, context -> Response in
            let name = try context.string("name")
            return JSONResponse.make(try await found(env.read { try VariableStore.read($0, name: name) }))
        }

        variables.post("filter") { request, _ -> Response in
            let body = try await APIBody.decodeFilter(VariableFilterBody.self, from: request)
            try Paging.checkSort(body.sort) { if case .unknown = $0 { true } else { false } }
            let page = try Paging.page(limit: body.limit, offset: body.offset)
            let bodies = try await env.read { try VariableStore.filter($0, body.variables, sort: body.sort, page: page) }
            return JSONResponse.raw(BodyList.join(bodies))
        }

        variables.post("count") { request, _ -> Response in
            let body = try await APIBody.decodeFilter(VariableFilterBody.self, from: request)
            return JSONResponse.make(try await env.read { try VariableStore.count($0, body.variables) })
        }

        variables.patch(":id") { request, context -> Response in
            let id = try context.uuid("id")
            return try await update(request, env) { try VariableStore.read($0, id: id) }
        }

        variables.patch("name/:name") { request, context -> Response in
            let name = try context.string("name")
            return try await update(request, env) { try VariableStore.read($0, name: name) }
        }

        variables.delete(":id") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            _ = try await found(env.write { try VariableStore.delete($0, VariableStore.read($0, id: id), now: clock.now) })
            return JSONResponse.noContent()
        }

        variables.delete("name/:name") { request, context -> Response in
            let name = try context.string("name")
            let clock = RequestClock(request)
            _ = try await found(env.write { try VariableStore.delete($0, VariableStore.read($0, name: name), now: clock.now) })
            return JSONResponse.noContent()
        }
    }

    /// Applies the request's changes to the variable `lookup` finds, or answers 404.
    private static func update(
        _ request: Request, _ env: RouteEnvironment, lookup: @escaping @Sendable (Database) throws -> Variable?
    ) async throws -> Response {
        let clock = RequestClock(request)
        let changes = try await VariableBodies.changes(from: request)
        _ = try await found(env.write { try VariableStore.update($0, lookup($0), changes, now: clock.now) })
        return JSONResponse.noContent()
    }

    /// The variable, or Prefect's 404 "Variable not found.".
    private static func found(_ variable: Variable?) throws -> Variable {
        guard let variable else { throw APIError.notFound("Variable not found.") }
        return variable
    }

    private static func found(_ done: Bool) throws -> Bool {
        guard done else { throw APIError.notFound("Variable not found.") }
        return done
    }
}
