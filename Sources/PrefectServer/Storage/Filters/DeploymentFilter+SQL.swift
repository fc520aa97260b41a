import PrefectSchemas

/// The server's `DeploymentFilter` (`prefect/server/schemas/filters.py`), which has two members
/// the client's model lacks: `flow_or_deployment_name` and `paused`. The deprecated
/// `concurrency_limit` is read and ignored, as Prefect does.
struct ServedDeploymentFilter: Decodable, Sendable {
    var `operator`: Operator?
    var id: DeploymentFilterId?
    var name: DeploymentFilterName?
    var flowOrDeploymentName: Like?
    var paused: Paused?
    var tags: DeploymentFilterTags?
    var workQueueName: DeploymentFilterWorkQueueName?
    var concurrencyLimit: DeploymentFilterConcurrencyLimit?

    struct Like: Decodable, Sendable {
        var like: String?

        enum CodingKeys: String, CodingKey {
            case like = "like_"
        }
    }

    struct Paused: Decodable, Sendable {
        var eq: Bool?

        enum CodingKeys: String, CodingKey {
            case eq = "eq_"
        }
    }

    enum CodingKeys: String, CodingKey {
        case `operator`, id, name, paused, tags
        case flowOrDeploymentName = "flow_or_deployment_name"
        case workQueueName = "work_queue_name"
        case concurrencyLimit = "concurrency_limit"
    }

    /// The condition on table `deployment` (`DeploymentFilter.as_sql_filter`).
    func sqlCondition() -> SQLCondition? {
        var parts = SQLConditionList()
        if let id {
            var ids = SQLConditionList()
            if let any = id.any { ids.add(.isIn("deployment.id", any)) }
            if let notAny = id.notAny, !notAny.isEmpty { ids.add(.notIn("deployment.id", notAny)) }
            parts.add(ids.combined(.and))
        }
        if let name {
            var names = SQLConditionList()
            for part in SQLCondition.names("deployment.name", any: name.any, like: name.like?.isEmpty == true ? nil : name.like) {
                names.add(part)
            }
            parts.add(names.combined(.and))
        }
        if let like = flowOrDeploymentName?.like, !like.isEmpty {
            let flowName = SQLCondition.contains("flow.name", like)
            let deploymentName = SQLCondition.contains("deployment.name", like)
            parts.add(SQLCondition(
                sql: "(\(deploymentName.sql) OR EXISTS (SELECT 1 FROM flow WHERE flow.id = deployment.flow_id AND \(flowName.sql)))",
                arguments: deploymentName.arguments + flowName.arguments))
        }
        if let eq = paused?.eq { parts.add(SQLCondition(sql: "deployment.paused = ?", arguments: [eq])) }
        if let tags {
            parts.add(SQLCondition.tags(
                "deployment.tags", all: tags.all?.isEmpty == true ? nil : tags.all, any: tags.any, isNull: tags.isNull,
                operator: tags.operator))
        }
        if let queues = workQueueName?.any { parts.add(.isIn("deployment.work_queue_name", queues)) }
        return parts.combined(self.operator)
    }
}
