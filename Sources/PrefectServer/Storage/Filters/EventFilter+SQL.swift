import Foundation
import PrefectSchemas

/// Prefect's server-side `EventFilter` (`server/events/filters.py`) as the embedded server reads
/// it: the occurred window (from 180 days back unless given), names, the resource, related resources
/// (one filter or several, all of which must match), any resource, ids and the order. Members
/// the model forbids, and its `text` search (which the embedded server does not implement),
/// are refused with a 422.
struct ServedEventFilter: Sendable {
    var since: Date
    var until: Date
    var names: EventFilter.Name?
    var resource: EventFilter.Resources?
    var related: [EventFilter.Related]
    var anyResource: EventFilter.Resources?
    var ids: [UUID]?
    var ascending: Bool

    /// The filter a body's `filter` member describes (`{}` or null: every event since the start
    /// of the day 180 days ago, `EventOccurredFilter`'s default).
    static func parse(_ value: JSONValue?, now: Date) throws -> ServedEventFilter {
        var errors: [JSONValue] = []
        let members = value?.objectValue ?? [:]
        check(members, allowed: ["occurred", "event", "resource", "related", "any_resource", "id", "text", "order"], path: ["body", "filter"], &errors)
        if members["text"].map({ $0 != .null }) == true {
            errors.append(APIError.validationEntry(
                type: "value_error", loc: ["body", "filter", "text"],
                msg: "Value error, the embedded server does not implement the text search of events", input: members["text"] ?? .null))
        }
        check(members["occurred"]?.objectValue ?? [:], allowed: ["since", "until"], path: ["body", "filter", "occurred"], &errors)
        check(members["event"]?.objectValue ?? [:], allowed: ["prefix", "exclude_prefix", "name", "exclude_name"],
              path: ["body", "filter", "event"], &errors)
        check(members["resource"]?.objectValue ?? [:], allowed: ["id", "id_prefix", "labels", "distinct"], path: ["body", "filter", "resource"], &errors)
        check(members["any_resource"]?.objectValue ?? [:], allowed: ["id", "id_prefix", "labels"], path: ["body", "filter", "any_resource"], &errors)
        if !errors.isEmpty { throw APIError.validation(errors, requestBody: value ?? .null) }

        // `related` is one filter or a list of them (`Union[EventRelatedFilter, List[…]]`); the
        // typed model reads the one, the list is read here.
        var single = value ?? .null
        var related: [EventFilter.Related] = []
        if case .array(let list)? = members["related"] {
            var others = members
            others["related"] = nil
            single = .object(others)
            related = try list.map { try APIBody.decode(EventFilter.Related.self, from: ServerJSON.encode($0)) }
        }
        let typed = try APIBody.decode(EventFilter.self, from: ServerJSON.encode(single == .null ? .object([:]) : single))
        if let one = typed.related { related = [one] }
        return ServedEventFilter(
            since: typed.occurred?.since ?? defaultSince(now), until: typed.occurred?.until ?? now,
            names: typed.event, resource: typed.resource, related: related, anyResource: typed.anyResource, ids: typed.id,
            ascending: typed.order == .ascending)
    }

    /// `start_of_day(now) - 180 days`, in UTC.
    static func defaultSince(_ now: Date) -> Date {
        let day = (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        return Date(timeIntervalSince1970: day - 180 * 86_400)
    }

    /// The filter as a page token keeps it, with its window fixed.
    var json: JSONValue {
        var members: JSONObject = [
            "occurred": ["since": .string(PrefectDate.format(since)), "until": .string(PrefectDate.format(until))],
            "order": ascending ? "ASC" : "DESC",
        ]
        if let names, let value = try? APIBody.decode(JSONValue.self, from: ServerJSON.encode(names)) { members["event"] = value }
        if let resource, let value = try? APIBody.decode(JSONValue.self, from: ServerJSON.encode(resource)) { members["resource"] = value }
        if !related.isEmpty, let value = try? APIBody.decode(JSONValue.self, from: ServerJSON.encode(related)) { members["related"] = value }
        if let anyResource, let value = try? APIBody.decode(JSONValue.self, from: ServerJSON.encode(anyResource)) {
            members["any_resource"] = value
        }
        if let ids { members["id"] = ["id": .array(ids.map { .string($0.prefectString) })] }
        return .object(members)
    }

    private static func check(_ members: JSONObject, allowed: Set<String>, path: [JSONValue], _ errors: inout [JSONValue]) {
        for (key, value) in members where !allowed.contains(key) {
            errors.append(APIError.validationEntry(type: "extra_forbidden", loc: path + [.string(key)], msg: "Extra inputs are not permitted", input: value))
        }
    }

    /// The rows of the events that match: read from `event_resources` when a related or
    /// any-resource filter, or the resource filter, names resource ids (the first such filter
    /// leads, the event's own resource last: its rows are those of role `""`) and
    /// `leadByResource`, else from `events` — as for one event known by id, which its own index
    /// finds at once. An empty list or specification does not narrow, as Prefect's filters test
    /// their members for truth.
    func rows(leadByResource: Bool = true) -> EventRows {
        var parts = SQLConditionList()
        let resourceFilters = related.map(Self.relatedCondition) + (anyResource.map { [Self.anyResourceCondition($0)] } ?? [])
        // The resource filter is also asked of `events.resource_id` below, so when it does not
        // lead it needs no probe of `event_resources`.
        let candidates = resourceFilters + (resource.flatMap(Self.ownResourceCondition).map { [$0] } ?? [])
        let leader = leadByResource ? candidates.firstIndex { $0.leadsByID } : nil
        var lead: SQLCondition?
        if let leader {
            var conditions = SQLConditionList()
            conditions.add(.compare("driver.occurred", ">=", since))
            conditions.add(.compare("driver.occurred", "<=", until))
            conditions.add(candidates[leader].condition("driver"))
            // An event with two rows that match (one resource in two roles) is read once: from
            // the first of them, which has the same time and so sits beside it in the index.
            var earlier = SQLConditionList()
            earlier.add(SQLCondition(sql: "earlier.occurred = driver.occurred AND earlier.rowid < driver.rowid AND earlier.event_id = driver.event_id"))
            earlier.add(candidates[leader].condition("earlier"))
            if let exists = SQLConditionList.exists("event_resources AS earlier INDEXED BY ix_event_resources__resource_id_occurred", earlier) {
                conditions.add(SQLCondition(sql: "NOT \(exists.sql)", arguments: exists.arguments))
            }
            lead = conditions.combined(.and)
        } else {
            // Read from `events`, the window is on its rows (from `event_resources`, on the lead's).
            parts.add(.compare("events.occurred", ">=", since))
            parts.add(.compare("events.occurred", "<=", until))
        }
        if let names {
            if let prefixes = names.prefix, !prefixes.isEmpty { parts.add(Self.anyPrefix("events.event", prefixes)) }
            if let excluded = names.excludePrefix, !excluded.isEmpty {
                parts.add(SQLCondition(sql: "NOT (\(Self.anyPrefix("events.event", excluded).sql))", arguments: Self.anyPrefix("events.event", excluded).arguments))
            }
            if let exact = names.name, !exact.isEmpty { parts.add(.isIn("events.event", exact)) }
            if let excluded = names.excludeName, !excluded.isEmpty { parts.add(.notIn("events.event", excluded)) }
        }
        if let resource {
            if let ids = resource.id, !ids.isEmpty { parts.add(.isIn("events.resource_id", ids)) }
            if let prefixes = resource.idPrefix, !prefixes.isEmpty { parts.add(Self.anyPrefix("events.resource_id", prefixes)) }
            if let labels = resource.labels, !labels.isEmpty {
                parts.add(Self.labels("json_extract(events.body, '$.resource')", labels))
            }
        }
        for (index, filter) in resourceFilters.enumerated() where index != leader {
            var inner = SQLConditionList()
            inner.add(SQLCondition(sql: "event_resources.event_id = events.id"))
            inner.add(filter.condition("event_resources"))
            parts.add(SQLConditionList.exists("event_resources", inner))
        }
        if let ids, !ids.isEmpty { parts.add(.isIn("events.id", ids)) }
        return EventRows(lead: lead, events: parts.combined(.and))
    }

    /// What one related or any-resource filter asks of a row of `event_resources`, under any alias.
    private struct ResourceCondition {
        /// Whether the filter names resource ids (then its rows can be found by the index).
        var leadsByID: Bool
        var condition: (_ alias: String) -> SQLCondition?
    }

    /// A related resource (a role other than the event's own resource's `""`) as `filter` asks.
    private static func relatedCondition(_ filter: EventFilter.Related) -> ResourceCondition {
        ResourceCondition(leadsByID: !(filter.id ?? []).isEmpty) { alias in
            var inner = SQLConditionList()
            inner.add(SQLCondition(sql: "\(alias).resource_role != ''"))
            if let ids = filter.id, !ids.isEmpty { inner.add(.isIn("\(alias).resource_id", ids)) }
            if let roles = filter.role, !roles.isEmpty { inner.add(.isIn("\(alias).resource_role", roles)) }
            if let labels = filter.labels, !labels.isEmpty { inner.add(Self.labels("\(alias).resource", labels)) }
            return inner.combined(.and)
        }
    }

    /// The event's own resource by id (its row of role `""`), when `filter` names ids; the
    /// rest of the resource filter is asked of the event itself.
    private static func ownResourceCondition(_ filter: EventFilter.Resources) -> ResourceCondition? {
        guard let ids = filter.id, !ids.isEmpty else { return nil }
        return ResourceCondition(leadsByID: true) { alias in
            var inner = SQLConditionList()
            inner.add(SQLCondition(sql: "\(alias).resource_role = ''"))
            inner.add(.isIn("\(alias).resource_id", ids))
            return inner.combined(.and)
        }
    }

    /// The event's resource or any related one, as `filter` asks.
    private static func anyResourceCondition(_ filter: EventFilter.Resources) -> ResourceCondition {
        ResourceCondition(leadsByID: !(filter.id ?? []).isEmpty) { alias in
            var inner = SQLConditionList()
            if let ids = filter.id, !ids.isEmpty { inner.add(.isIn("\(alias).resource_id", ids)) }
            if let prefixes = filter.idPrefix, !prefixes.isEmpty { inner.add(Self.anyPrefix("\(alias).resource_id", prefixes)) }
            if let labels = filter.labels, !labels.isEmpty { inner.add(Self.labels("\(alias).resource", labels)) }
            return inner.combined(.and) ?? SQLCondition(sql: "1")
        }
    }

    /// Starts with one of `prefixes` (none matches nothing).
    private static func anyPrefix(_ column: String, _ prefixes: [String]) -> SQLCondition {
        guard !prefixes.isEmpty else { return .nothing }
        let each = prefixes.map { _ in "substr(\(column), 1, length(?)) = ?" }
        return SQLCondition(sql: "(" + each.joined(separator: " OR ") + ")", arguments: prefixes.flatMap { [$0, $0] })
    }

    /// A resource's labels (a JSON object in `column`) as a `ResourceSpecification` asks:
    /// each label one of its values; `value*` a prefix, `!value` excluded.
    private static func labels(_ column: String, _ specification: ResourceSpecification) -> SQLCondition? {
        var parts = SQLConditionList()
        for (label, wanted) in specification.sorted(by: { $0.key < $1.key }) {
            let values = wanted.arrayValue?.compactMap(\.stringValue) ?? wanted.stringValue.map { [$0] } ?? []
            let extract = "json_extract(\(column), ?)"
            let path = "$.\"\(label.replacingOccurrences(of: "\"", with: ""))\""
            var positive: [SQLCondition] = []
            for value in values where !value.hasPrefix("!") {
                if value.hasSuffix("*") {
                    let prefix = String(value.dropLast())
                    positive.append(SQLCondition(sql: "substr(\(extract), 1, length(?)) = ?", arguments: [path, prefix, prefix]))
                } else {
                    positive.append(SQLCondition(sql: "\(extract) = ?", arguments: [path, value]))
                }
            }
            if !positive.isEmpty {
                parts.add(SQLCondition(sql: "(" + positive.map(\.sql).joined(separator: " OR ") + ")", arguments: positive.flatMap(\.arguments)))
            }
            for value in values where value.hasPrefix("!") {
                let excluded = String(value.dropFirst())
                if excluded.hasSuffix("*") {
                    let prefix = String(excluded.dropLast())
                    parts.add(SQLCondition(
                        sql: "(\(extract) IS NULL OR substr(\(extract), 1, length(?)) != ?)", arguments: [path, path, prefix, prefix]))
                } else {
                    parts.add(SQLCondition(sql: "(\(extract) IS NULL OR \(extract) != ?)", arguments: [path, path, excluded]))
                }
            }
        }
        return parts.combined(.and)
    }
}
