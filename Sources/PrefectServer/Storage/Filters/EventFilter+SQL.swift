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

        let data = try ServerJSON.encode(value ?? .object([:]))
        let typed = try APIBody.decode(EventFilter.self, from: data == Data("null".utf8) ? Data("{}".utf8) : data)
        var related: [EventFilter.Related] = []
        if case .array(let list)? = members["related"] {
            related = try list.map { try APIBody.decode(EventFilter.Related.self, from: ServerJSON.encode($0)) }
        } else if let one = typed.related {
            related = [one]
        }
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

    /// The condition on table `events`. An empty list or specification does not narrow, as
    /// Prefect's filters test their members for truth.
    func sqlCondition() -> SQLCondition? {
        var parts = SQLConditionList()
        parts.add(.compare("events.occurred", ">=", since))
        parts.add(.compare("events.occurred", "<=", until))
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
        for filter in related {
            var inner = SQLConditionList()
            inner.add(SQLCondition(sql: "event_resources.event_id = events.id AND event_resources.resource_role != ''"))
            if let ids = filter.id, !ids.isEmpty { inner.add(.isIn("event_resources.resource_id", ids)) }
            if let roles = filter.role, !roles.isEmpty { inner.add(.isIn("event_resources.resource_role", roles)) }
            if let labels = filter.labels, !labels.isEmpty { inner.add(Self.labels("event_resources.resource", labels)) }
            parts.add(SQLConditionList.exists("event_resources", inner))
        }
        if let anyResource {
            var inner = SQLConditionList()
            inner.add(SQLCondition(sql: "event_resources.event_id = events.id"))
            if let ids = anyResource.id, !ids.isEmpty { inner.add(.isIn("event_resources.resource_id", ids)) }
            if let prefixes = anyResource.idPrefix, !prefixes.isEmpty { inner.add(Self.anyPrefix("event_resources.resource_id", prefixes)) }
            if let labels = anyResource.labels, !labels.isEmpty { inner.add(Self.labels("event_resources.resource", labels)) }
            parts.add(SQLConditionList.exists("event_resources", inner))
        }
        if let ids, !ids.isEmpty { parts.add(.isIn("events.id", ids)) }
        return parts.combined(.and)
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
