import Foundation
import PrefectSchemas

/// The server's `FlowFilter` (`prefect/server/schemas/filters.py`): the client's model and the
/// members only the server has, `id.not_any_` and `deployment.is_null_` (flows without, or
/// with, deployments).
struct ServedFlowFilter: Decodable, Sendable {
    var filter: FlowFilter
    var notAnyIDs: [UUID]?
    var withoutDeployments: Bool?

    init(from decoder: any Decoder) throws {
        filter = try FlowFilter(from: decoder)
        let members = try decoder.container(keyedBy: ServerMembers.self)
        notAnyIDs = try members.decodeIfPresent(NotAny.self, forKey: .id)?.notAny
        withoutDeployments = try members.decodeIfPresent(IsNull.self, forKey: .deployment)?.isNull
    }

    /// The condition on table `flow` (Prefect's `FlowFilter.as_sql_filter`).
    func sqlCondition(_ table: String = "flow") -> SQLCondition? {
        var parts = SQLConditionList()
        if let ids = filter.id?.any { parts.add(.isIn("\(table).id", ids)) }
        if let notAnyIDs { parts.add(.notIn("\(table).id", notAnyIDs)) }
        if let withoutDeployments {
            parts.add(SQLCondition(
                sql: "\(table).id \(withoutDeployments ? "NOT " : "")IN (SELECT DISTINCT flow_id FROM deployment WHERE flow_id IS NOT NULL)"))
        }
        if let name = filter.name { parts.add(SQLCondition.names("\(table).name", any: name.any, like: name.like)) }
        if let tags = filter.tags {
            parts.add(SQLCondition.tags("\(table).tags", all: tags.all, isNull: tags.isNull, operator: tags.operator))
        }
        return parts.combined(filter.operator)
    }
}

/// A server-only `not_any_` beside the client's `any_`.
struct NotAny: Decodable, Sendable {
    var notAny: [UUID]?

    enum CodingKeys: String, CodingKey {
        case notAny = "not_any_"
    }
}

/// A server-only `is_null_`.
struct IsNull: Decodable, Sendable {
    var isNull: Bool?

    enum CodingKeys: String, CodingKey {
        case isNull = "is_null_"
    }
}

/// The members of the server's filters that the client's models lack, or that they read differently.
enum ServerMembers: String, CodingKey {
    case id, deployment
    case taskRunID = "task_run_id"
    case flowRunID = "flow_run_id"
    case expectedStartTime = "expected_start_time"
}
