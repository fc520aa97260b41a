import PrefectSchemas

extension FlowRunFilter {
    /// The condition on table `flow_run` (Prefect's `FlowRunFilter.as_sql_filter`).
    func sqlCondition(_ table: String = "flow_run") -> SQLCondition? {
        var parts = SQLConditionList()
        if let id {
            if let any = id.any { parts.add(.isIn("\(table).id", any)) }
            if let notAny = id.notAny { parts.add(.notIn("\(table).id", notAny)) }
        }
        if let name { parts.add(SQLCondition.names("\(table).name", any: name.any, like: name.like)) }
        if let tags {
            parts.add(SQLCondition.tags("\(table).tags", all: tags.all, any: tags.any, isNull: tags.isNull, operator: tags.operator))
        }
        if let deploymentID {
            var inner = SQLConditionList()
            if let any = deploymentID.any { inner.add(.isIn("\(table).deployment_id", any)) }
            if let isNull = deploymentID.isNull { inner.add(.isNull("\(table).deployment_id", isNull)) }
            parts.add(inner.combined(deploymentID.operator))
        }
        if let workQueueName {
            var inner = SQLConditionList()
            if let any = workQueueName.any { inner.add(.isIn("\(table).work_queue_name", any)) }
            if let isNull = workQueueName.isNull { inner.add(.isNull("\(table).work_queue_name", isNull)) }
            parts.add(inner.combined(workQueueName.operator))
        }
        if let state {
            var inner = SQLConditionList()
            if let type = state.type {
                if let any = type.any { inner.add(.isIn("\(table).state_type", any.map(\.rawValue))) }
                if let notAny = type.notAny { inner.add(.notIn("\(table).state_type", notAny.map(\.rawValue))) }
            }
            if let name = state.name {
                if let any = name.any { inner.add(.isIn("\(table).state_name", any)) }
                if let notAny = name.notAny { inner.add(.notIn("\(table).state_name", notAny)) }
            }
            parts.add(inner.combined(state.operator))
        }
        if let any = flowVersion?.any { parts.add(.isIn("\(table).flow_version", any)) }
        if let startTime {
            // A run not started yet is placed at its expected start (Prefect's `coalesce`), so a
            // window holds runs to come; `is_null_` looks at the start time alone.
            let started = "COALESCE(\(table).start_time, \(table).expected_start_time)"
            parts.add(SQLCondition.times(started, before: startTime.before, after: startTime.after))
            if let isNull = startTime.isNull { parts.add(SQLCondition.isNull("\(table).start_time", isNull)) }
        }
        if let endTime {
            parts.add(SQLCondition.times("\(table).end_time", before: endTime.before, after: endTime.after, isNull: endTime.isNull))
        }
        if let expectedStartTime {
            parts.add(SQLCondition.times(
                "\(table).expected_start_time", before: expectedStartTime.before, after: expectedStartTime.after))
        }
        if let nextScheduledStartTime {
            parts.add(SQLCondition.times(
                "\(table).next_scheduled_start_time", before: nextScheduledStartTime.before, after: nextScheduledStartTime.after))
        }
        if let parentFlowRunID, let any = parentFlowRunID.any {
            let parents = SQLCondition.isIn("parent_task.flow_run_id", any)
            parts.add(SQLCondition(
                sql: "\(table).parent_task_run_id IN (SELECT parent_task.id FROM task_run AS parent_task WHERE \(parents.sql))",
                arguments: parents.arguments))
        }
        if let parentTaskRunID {
            var inner = SQLConditionList()
            if let any = parentTaskRunID.any { inner.add(.isIn("\(table).parent_task_run_id", any)) }
            if let isNull = parentTaskRunID.isNull { inner.add(.isNull("\(table).parent_task_run_id", isNull)) }
            parts.add(inner.combined(parentTaskRunID.operator))
        }
        if let idempotencyKey {
            if let any = idempotencyKey.any { parts.add(.isIn("\(table).idempotency_key", any)) }
            if let notAny = idempotencyKey.notAny { parts.add(.notIn("\(table).idempotency_key", notAny)) }
        }
        if let createdBy {
            var inner = SQLConditionList()
            if let ids = createdBy.id { inner.add(.isIn("\(table).created_by_id", ids)) }
            if let types = createdBy.type { inner.add(.isIn("\(table).created_by_type", types)) }
            if let isNull = createdBy.isNull { inner.add(.isNull("\(table).created_by_id", isNull)) }
            parts.add(inner.combined(createdBy.operator))
        }
        return parts.combined(self.operator)
    }
}
