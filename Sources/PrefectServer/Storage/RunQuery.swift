import PrefectSchemas

/// The filters of a `/flows/filter`, `/flow_runs/filter` or `/task_runs/filter` body, joined
/// across tables as Prefect's `_apply_flow_filters`, `_apply_flow_run_filters` and
/// `_apply_task_run_filters` do: a filter on another resource becomes an `EXISTS` on it, a
/// flow run's work pool and queue through `flow_run.work_queue_id`.
///
/// A flow matches a deployment or work-pool filter through its deployments, a flow run or task
/// run a deployment filter through the run's deployment.
struct RunQuery {
    var flows: ServedFlowFilter?
    var flowRuns: FlowRunFilter?
    var taskRuns: ServedTaskRunFilter?
    var workPools: WorkPoolFilter?
    var workQueues: WorkQueueFilter?
    var deployments: ServedDeploymentFilter?

    /// The condition on `flow`.
    func flowCondition() -> SQLCondition? {
        var parts = SQLConditionList()
        parts.add(flows?.sqlCondition())
        if flowRuns != nil || taskRuns != nil {
            var inner = SQLConditionList()
            inner.add(SQLCondition(sql: "flow_run.flow_id = flow.id"))
            inner.add(flowRuns?.sqlCondition())
            inner.add(taskRunsOfFlowRun())
            parts.add(SQLConditionList.exists("flow_run", inner))
        }
        if deployments != nil || workPools != nil {
            var inner = SQLConditionList()
            inner.add(SQLCondition(sql: "deployment.flow_id = flow.id"))
            inner.add(deployments?.sqlCondition())
            if let workPools {
                var pool = SQLConditionList()
                pool.add(SQLCondition(sql: "work_queue.id = deployment.work_queue_id"))
                pool.add(SQLCondition(sql: "work_pool.id = work_queue.work_pool_id"))
                pool.add(workPools.sqlCondition())
                inner.add(SQLConditionList.exists("work_queue, work_pool", pool))
            }
            parts.add(SQLConditionList.exists("deployment", inner))
        }
        return parts.combined(.and)
    }

    /// The condition on `flow_run`.
    func flowRunCondition() -> SQLCondition? {
        var parts = SQLConditionList()
        parts.add(flowRuns?.sqlCondition())
        parts.add(deploymentOf("flow_run.deployment_id"))
        if let flows {
            var inner = SQLConditionList()
            inner.add(SQLCondition(sql: "flow.id = flow_run.flow_id"))
            inner.add(flows.sqlCondition())
            parts.add(SQLConditionList.exists("flow", inner))
        }
        parts.add(taskRunsOfFlowRun())
        parts.add(queueOfFlowRun())
        return parts.combined(.and)
    }

    /// The condition on `task_run` (Prefect's task-run routes take no work-pool or work-queue
    /// filter, so they are ignored here).
    func taskRunCondition() -> SQLCondition? {
        var parts = SQLConditionList()
        parts.add(taskRuns?.sqlCondition())
        parts.add(flowRunOf("task_run.flow_run_id"))
        return parts.combined(.and)
    }

    /// The flow run `column` names matches the flow-run, flow and deployment filters (an
    /// `EXISTS` on `flow_run`); nil without those filters. Task runs and artifacts join this way.
    func flowRunOf(_ column: String) -> SQLCondition? {
        guard flows != nil || flowRuns != nil || deployments != nil else { return nil }
        var inner = SQLConditionList()
        inner.add(SQLCondition(sql: "flow_run.id = \(column)"))
        inner.add(flowRuns?.sqlCondition())
        inner.add(deploymentOf("flow_run.deployment_id"))
        if let flows {
            var flowParts = SQLConditionList()
            flowParts.add(SQLCondition(sql: "flow.id = flow_run.flow_id"))
            flowParts.add(flows.sqlCondition())
            inner.add(SQLConditionList.exists("flow", flowParts))
        }
        return SQLConditionList.exists("flow_run", inner)
    }

    /// The deployment `column` names matches the deployment filter.
    private func deploymentOf(_ column: String) -> SQLCondition? {
        guard let deployments else { return nil }
        var inner = SQLConditionList()
        inner.add(SQLCondition(sql: "deployment.id = \(column)"))
        inner.add(deployments.sqlCondition())
        return SQLConditionList.exists("deployment", inner)
    }

    private var filtersQueues: Bool { workPools != nil || workQueues != nil }

    /// The run's work queue matches the work-queue filter and its pool the work-pool filter.
    private func queueOfFlowRun() -> SQLCondition? {
        guard filtersQueues else { return nil }
        var inner = SQLConditionList()
        inner.add(SQLCondition(sql: "work_queue.id = flow_run.work_queue_id"))
        inner.add(workQueues?.sqlCondition())
        if let workPools {
            var pool = SQLConditionList()
            pool.add(SQLCondition(sql: "work_pool.id = work_queue.work_pool_id"))
            pool.add(workPools.sqlCondition())
            inner.add(SQLConditionList.exists("work_pool", pool))
        }
        return SQLConditionList.exists("work_queue", inner)
    }

    private func taskRunsOfFlowRun() -> SQLCondition? {
        guard let taskRuns else { return nil }
        var inner = SQLConditionList()
        inner.add(SQLCondition(sql: "task_run.flow_run_id = flow_run.id"))
        inner.add(taskRuns.sqlCondition())
        return SQLConditionList.exists("task_run", inner)
    }
}
