import PrefectSchemas

/// The filters of a `/deployments/filter`, `/paginate` or `/count` body, joined across tables as
/// Prefect's `_apply_deployment_filters` does: the deployment's flow, its runs (and their task
/// runs), and its work queue and pool, each an `EXISTS`.
struct DeploymentQuery {
    var flows: ServedFlowFilter?
    var flowRuns: FlowRunFilter?
    var taskRuns: ServedTaskRunFilter?
    var deployments: ServedDeploymentFilter?
    var workPools: WorkPoolFilter?
    var workQueues: WorkQueueFilter?

    /// The condition on `deployment`.
    func condition() -> SQLCondition? {
        var parts = SQLConditionList()
        parts.add(deployments?.sqlCondition())
        if let flows {
            parts.add(exists("flow", ["flow.id = deployment.flow_id"], flows.sqlCondition()))
        }
        if flowRuns != nil || taskRuns != nil {
            var inner = SQLConditionList()
            inner.add(SQLCondition(sql: "flow_run.deployment_id = deployment.id"))
            inner.add(flowRuns?.sqlCondition())
            if let taskRuns {
                inner.add(exists("task_run", ["task_run.flow_run_id = flow_run.id"], taskRuns.sqlCondition()))
            }
            parts.add(SQLConditionList.exists("flow_run", inner))
        }
        if workPools != nil || workQueues != nil {
            var inner = SQLConditionList()
            inner.add(SQLCondition(sql: "work_queue.id = deployment.work_queue_id"))
            inner.add(workQueues?.sqlCondition())
            if let workPools {
                inner.add(exists("work_pool", ["work_pool.id = work_queue.work_pool_id"], workPools.sqlCondition()))
            }
            parts.add(SQLConditionList.exists("work_queue", inner))
        }
        return parts.combined(.and)
    }

    private func exists(_ table: String, _ joins: [String], _ condition: SQLCondition?) -> SQLCondition? {
        var inner = SQLConditionList()
        for join in joins { inner.add(SQLCondition(sql: join)) }
        inner.add(condition)
        return SQLConditionList.exists(table, inner)
    }
}
