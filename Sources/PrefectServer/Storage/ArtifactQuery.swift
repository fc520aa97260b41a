import PrefectSchemas

/// The filters of an `/artifacts/…/filter` or `…/count` body, joined as Prefect's
/// `_apply_artifact_filters` and `_apply_artifact_collection_filters` do: flow, flow-run and
/// deployment filters through an `EXISTS` on the artifact's flow run, a task-run filter on its task run.
struct ArtifactQuery: Decodable, Sendable {
    var artifacts: JSONValue?
    var flowRuns: FlowRunFilter?
    var taskRuns: TaskRunFilter?
    var flows: FlowFilter?
    var deployments: ServedDeploymentFilter?

    enum CodingKeys: String, CodingKey {
        case artifacts, flows, deployments
        case flowRuns = "flow_runs"
        case taskRuns = "task_runs"
    }

    /// The condition on `table`, with the artifact filter of its kind.
    func condition(_ table: ArtifactStore.Table) throws -> SQLCondition? {
        var parts = SQLConditionList()
        if let artifacts, artifacts != .null {
            let data = try ServerJSON.encode(artifacts)
            switch table {
            case .artifact: parts.add(try APIBody.decode(ArtifactFilter.self, from: data).sqlCondition())
            case .collection: parts.add(try APIBody.decode(ArtifactCollectionFilter.self, from: data).sqlCondition())
            }
        }
        let name = table.rawValue
        if flows != nil || flowRuns != nil || deployments != nil {
            var inner = SQLConditionList()
            inner.add(SQLCondition(sql: "flow_run.id = \(name).flow_run_id"))
            inner.add(flowRuns?.sqlCondition())
            if let flows {
                var flowParts = SQLConditionList()
                flowParts.add(SQLCondition(sql: "flow.id = flow_run.flow_id"))
                flowParts.add(flows.sqlCondition())
                inner.add(SQLConditionList.exists("flow", flowParts))
            }
            if let deployments {
                var deploymentParts = SQLConditionList()
                deploymentParts.add(SQLCondition(sql: "deployment.id = flow_run.deployment_id"))
                deploymentParts.add(deployments.sqlCondition())
                inner.add(SQLConditionList.exists("deployment", deploymentParts))
            }
            parts.add(SQLConditionList.exists("flow_run", inner))
        }
        if let taskRuns {
            var inner = SQLConditionList()
            inner.add(SQLCondition(sql: "task_run.id = \(name).task_run_id"))
            inner.add(taskRuns.sqlCondition())
            parts.add(SQLConditionList.exists("task_run", inner))
        }
        return parts.combined(.and)
    }
}

/// A filter body's sort and page, with the query.
struct ArtifactFilterBody: Decodable, Sendable {
    var sort: String?
    var limit: Int?
    var offset: Int?
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
