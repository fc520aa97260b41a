import PrefectSchemas

/// An artifact filter of either table: `ArtifactFilter` on `artifact`, `ArtifactCollectionFilter`
/// on `artifact_collection`.
protocol ArtifactTableFilter: Decodable, Sendable {
    static var table: ArtifactStore.Table { get }
    func sqlCondition(_ table: String) -> SQLCondition?
}

extension ArtifactFilter: ArtifactTableFilter {
    static var table: ArtifactStore.Table { .artifact }
}

extension ArtifactCollectionFilter: ArtifactTableFilter {
    static var table: ArtifactStore.Table { .collection }
}

/// The body of an `/artifacts/…/filter` or `…/count`, joined as Prefect's
/// `_apply_artifact_filters` and `_apply_artifact_collection_filters` do: flow, flow-run and
/// deployment filters through the artifact's flow run (``RunQuery/flowRunOf(_:)``), a task-run
/// filter through its task run; with the sort and the page.
struct ArtifactQuery<Filter: ArtifactTableFilter>: Decodable, Sendable {
    var artifacts: Filter?
    var flowRuns: FlowRunFilter?
    var taskRuns: ServedTaskRunFilter?
    var flows: ServedFlowFilter?
    var deployments: ServedDeploymentFilter?
    var sort: String?
    var limit: Int?
    var offset: Int?

    enum CodingKeys: String, CodingKey {
        case artifacts, flows, deployments, sort, limit, offset
        case flowRuns = "flow_runs"
        case taskRuns = "task_runs"
    }

    /// The condition on the filter's table.
    func condition() -> SQLCondition? {
        let table = Filter.table.rawValue
        var parts = SQLConditionList()
        parts.add(artifacts?.sqlCondition(table))
        parts.add(RunQuery(flows: flows, flowRuns: flowRuns, deployments: deployments).flowRunOf("\(table).flow_run_id"))
        if let taskRuns {
            var inner = SQLConditionList()
            inner.add(SQLCondition(sql: "task_run.id = \(table).task_run_id"))
            inner.add(taskRuns.sqlCondition())
            parts.add(SQLConditionList.exists("task_run", inner))
        }
        return parts.combined(.and)
    }
}

/// `ArtifactSort` / `ArtifactCollectionSort` as SQL (`as_sql_sort`); nil for a value Prefect does not have.
enum ArtifactOrder {
    static let all = ["CREATED_DESC", "UPDATED_DESC", "ID_DESC", "KEY_DESC", "KEY_ASC"]

    static func sql(_ sort: String) -> String? {
        switch sort {
        case "CREATED_DESC": "created DESC"
        case "UPDATED_DESC": "updated DESC"
        case "ID_DESC": "id DESC"
        case "KEY_DESC": "key DESC"
        case "KEY_ASC": "key ASC"
        default: nil
        }
    }
}
