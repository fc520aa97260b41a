import Foundation
import GRDB
import Hummingbird
import PrefectSchemas

/// `/events` (Prefect's `server/api/events.py`): events recorded in batches, read a page at a
/// time, and counted by name, resource or time. The embedded server stores events as they
/// arrive (Prefect persists them through its event pipeline a moment later).
enum EventRoutes {
    /// `INTERACTIVE_PAGE_SIZE`.
    static let pageSize = 50

    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        let events = api.group("events")

        events.post("") { request, _ -> Response in
            let clock = RequestClock(request)
            let batch = try await APIBody.decodeChecked([Event].self, from: request)
            try await env.record(batch, received: clock.now)
            return JSONResponse.noContent()
        }

        events.post("filter") { request, _ -> Response in
            let clock = RequestClock(request)
            var body = try await ActionBody.parse(nonEmpty(APIBody.read(request)), allowed: nil)
            body.checkType("limit", .integer)
            if let limit = body.object["limit"]?.intValue, limit < 0 || limit > pageSize {
                body.fail(
                    "limit", type: limit < 0 ? "greater_than_equal" : "less_than_equal",
                    msg: limit < 0 ? "Input should be greater than or equal to 0" : "Input should be less than or equal to \(pageSize)")
            }
            try body.throwErrors()
            let filter = try ServedEventFilter.parse(body.object["filter"], now: clock.now)
            let limit = Int(body.object["limit"]?.intValue ?? Int64(pageSize))
            return try await page(request, env, filter, limit: limit, offset: 0)
        }

        events.get("filter/next") { request, _ -> Response in
            let clock = RequestClock(request)
            guard let token = request.uri.queryParameters.get("page-token"),
                  let decoded = Data(base64Encoded: token), !decoded.isEmpty,
                  let state = try? PrefectJSON.decode(JSONValue.self, from: decoded),
                  let offset = state["offset"]?.intValue, let limit = state["limit"]?.intValue,
                  // A token any client can write: only the pages the server hands out.
                  offset >= 0, (0...Int64(pageSize)).contains(limit),
                  let filter = try? ServedEventFilter.parse(state["filter"], now: clock.now)
            else { throw APIError.detail(.forbidden, "Forbidden") }
            return try await page(request, env, filter, limit: Int(limit), offset: Int(offset))
        }

        events.post("count-by/:countable") { request, context -> Response in
            let clock = RequestClock(request)
            guard let countable = EventCountable(rawValue: try context.string("countable")) else {
                throw APIError.validation(
                    [APIError.validationEntry(
                        type: "enum", loc: ["path", "countable"], msg: "Input should be 'day', 'time', 'event' or 'resource'",
                        input: .string(try context.string("countable")))],
                    requestBody: .null)
            }
            var body = try await ActionBody.parse(nonEmpty(APIBody.read(request)), allowed: nil)
            body.require("filter")
            body.checkLiteral("time_unit", EventTimeUnit.allCases.map(\.rawValue))
            body.checkType("time_interval", .number)
            body.checkNumber("time_interval", atLeast: 0.01)
            try body.throwErrors()
            let filter = try ServedEventFilter.parse(body.object["filter"], now: clock.now)
            let unit = body.string("time_unit").flatMap(EventTimeUnit.init(rawValue:)) ?? .day
            let interval = body.object["time_interval"]?.doubleValue ?? 1
            let counts = try await env.read { db -> [JSONValue] in
                switch countable {
                case .event, .resource:
                    return try EventStore.count(db, filter, by: countable)
                case .day, .time:
                    let (bucketUnit, bucketInterval) = countable == .day ? (EventTimeUnit.day, 1.0) : (unit, interval)
                    let buckets = (filter.until.timeIntervalSince(filter.since) / (EventStore.unitSeconds(bucketUnit) * bucketInterval))
                        .rounded(.up)
                    if buckets > 1000 {
                        throw APIError.detail(
                            .unprocessableContent,
                            "The given interval would create \(Int(buckets)) buckets, which is too many. Please increase the interval or "
                                + "reduce the time range to produce 1000 buckets or fewer.")
                    }
                    return try EventStore.countByTime(db, filter, unit: bucketUnit, interval: bucketInterval, now: clock.now)
                }
            }
            return JSONResponse.make(counts)
        }
    }

    private static func nonEmpty(_ data: Data) -> Data {
        data.isEmpty ? Data("{}".utf8) : data
    }

    /// A page of events, with the link to the next when more match (Prefect's
    /// `generate_next_page_link`: the request's base URL and a base64 page token).
    private static func page(
        _ request: Request, _ env: RouteEnvironment, _ filter: ServedEventFilter, limit: Int, offset: Int
    ) async throws -> Response {
        let (events, total) = try await env.read { try EventStore.query($0, filter, limit: limit, offset: offset) }
        var next: JSONValue = .null
        // The offset comes back in a page token, which any client can write: no sum may overflow.
        let (nextOffset, overflow) = offset.addingReportingOverflow(limit)
        if !overflow, nextOffset < total, limit > 0 {
            let state: JSONValue = ["filter": filter.json, "offset": .int(Int64(nextOffset)), "limit": .int(Int64(limit))]
            let token = try ServerJSON.encode(state).base64EncodedString()
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
            let escaped = token.addingPercentEncoding(withAllowedCharacters: allowed) ?? token
            let host = request.head.authority ?? "localhost"
            next = .string("http://\(host)/api/events/filter/next?page-token=\(escaped)")
        }
        return JSONResponse.make(["events": .array(events), "total": .int(Int64(total)), "next_page": next] as JSONValue)
    }
}
