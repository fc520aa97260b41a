import PrefectSchemas

/// The body of `/flows/filter`, `/flow_runs/filter`, `/task_runs/filter` and their `count`s:
/// the filters of each resource (Prefect's `Body` parameters of those routes), the sort, and
/// the page.
struct RunFilterBody<Sort: Decodable & Sendable>: Decodable, Sendable {
    var flows: FlowFilter?
    var flowRuns: FlowRunFilter?
    var taskRuns: TaskRunFilter?
    var deployments: JSONValue?
    var workPools: JSONValue?
    var workPoolQueues: JSONValue?
    var sort: Sort?
    var limit: Int?
    var offset: Int?

    enum CodingKeys: String, CodingKey {
        case flows
        case flowRuns = "flow_runs"
        case taskRuns = "task_runs"
        case deployments
        case workPools = "work_pools"
        case workPoolQueues = "work_pool_queues"
        case sort, limit, offset
    }

    var query: RunQuery {
        let unserved = [deployments, workPools, workPoolQueues].contains { $0 != nil && $0 != .null }
        return RunQuery(flows: flows, flowRuns: flowRuns, taskRuns: taskRuns, filtersUnservedResources: unserved)
    }
}

/// The body of `/logs/filter`.
struct LogFilterBody: Decodable, Sendable {
    var logs: LogFilter?
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
