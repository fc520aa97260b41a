import PrefectSchemas

extension TaskRunFilter {
    /// The condition on table `task_run` (Prefect's `TaskRunFilter.as_sql_filter`).
    func sqlCondition(_ table: String = "task_run") -> SQLCondition? {
        var parts = SQLConditionList()
        if let ids = id?.any { parts.add(.isIn("\(table).id", ids)) }
        if let name { parts.add(SQLCondition.names("\(table).name", any: name.any, like: name.like)) }
        if let tags {
            parts.add(SQLCondition.tags("\(table).tags", all: tags.all, isNull: tags.isNull, operator: tags.operator))
        }
        if let state {
            var inner = SQLConditionList()
            if let any = state.type?.any { inner.add(.isIn("\(table).state_type", any.map(\.rawValue))) }
            if let any = state.name?.any { inner.add(.isIn("\(table).state_name", any)) }
            parts.add(inner.combined(state.operator))
        }
        if let startTime {
            parts.add(SQLCondition.times("\(table).start_time", before: startTime.before, after: startTime.after, isNull: startTime.isNull))
        }
        if let endTime {
            parts.add(SQLCondition.times("\(table).end_time", before: endTime.before, after: endTime.after, isNull: endTime.isNull))
        }
        if let exists = subflowRuns?.exists {
            parts.add(SQLCondition(
                sql: "\(exists ? "" : "NOT ")EXISTS (SELECT 1 FROM flow_run AS subflow WHERE subflow.parent_task_run_id = \(table).id)"))
        }
        if let flowRunID {
            if let any = flowRunID.any { parts.add(.isIn("\(table).flow_run_id", any)) }
            if let isNull = flowRunID.isNull { parts.add(.isNull("\(table).flow_run_id", isNull)) }
        }
        return parts.combined(self.operator)
    }
}
