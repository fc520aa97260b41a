import PrefectSchemas

/// The filters of a `/flows/filter`, `/flow_runs/filter` or `/task_runs/filter` body, joined
/// across tables as Prefect's `_apply_flow_filters`, `_apply_flow_run_filters` and
/// `_apply_task_run_filters` do: a filter on another resource becomes an `EXISTS` on it.
///
/// Deployments, work pools and work queues have no table before the embedded server's
/// part 2, so a filter on them matches nothing, which is what Prefect answers when none exist.
struct RunQuery {
    var flows: FlowFilter?
    var flowRuns: FlowRunFilter?
    var taskRuns: TaskRunFilter?
    /// Whether the body carried a deployment, work-pool or work-queue filter.
    var filtersUnservedResources = false

    /// The condition on `flow`.
    func flowCondition() -> SQLCondition? {
        var parts = SQLConditionList()
        parts.add(flows?.sqlCondition())
        if flowRuns != nil || taskRuns != nil {
            var inner = SQLConditionList()
            inner.add(SQLCondition(sql: "flow_run.flow_id = flow.id"))
            inner.add(flowRuns?.sqlCondition())
            inner.add(taskRunsOfFlowRun())
            parts.add(exists("flow_run", inner))
        }
        if filtersUnservedResources { parts.add(.nothing) }
        return parts.combined(.and)
    }

    /// The condition on `flow_run`.
    func flowRunCondition() -> SQLCondition? {
        var parts = SQLConditionList()
        parts.add(flowRuns?.sqlCondition())
        if filtersUnservedResources { parts.add(.nothing) }
        if let flows {
            var inner = SQLConditionList()
            inner.add(SQLCondition(sql: "flow.id = flow_run.flow_id"))
            inner.add(flows.sqlCondition())
            parts.add(exists("flow", inner))
        }
        parts.add(taskRunsOfFlowRun())
        return parts.combined(.and)
    }

    /// The condition on `task_run`.
    func taskRunCondition() -> SQLCondition? {
        var parts = SQLConditionList()
        parts.add(taskRuns?.sqlCondition())
        if filtersUnservedResources { parts.add(.nothing) }
        if flows != nil || flowRuns != nil {
            var inner = SQLConditionList()
            inner.add(SQLCondition(sql: "flow_run.id = task_run.flow_run_id"))
            inner.add(flowRuns?.sqlCondition())
            if let flows {
                var flowParts = SQLConditionList()
                flowParts.add(SQLCondition(sql: "flow.id = flow_run.flow_id"))
                flowParts.add(flows.sqlCondition())
                inner.add(exists("flow", flowParts))
            }
            parts.add(exists("flow_run", inner))
        }
        return parts.combined(.and)
    }

    private func taskRunsOfFlowRun() -> SQLCondition? {
        guard let taskRuns else { return nil }
        var inner = SQLConditionList()
        inner.add(SQLCondition(sql: "task_run.flow_run_id = flow_run.id"))
        inner.add(taskRuns.sqlCondition())
        return exists("task_run", inner)
    }

    private func exists(_ table: String, _ parts: SQLConditionList) -> SQLCondition? {
        guard let condition = parts.combined(.and) else { return nil }
        return SQLCondition(sql: "EXISTS (SELECT 1 FROM \(table) WHERE \(condition.sql))", arguments: condition.arguments)
    }
}
