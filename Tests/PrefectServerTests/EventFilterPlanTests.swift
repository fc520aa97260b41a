import Foundation
import GRDB
import PrefectSchemas
import Testing
@testable import PrefectServer

/// The query plans of `/events/filter` by resource (``EventRows``): a filter that names related,
/// any or its own resource's ids reads `event_resources` through `(resource_id, occurred)` before any
/// event, in the page's order, and its count does not read `events` when nothing is asked of
/// them; other filters, and the check of one live event against a subscriber's filter, still
/// read `events` first. A work pool's latest status event is read from the pool's rows too.
@Suite("Event filter plans")
struct EventFilterPlanTests {
    private static let now = Date(timeIntervalSince1970: 1_796_000_000)

    private static func filter(_ json: String) throws -> ServedEventFilter {
        try ServedEventFilter.parse(PrefectJSON.decode(JSONValue.self, from: Data(json.utf8)), now: now)
    }

    private static func rows(_ json: String) throws -> EventRows {
        try filter(json).rows()
    }

    private static func plan(_ sql: String, _ arguments: [any DatabaseValueConvertible]) async throws -> [String] {
        let harness = try OrchestrationHarness()
        defer { harness.close() }
        let values = arguments.map(\.databaseValue)
        return try await harness.database.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)", arguments: StatementArguments(values)).map { $0["detail"] }
        }
    }

    static let leading = [
        #"{"related": {"id": ["prefect.flow.1"]}}"#,
        #"{"related": {"id": ["prefect.flow.1"], "role": ["flow"]}, "event": {"prefix": ["prefect.flow-run."]}}"#,
        #"{"any_resource": {"id": ["prefect.flow-run.1"]}}"#,
        #"{"related": [{"role": ["tag"]}, {"id": ["prefect.flow.1", "prefect.flow.2"]}]}"#,
        #"{"resource": {"id": ["prefect.work-pool.1"]}}"#,
        #"{"resource": {"id": ["prefect.flow-run.1"], "labels": {"prefect.resource.name": "a"}}, "related": {"role": ["flow"]}}"#,
    ]

    @Test("a page by resource id starts at the resource's rows, in time order", arguments: leading)
    func pageLeadsByResource(filter: String) async throws {
        let rows = try Self.rows(filter)
        let plan = try await Self.plan(rows.select("events.rowid") + " ORDER BY \(rows.order(ascending: false)) LIMIT 50", rows.arguments)
        #expect(plan.first?.hasPrefix("SEARCH driver USING INDEX ix_event_resources__resource_id_occurred") == true, "\(plan)")
        #expect(plan.contains { $0.hasPrefix("SEARCH events USING") && $0.contains("INDEX sqlite_autoindex_events_1 (id=?)") }, "\(plan)")
        #expect(!plan.contains { $0.hasPrefix("SCAN") }, "\(plan)")
    }

    @Test("one event (a live event checked for a subscriber's filter) is found by its id", arguments: leading)
    func oneEventByID(filter: String) async throws {
        let query = EventStore.bodyQuery(id: UUID(), matching: try Self.filter(filter))
        let plan = try await Self.plan(query.sql, query.arguments)
        #expect(plan.first.map { $0.hasPrefix("SEARCH events USING") && $0.contains("INDEX sqlite_autoindex_events_1 (id=?)") } == true, "\(plan)")
    }

    @Test("a count by resource id alone reads only the resource's rows")
    func countReadsNoEvents() async throws {
        let rows = try Self.rows(#"{"related": {"id": ["prefect.flow.1"]}}"#)
        let plan = try await Self.plan(rows.selectCountOrTime("COUNT(*)"), rows.arguments)
        #expect(plan.first?.hasPrefix("SEARCH driver USING INDEX ix_event_resources__resource_id_occurred") == true, "\(plan)")
        #expect(!plan.contains { $0.contains(" events ") || $0.hasSuffix(" events") }, "\(plan)")
    }

    @Test("a work pool's latest status event is read from the pool's own rows")
    func latestWorkPoolStatusEvent() async throws {
        let plan = try await Self.plan(WorkPoolEvents.latestStatusEvent, ["prefect.work-pool.1"])
        #expect(plan.first?.hasPrefix("SEARCH own USING INDEX ix_event_resources__resource_id_occurred") == true, "\(plan)")
        #expect(!plan.contains { $0.hasPrefix("SCAN") }, "\(plan)")
    }

    @Test("filters without resource ids read events by their own indexes")
    func otherFiltersReadEvents() async throws {
        for filter in [#"{}"#, #"{"any_resource": {"id_prefix": ["prefect.flow-run."]}}"#, #"{"related": {"role": ["flow"]}}"#] {
            let rows = try Self.rows(filter)
            #expect(rows.lead == nil, "\(filter)")
            let plan = try await Self.plan(rows.select("events.rowid") + " ORDER BY \(rows.order(ascending: false)) LIMIT 50", rows.arguments)
            #expect(plan.first.map { $0.hasPrefix("SEARCH events USING") && $0.contains("INDEX ix_events__occurred") } == true, "\(filter): \(plan)")
        }
    }
}
