import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import PrefectSchemas

/// What every handler needs: the database, and per request the time it started and the
/// API version it declared.
struct RouteEnvironment: Sendable {
    let database: PrefectDatabase

    /// Runs `body` in the single writer's transaction, grouped with the writes that wait
    /// beside it (``GroupCommit``), and returns once that transaction committed. Database
    /// failures become Prefect's answers: a violated constraint is 409, anything else a
    /// retryable 503.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await mapErrors { try await database.groupCommit.write(body) }
    }

    /// Runs `body` on a reader, concurrently with other reads and the writer.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await mapErrors { try await database.pool.read(body) }
    }

    /// Stores the events (each id once) and records the task runs of the new client task-run
    /// events (``TaskRunRecorder``); the commit hands the new events to the `/events/out`
    /// subscribers.
    func record(_ events: [Event], received: Date) async throws {
        try await write { db in
            let new = Set(try EventStore.insert(db, events, received: received))
            try TaskRunRecorder.record(db, events.filter { new.contains($0.id) })
        }
    }

    /// Prefect's answer to a violated constraint (`integrity_exception_handler`).
    static let integrityConflict = APIError.detail(
        .conflict,
        "Data integrity conflict. This usually means a unique or foreign key constraint was violated. See server logs for details.")

    private func mapErrors<T>(_ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch let error as DatabaseError {
            if error.resultCode == .SQLITE_CONSTRAINT {
                throw Self.integrityConflict
            }
            throw PrefectServerUnavailable(description: "\(error)")
        }
    }
}

/// The moment a request is handled, cut to microseconds as the database keeps times, and the
/// `X-PREFECT-API-VERSION` it sent.
struct RequestClock: Sendable {
    let now: Date
    let apiVersion: String?
    /// The Prefect client's version from its `User-Agent` (`prefect/3.9.1 (API 0.8.4)`), as
    /// `get_prefect_client_version` reads it; nil for any other client.
    let clientVersion: String?

    init(_ request: Request) {
        now = StoredTime.truncated(Date())
        apiVersion = Self.apiVersionHeader.flatMap { request.headers[$0] }
        clientVersion = request.headers[.userAgent].flatMap(PrefectUserAgent.clientVersion)
    }

    private static let apiVersionHeader = HTTPField.Name("X-PREFECT-API-VERSION")
}

extension PrefectRequestContext {
    /// The UUID path parameter `name` (hyphens optional, as Starlette's `uuid` convertor
    /// takes it); a malformed one is an unknown route, as Prefect's `{id:uuid}` path
    /// convertor makes it.
    func uuid(_ name: String) throws -> UUID {
        guard let text = parameters.get(name), let id = UUIDText.parsePathParameter(text) else {
            throw APIError.notFound("Not Found")
        }
        return id
    }

    /// The path parameter `name`, percent-decoded as Starlette decodes paths (`tag%3Ax` is `tag:x`).
    func string(_ name: String) throws -> String {
        guard let text = parameters.get(name) else { throw APIError.notFound("Not Found") }
        return text.removingPercentEncoding ?? text
    }
}

/// `limit` and `offset` of a filter body, checked as Prefect's `LimitBody` and `Body(0, ge=0)`;
/// and the pages of the `paginate` routes.
enum Paging {
    /// A `paginate` body's `limit` and `page` (from 1, `Body(1, ge=1)`) as the page to read.
    static func numbered(limit: Int?, page number: Int?) throws -> (page: Page, number: Int) {
        let number = number ?? 1
        guard number >= 1 else {
            throw APIError.validation(
                [APIError.validationEntry(
                    type: "greater_than_equal", loc: ["body", "page"], msg: "Input should be greater than or equal to 1",
                    input: .int(Int64(number)))],
                requestBody: .null)
        }
        let limit = try page(limit: limit, offset: 0).limit
        let (offset, overflow) = (number - 1).multipliedReportingOverflow(by: limit)
        return (Page(limit: limit, offset: overflow ? Int.max : offset), number)
    }

    /// A `paginate` answer: `{"results": …, "count", "limit", "pages", "page"}`.
    static func answer(results: Data, count: Int, page: Page, number: Int) -> Data {
        var out = Data(#"{"results":"#.utf8)
        out.append(results)
        let pages = page.limit > 0 ? (count + page.limit - 1) / page.limit : 0
        out.append(contentsOf: #","count":\#(count),"limit":\#(page.limit),"pages":\#(pages),"page":\#(number)}"#.utf8)
        return out
    }

    /// `PREFECT_SERVER_API_DEFAULT_LIMIT`.
    static let defaultLimit = 200

    static func page(limit: Int?, offset: Int?) throws -> Page {
        let limit = limit ?? defaultLimit
        if limit < 0 { throw APIError.detail(.unprocessableContent, "Invalid limit: must be greater than or equal to 0.") }
        if limit > defaultLimit {
            throw APIError.detail(.unprocessableContent, "Invalid limit: must be less than or equal to \(defaultLimit).")
        }
        let offset = offset ?? 0
        if offset < 0 {
            throw APIError.validation(
                [APIError.validationEntry(
                    type: "greater_than_equal", loc: ["body", "offset"], msg: "Input should be greater than or equal to 0",
                    input: .int(Int64(offset)))],
                requestBody: .null)
        }
        return Page(limit: limit, offset: offset)
    }

    /// A sort value the server does not know is a 422, as pydantic's enum validation makes it.
    static func checkSort<Sort: CaseIterable & CustomStringConvertible & Equatable>(_ sort: Sort?, unknown: (Sort) -> Bool) throws {
        guard let sort, unknown(sort) else { return }
        let allowed = ActionBody.alternatives(Sort.allCases.map(\.description))
        throw APIError.validation(
            [APIError.validationEntry(
                type: "enum", loc: ["body", "sort"], msg: "Input should be \(allowed)", input: .string(sort.description))],
            requestBody: .null)
    }
}
