import Foundation
import Hummingbird
import PrefectSchemas

/// `/logs` (Prefect's `api/logs.py`).
enum LogRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        let logs = api.group("logs")

        logs.post("/") { request, _ -> Response in
            let clock = RequestClock(request)
            let batch = try await APIBody.decodeChecked([LogCreate].self, from: request)
            try await env.write { try LogStore.insert($0, batch, now: clock.now) }
            return JSONResponse.raw(Data("null".utf8), status: .created)
        }

        logs.post("filter") { request, _ -> Response in
            let body = try await APIBody.decodeFilter(LogFilterBody.self, from: request)
            try Paging.checkSort(body.sort) { if case .unknown = $0 { true } else { false } }
            let page = try Paging.page(limit: body.limit, offset: body.offset)
            let bodies = try await env.read { try LogStore.filter($0, body.logs, sort: body.sort, page: page) }
            return JSONResponse.raw(BodyList.join(bodies))
        }
    }
}
