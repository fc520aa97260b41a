import Foundation
import GRDB
import PrefectSchemas

/// Events in tables `events` and `event_resources` (Prefect's `server/events/storage/database.py`).
enum EventStore {
    /// Stores each event received now; an id already stored is skipped, so a client that sends an
    /// event again (after a reconnect) does not double it.
    ///
    /// - Returns: the ids of the events stored by this call.
    @discardableResult
    static func insert(_ db: Database, _ events: [Event], received: Date) throws -> [UUID] {
        let receivedMicros = StoredTime.micros(received)
        var inserted: [UUID] = []
        // Prepared once per connection: an event's two inserts are most of the cost of storing it.
        let insertEvent = try db.cachedStatement(sql: """
            INSERT INTO events (id, occurred, received, event, resource_id, resource_label, body) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO NOTHING
            """)
        let insertResource = try db.cachedStatement(
            sql: "INSERT INTO event_resources (event_id, resource_id, resource_role, resource, occurred) VALUES (?, ?, ?, ?, ?)")
        for event in events {
            let body = try ServerJSON.encode(ReceivedEvent(event, received: StoredTime.truncated(received)))
            let label = event.resource.labels["prefect.resource.name"] ?? event.resource.labels["prefect.name"] ?? event.resource.id
            try insertEvent.execute(arguments: [
                event.id.prefectString, StoredTime.micros(event.occurred), receivedMicros, event.event, event.resource.id, label, body,
            ])
            guard db.changesCount > 0 else { continue }
            inserted.append(event.id)
            for (resource, role) in [(event.resource, "")] + event.related.map({ ($0, $0.role ?? "") }) {
                try insertResource.execute(arguments: [
                    event.id.prefectString, resource.id, role, try JSONText.encode(resource), StoredTime.micros(event.occurred),
                ])
            }
        }
        return inserted
    }

    /// The stored event (as the API answers it, raw JSON) if it matches `filter`.
    static func body(_ db: Database, id: UUID, matching filter: ServedEventFilter) throws -> Data? {
        let query = bodyQuery(id: id, matching: filter)
        return try Data.fetchOne(db, sql: query.sql, arguments: StatementArguments(query.arguments))
    }

    /// The read of ``body(_:id:matching:)``: the event by its id, then the filter's conditions
    /// on it (never led by a resource's rows, which a busy resource has thousands of).
    static func bodyQuery(id: UUID, matching filter: ServedEventFilter) -> (sql: String, arguments: [any DatabaseValueConvertible]) {
        let rows = filter.rows(leadByResource: false)
        return (rows.select("events.body") + " AND \(rows.id) = ? LIMIT 1", rows.arguments + [id.prefectString])
    }

    /// One page of the matching events' bodies, raw, in the filter's order. The page is chosen
    /// by row first and the bodies read for it alone, so that no body is sorted.
    static func bodies(_ db: Database, _ filter: ServedEventFilter, limit: Int, offset: Int) throws -> [(id: String, body: Data)] {
        try bodies(db, filter, rows: filter.rows(), limit: limit, offset: offset)
    }

    /// ``bodies(_:_:limit:offset:)`` from the filter's rows already built.
    private static func bodies(
        _ db: Database, _ filter: ServedEventFilter, rows: EventRows, limit: Int, offset: Int
    ) throws -> [(id: String, body: Data)] {
        let direction = filter.ascending ? "ASC" : "DESC"
        return try Row.fetchAll(
            db, sql: """
                SELECT id, body FROM events WHERE rowid IN (
                    \(rows.select("events.rowid")) ORDER BY \(rows.order(ascending: filter.ascending)) LIMIT ? OFFSET ?
                ) ORDER BY occurred \(direction), rowid \(direction)
                """,
            arguments: StatementArguments(rows.arguments + [limit, offset])
        ).map { (id: $0["id"], body: $0["body"]) }
    }

    /// One page of the events that match, and how many match in all.
    static func query(_ db: Database, _ filter: ServedEventFilter, limit: Int, offset: Int) throws -> (events: [JSONValue], total: Int) {
        let rows = filter.rows()
        let events = try bodies(db, filter, rows: rows, limit: limit, offset: offset).map { try PrefectJSON.decode(JSONValue.self, from: $0.body) }
        let total = try Int.fetchOne(
            db, sql: rows.selectCountOrTime("COUNT(*)"), arguments: StatementArguments(rows.arguments)) ?? 0
        return (events, total)
    }

    /// `count_events` by event name or resource: one group per value, labelled as its latest
    /// event labels it, most events first (then by label).
    static func count(_ db: Database, _ filter: ServedEventFilter, by countable: EventCountable) throws -> [JSONValue] {
        let value = countable == .event ? "event" : "resource_id"
        let label = countable == .event ? "event" : "resource_label"
        let rows = filter.rows()
        let matches = try Row.fetchAll(
            db, sql: rows.select("events.\(value) AS value, events.\(label) AS label, events.occurred AS occurred") + " ORDER BY occurred",
            arguments: StatementArguments(rows.arguments))
        var groups: [String: (label: String, count: Int64, first: Int64, last: Int64)] = [:]
        for row in matches {
            let key: String = try row.decode(forColumn: "value")
            let occurred: Int64 = try row.decode(forColumn: "occurred")
            let current = groups[key]
            groups[key] = (try row.decode(forColumn: "label"), (current?.count ?? 0) + 1, min(current?.first ?? occurred, occurred), max(current?.last ?? occurred, occurred))
        }
        return groups.sorted { ($0.value.count, $1.value.label) > ($1.value.count, $0.value.label) }.map { key, group in
            [
                "value": .string(key), "label": .string(group.label), "count": .int(group.count),
                "start_time": StoredTime.json(group.first), "end_time": StoredTime.json(group.last),
            ]
        }
    }

    /// `count_events` by time (`process_time_based_counts`): one bucket of `unit` × `interval`
    /// for each span from the one holding `since` (spans counted from Prefect's pivot,
    /// 2024-04-01) up to `until` or the end of the current period, empty ones included; values
    /// number the buckets from 0.
    static func countByTime(
        _ db: Database, _ filter: ServedEventFilter, unit: EventTimeUnit, interval: Double, now: Date
    ) throws -> [JSONValue] {
        let seconds = unitSeconds(unit) * interval
        let pivot = EventCounting.pivot
        let until = filter.until > now ? EventCounting.endOfPeriod(now, unit) : filter.until
        let firstIndex = Int(saturating: (filter.since.timeIntervalSince(pivot) / seconds).rounded(.down))
        let rows = filter.rows()
        let occurred = try Int64.fetchAll(
            db, sql: rows.selectCountOrTime(rows.occurred), arguments: StatementArguments(rows.arguments))
        var counts: [Int: Int64] = [:]
        for micros in occurred {
            // Whole seconds, as SQLite's strftime('%s') buckets them in Prefect.
            let second = (Double(micros) / 1_000_000).rounded(.down)
            let index = Int(saturating: ((second - pivot.timeIntervalSince1970) / seconds).rounded(.down))
            counts[index, default: 0] += 1
        }
        var buckets: [JSONValue] = []
        var index = firstIndex
        var start = pivot.addingTimeInterval(Double(index) * seconds)
        while start < until {
            let next = pivot.addingTimeInterval(Double(index + 1) * seconds)
            buckets.append([
                "value": .string(String(index - firstIndex)), "label": .string(EventCounting.isoformat(start)),
                "count": .int(counts[index] ?? 0), "start_time": .string(PrefectDate.format(start)),
                "end_time": .string(PrefectDate.format(next.addingTimeInterval(-0.000_001))),
            ])
            index += 1
            start = next
        }
        return buckets
    }

    static func unitSeconds(_ unit: EventTimeUnit) -> Double {
        switch unit {
        case .week: 604_800
        case .day: 86_400
        case .hour: 3_600
        case .minute: 60
        case .second: 1
        }
    }
}

/// Prefect's `server/events/counting.py` constants and period arithmetic.
enum EventCounting {
    /// `PIVOT_DATETIME`, 2024-04-01 UTC: the start of the bucket universe.
    static let pivot = Date(timeIntervalSince1970: 1_711_929_600)

    /// Python's `datetime.isoformat()` of a UTC time: `2026-06-05T00:00:00+00:00`, with
    /// microseconds when there are any.
    static func isoformat(_ date: Date) -> String {
        var text = PrefectDate.format(date)
        guard text.hasSuffix("Z") else { return text }
        text.removeLast()
        if text.hasSuffix(".000000") { text.removeLast(7) }
        return text + "+00:00"
    }

    /// `end_of_period`: the last microsecond of the `unit` that contains `date`, in UTC.
    static func endOfPeriod(_ date: Date, _ unit: EventTimeUnit) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        let component: Calendar.Component = switch unit {
        case .week: .weekOfYear
        case .day: .day
        case .hour: .hour
        case .minute: .minute
        case .second: .second
        }
        guard let interval = calendar.dateInterval(of: component, for: date) else { return date }
        return interval.end.addingTimeInterval(-0.000_001)
    }
}
