import GRDB
import PrefectSchemas

/// Where the events a ``ServedEventFilter`` matches are read from, and the conditions on them.
///
/// A filter on related or any resources, or on the event's own resource, by id reads
/// `event_resources` first (as `driver`), through its `(resource_id, occurred)` index in time
/// order, and joins each row to its event:
/// the events of one flow run are found without visiting the others, and a page of a busy
/// resource's newest events stops after the page. Prefect asks the same as `Event.id IN (SELECT
/// event_id FROM event_resources WHERE …)` (`server/events/filters.py`); that form reads and
/// sorts every match before the page. Other filters read `events` through its own indexes.
struct EventRows {
    /// The condition on the `event_resources` rows that lead, time window included; `nil` when
    /// the rows are read from `events`.
    var lead: SQLCondition?
    /// The condition on `events` (its window when nothing leads); `nil` asks nothing of it.
    var events: SQLCondition?

    /// `events`, or `event_resources AS driver CROSS JOIN events …` (`CROSS JOIN` keeps SQLite
    /// from reading `events` first).
    var from: String {
        lead == nil ? "events" : "event_resources AS driver CROSS JOIN events ON events.id = driver.event_id"
    }

    /// The column of each row's time: `driver.occurred` when it leads (the same value as the
    /// event's; the index knows only this one).
    var occurred: String { lead == nil ? "events.occurred" : "driver.occurred" }

    /// The column of each row's event id: `driver.event_id` when it leads (the same value as
    /// `events.id`).
    var id: String { lead == nil ? "events.id" : "driver.event_id" }

    /// Both conditions, for a `WHERE` on ``from``.
    var condition: SQLCondition? {
        var parts = SQLConditionList()
        parts.add(lead)
        parts.add(events)
        return parts.combined(.and)
    }

    var whereSQL: String { condition?.sql ?? "1" }
    var arguments: [any DatabaseValueConvertible] { condition?.arguments ?? [] }

    /// The `ORDER BY` terms of a page: by occurrence, then as stored.
    func order(ascending: Bool) -> String {
        let direction = ascending ? "ASC" : "DESC"
        return "\(occurred) \(direction), events.rowid \(direction)"
    }

    /// `SELECT columns` of the matching events' rows (``arguments`` are its arguments); its
    /// `WHERE` is one parenthesized term, so that a caller may add `AND …`.
    func select(_ columns: String) -> String {
        "SELECT \(columns) FROM \(from) WHERE (\(whereSQL))"
    }

    /// `SELECT column` where the column is `COUNT(*)` or ``occurred``: from the leading rows
    /// alone when nothing is asked of `events`, which a count or a time does not need to read.
    func selectCountOrTime(_ column: String) -> String {
        guard let lead, events == nil else { return select(column) }
        return "SELECT \(column) FROM event_resources AS driver WHERE (\(lead.sql))"
    }
}
