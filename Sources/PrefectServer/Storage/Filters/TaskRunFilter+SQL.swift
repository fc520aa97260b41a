import Foundation
import PrefectSchemas

/// The server's `TaskRunFilter` (`prefect/server/schemas/filters.py`): the client's model and
/// `expected_start_time`, which only the server has.
struct ServedTaskRunFilter: Decodable, Sendable {
    var filter: TaskRunFilter
    /// The same `before_`/`after_` members as the flow-run filter's (`TaskRunFilterExpectedStartTime`).
    var expectedStartTime: FlowRunFilterExpectedStartTime?
    /// `flow_run_id.is_null_` written as null: no default of false then.
    var flowRunIsNullWrittenAsNull = false

    init(from decoder: any Decoder) throws {
        filter = try TaskRunFilter(from: decoder)
        let members = try decoder.container(keyedBy: ServerMembers.self)
        expectedStartTime = try members.decodeIfPresent(FlowRunFilterExpectedStartTime.self, forKey: .expectedStartTime)
        if members.contains(.flowRunID), try !members.decodeNil(forKey: .flowRunID) {
            let flowRunID = try members.nestedContainer(keyedBy: IsNull.CodingKeys.self, forKey: .flowRunID)
            flowRunIsNullWrittenAsNull = try flowRunID.contains(.isNull) && flowRunID.decodeNil(forKey: .isNull)
        }
    }

    /// The condition on table `task_run` (Prefect's `TaskRunFilter.as_sql_filter`).
    func sqlCondition(_ table: String = "task_run") -> SQLCondition? {
        var parts = SQLConditionList()
        if let ids = filter.id?.any { parts.add(.isIn("\(table).id", ids)) }
        if let name = filter.name { parts.add(SQLCondition.names("\(table).name", any: name.any, like: name.like)) }
        if let tags = filter.tags {
            parts.add(SQLCondition.tags("\(table).tags", all: tags.all, isNull: tags.isNull, operator: tags.operator))
        }
        if let state = filter.state {
            var inner = SQLConditionList()
            if let any = state.type?.any { inner.add(.isIn("\(table).state_type", any.map(\.rawValue))) }
            if let any = state.name?.any { inner.add(.isIn("\(table).state_name", any)) }
            parts.add(inner.combined(state.operator))
        }
        if let startTime = filter.startTime {
            parts.add(SQLCondition.times("\(table).start_time", before: startTime.before, after: startTime.after, isNull: startTime.isNull))
        }
        if let endTime = filter.endTime {
            parts.add(SQLCondition.times("\(table).end_time", before: endTime.before, after: endTime.after, isNull: endTime.isNull))
        }
        if let expectedStartTime {
            parts.add(SQLCondition.times(
                "\(table).expected_start_time", before: expectedStartTime.before, after: expectedStartTime.after))
        }
        if let exists = filter.subflowRuns?.exists {
            parts.add(SQLCondition(
                sql: "\(exists ? "" : "NOT ")EXISTS (SELECT 1 FROM flow_run AS subflow WHERE subflow.parent_task_run_id = \(table).id)"))
        }
        if let flowRunID = filter.flowRunID {
            // `is_null_` defaults to false: without `any_` that alone keeps runs that have a flow run;
            // true keeps only those without one, whatever `any_` says (TaskRunFilterFlowRunId).
            if flowRunID.isNull == true {
                parts.add(.isNull("\(table).flow_run_id", true))
            } else if let any = flowRunID.any {
                parts.add(.isIn("\(table).flow_run_id", any))
            } else if !flowRunIsNullWrittenAsNull {
                parts.add(.isNull("\(table).flow_run_id", false))
            }
        }
        return parts.combined(filter.operator)
    }
}
