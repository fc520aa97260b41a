import Foundation
import GRDB
import PrefectSchemas

/// A boolean SQL expression with its arguments, built from a Prefect filter.
///
/// Filters nest (a flow-run filter holds a state filter holding a type filter); each level
/// combines its parts with its own `operator` (`and_` by default), as Prefect's
/// `PrefectOperatorFilterBaseModel` does. An empty condition is "no restriction".
struct SQLCondition {
    var sql: String
    var arguments: [any DatabaseValueConvertible]

    /// Matches nothing: a filter on a resource that has no rows of its kind.
    static var nothing: SQLCondition { SQLCondition(sql: "0") }

    init(sql: String, arguments: [any DatabaseValueConvertible] = []) {
        self.sql = sql
        self.arguments = arguments
    }

    var statementArguments: StatementArguments { StatementArguments(arguments) }

    /// `column IN (…)`; an empty list matches nothing, as SQL's `IN ()` would.
    static func isIn(_ column: String, _ values: [String]) -> SQLCondition {
        guard !values.isEmpty else { return .nothing }
        return SQLCondition(sql: "\(column) IN (\(placeholders(values.count)))", arguments: values)
    }

    static func isIn(_ column: String, _ ids: [UUID]) -> SQLCondition {
        isIn(column, ids.map(\.prefectString))
    }

    /// `column NOT IN (…)`, with SQL's semantics (a NULL column does not match), as Prefect's
    /// `not_in`; an empty list excludes nothing.
    static func notIn(_ column: String, _ values: [String]) -> SQLCondition {
        guard !values.isEmpty else { return SQLCondition(sql: "1") }
        return SQLCondition(sql: "\(column) NOT IN (\(placeholders(values.count)))", arguments: values)
    }

    static func notIn(_ column: String, _ ids: [UUID]) -> SQLCondition {
        notIn(column, ids.map(\.prefectString))
    }

    /// Case-insensitive substring match (`ILIKE '%value%'`); `%`, `_` and `\` in `value` are literal.
    static func contains(_ column: String, _ value: String) -> SQLCondition {
        SQLCondition(sql: "\(column) LIKE ? ESCAPE '\\'", arguments: ["%\(escapeLike(value))%"])
    }

    static func isNull(_ column: String, _ isNull: Bool) -> SQLCondition {
        SQLCondition(sql: "\(column) IS \(isNull ? "" : "NOT ")NULL")
    }

    /// Prefect's name filters: `any_` (one of) and `like_` (case-insensitive substring).
    static func names(_ column: String, any: [String]?, like: String?) -> [SQLCondition] {
        var parts: [SQLCondition] = []
        if let any { parts.append(isIn(column, any)) }
        if let like { parts.append(contains(column, like)) }
        return parts
    }

    /// Prefect's tag filters on a JSON array column — `all_`, `any_`, `is_null_` — joined by the
    /// filter's own operator.
    static func tags(_ column: String, all: [String]?, any: [String]? = nil, isNull: Bool?, operator op: Operator?) -> SQLCondition? {
        var parts = SQLConditionList()
        if let all { parts.add(hasAllTags(column, all)) }
        if let any { parts.add(hasAnyTag(column, any)) }
        if let isNull { parts.add(hasNoTags(column, isNull)) }
        return parts.combined(op)
    }

    /// Prefect's time filters: `before_` (≤), `after_` (≥) and `is_null_`, each when given.
    static func times(_ column: String, before: Date?, after: Date?, isNull: Bool? = nil) -> [SQLCondition] {
        var parts: [SQLCondition] = []
        if let before { parts.append(compare(column, "<=", before)) }
        if let after { parts.append(compare(column, ">=", after)) }
        if let isNull { parts.append(self.isNull(column, isNull)) }
        return parts
    }

    static func compare(_ column: String, _ op: String, _ date: Date) -> SQLCondition {
        SQLCondition(sql: "\(column) \(op) ?", arguments: [StoredTime.micros(date)])
    }

    /// A JSON array column holding every one of `tags`.
    static func hasAllTags(_ column: String, _ tags: [String]) -> SQLCondition {
        guard !tags.isEmpty else { return SQLCondition(sql: "1") }
        let each = tags.map { _ in "EXISTS (SELECT 1 FROM json_each(\(column)) WHERE json_each.value = ?)" }
        return SQLCondition(sql: "(" + each.joined(separator: " AND ") + ")", arguments: tags)
    }

    /// A JSON array column holding at least one of `tags`.
    static func hasAnyTag(_ column: String, _ tags: [String]) -> SQLCondition {
        guard !tags.isEmpty else { return .nothing }
        return SQLCondition(
            sql: "EXISTS (SELECT 1 FROM json_each(\(column)) WHERE json_each.value IN (\(placeholders(tags.count))))",
            arguments: tags)
    }

    /// A JSON array column that is empty (`is_null_`), or not.
    static func hasNoTags(_ column: String, _ isEmpty: Bool) -> SQLCondition {
        SQLCondition(sql: isEmpty ? "json_array_length(\(column)) = 0" : "json_array_length(\(column)) > 0")
    }

    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ",")
    }

    static func escapeLike(_ value: String) -> String {
        var escaped = ""
        for character in value {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}

/// Collects the parts of one filter level and joins them with the level's operator.
struct SQLConditionList {
    private var parts: [SQLCondition] = []

    mutating func add(_ condition: SQLCondition?) {
        if let condition { parts.append(condition) }
    }

    mutating func add(_ conditions: [SQLCondition]) {
        parts.append(contentsOf: conditions)
    }

    /// `EXISTS (SELECT 1 FROM table WHERE …)` over the parts joined by `AND`; nil when there are
    /// none. How a filter on another resource joins in.
    static func exists(_ table: String, _ parts: SQLConditionList) -> SQLCondition? {
        guard let condition = parts.combined(.and) else { return nil }
        return SQLCondition(sql: "EXISTS (SELECT 1 FROM \(table) WHERE \(condition.sql))", arguments: condition.arguments)
    }

    /// The parts joined by `AND` or `OR`; nil when there are none (no restriction).
    func combined(_ op: Operator?) -> SQLCondition? {
        guard !parts.isEmpty else { return nil }
        if parts.count == 1 { return parts[0] }
        let joiner = op == .or ? " OR " : " AND "
        return SQLCondition(
            sql: "(" + parts.map { "(\($0.sql))" }.joined(separator: joiner) + ")",
            arguments: parts.flatMap(\.arguments))
    }
}
