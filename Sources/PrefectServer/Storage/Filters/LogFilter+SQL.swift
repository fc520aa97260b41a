import Foundation
import PrefectSchemas

/// The server's `LogFilter` (`prefect/server/schemas/filters.py`): the client's model and
/// `task_run_id.is_null_`, which only the server has.
struct ServedLogFilter: Decodable, Sendable {
    var filter: LogFilter
    var withoutTaskRun: Bool?

    init(from decoder: any Decoder) throws {
        filter = try LogFilter(from: decoder)
        let members = try decoder.container(keyedBy: ServerMembers.self)
        withoutTaskRun = try members.decodeIfPresent(IsNull.self, forKey: .taskRunID)?.isNull
    }

    /// The condition on table `log` (Prefect's `LogFilter.as_sql_filter`).
    func sqlCondition(_ table: String = "log") -> SQLCondition? {
        var parts = SQLConditionList()
        if let level = filter.level {
            if let ge = level.ge { parts.add(SQLCondition(sql: "\(table).level >= ?", arguments: [ge])) }
            if let le = level.le { parts.add(SQLCondition(sql: "\(table).level <= ?", arguments: [le])) }
        }
        if let timestamp = filter.timestamp {
            parts.add(SQLCondition.times("\(table).timestamp", before: timestamp.before, after: timestamp.after))
        }
        if let any = filter.flowRunID?.any { parts.add(.isIn("\(table).flow_run_id", any)) }
        if let any = filter.taskRunID?.any { parts.add(.isIn("\(table).task_run_id", any)) }
        if let withoutTaskRun { parts.add(.isNull("\(table).task_run_id", withoutTaskRun)) }
        if let text = filter.text { parts.add(LogTextQuery(text.query).sqlCondition(table)) }
        return parts.combined(filter.operator)
    }
}

/// Prefect's log text search (`parse_text_search_query`): plain terms and quoted phrases are
/// alternatives (any may match), `-term` must not match, `+term` must; each is a
/// case-insensitive substring of the message or the logger name.
struct LogTextQuery {
    var include: [String] = []
    var exclude: [String] = []
    var required: [String] = []

    init(_ query: String) {
        var index = query.startIndex
        while index < query.endIndex {
            let character = query[index]
            if character.isWhitespace {
                index = query.index(after: index)
                continue
            }
            var prefix: Character?
            if character == "-" || character == "+" {
                prefix = character
                index = query.index(after: index)
                guard index < query.endIndex else { break }
            }
            var term = ""
            if query[index] == "\"" {
                index = query.index(after: index)
                while index < query.endIndex, query[index] != "\"" {
                    term.append(query[index])
                    index = query.index(after: index)
                }
                if index < query.endIndex { index = query.index(after: index) }
            } else {
                while index < query.endIndex, !query[index].isWhitespace {
                    term.append(query[index])
                    index = query.index(after: index)
                }
            }
            guard !term.isEmpty else { continue }
            switch prefix {
            case "-": exclude.append(term)
            case "+": required.append(term)
            default: include.append(term)
            }
        }
    }

    func sqlCondition(_ table: String) -> SQLCondition? {
        let searchable = "(\(table).message || ' ' || \(table).name)"
        var parts = SQLConditionList()
        if !include.isEmpty {
            var any = SQLConditionList()
            for term in include { any.add(.contains(searchable, term)) }
            parts.add(any.combined(.or))
        }
        for term in exclude {
            let match = SQLCondition.contains(searchable, term)
            parts.add(SQLCondition(sql: "NOT (\(match.sql))", arguments: match.arguments))
        }
        for term in required { parts.add(.contains(searchable, term)) }
        return parts.combined(.and)
    }
}
