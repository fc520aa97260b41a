import PrefectSchemas

/// The body of `/flows/filter`, `/flow_runs/filter`, `/task_runs/filter`, `/deployments/filter`,
/// `/deployments/paginate` and their `count`s: the filters of each resource (Prefect's `Body`
/// parameters of those routes), the sort, and the page.
struct RunFilterBody<Sort: Decodable & Sendable>: Decodable, Sendable {
    var flows: ServedFlowFilter?
    var flowRuns: FlowRunFilter?
    var taskRuns: ServedTaskRunFilter?
    var deployments: ServedDeploymentFilter?
    var workPools: WorkPoolFilter?
    var workPoolQueues: WorkQueueFilter?
    var sort: Sort?
    var limit: Int?
    var offset: Int?
    /// `/deployments/paginate`'s page, from 1.
    var page: Int?

    enum CodingKeys: String, CodingKey {
        case flows
        case flowRuns = "flow_runs"
        case taskRuns = "task_runs"
        case deployments
        case workPools = "work_pools"
        case workPoolQueues = "work_pool_queues"
        case sort, limit, offset, page
    }

    var query: RunQuery {
        RunQuery(
            flows: flows, flowRuns: flowRuns, taskRuns: taskRuns, workPools: workPools, workQueues: workPoolQueues,
            deployments: deployments)
    }

    var deploymentQuery: DeploymentQuery {
        DeploymentQuery(
            flows: flows, flowRuns: flowRuns, taskRuns: taskRuns, deployments: deployments, workPools: workPools,
            workQueues: workPoolQueues)
    }
}

/// The body of `/logs/filter`.
struct LogFilterBody: Decodable, Sendable {
    var logs: ServedLogFilter?
    var sort: LogSort?
    var limit: Int?
    var offset: Int?
}

/// The body of `/variables/filter` and `/variables/count`.
struct VariableFilterBody: Decodable, Sendable {
    var variables: VariableFilter?
    var sort: VariableSort?
    var limit: Int?
    var offset: Int?
}

/// The body of `/work_pools/filter` and `/work_pools/count`.
struct WorkPoolFilterBody: Decodable, Sendable {
    var workPools: WorkPoolFilter?
    var limit: Int?
    var offset: Int?

    enum CodingKeys: String, CodingKey {
        case workPools = "work_pools"
        case limit, offset
    }
}

/// The body of `/work_queues/filter` and `/work_pools/{name}/queues/filter`.
struct WorkQueueFilterBody: Decodable, Sendable {
    var workQueues: WorkQueueFilter?
    var limit: Int?
    var offset: Int?

    enum CodingKeys: String, CodingKey {
        case workQueues = "work_queues"
        case limit, offset
    }
}

/// The body of `/work_pools/{name}/workers/filter`.
struct WorkerFilterBody: Decodable, Sendable {
    var workers: WorkerFilter?
    var limit: Int?
    var offset: Int?
}
