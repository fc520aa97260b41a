import PrefectSchemas

extension ArtifactFilter {
    /// The condition on table `artifact` (Prefect's `ArtifactFilter.as_sql_filter`).
    func sqlCondition(_ table: String = "artifact") -> SQLCondition? {
        var parts = SQLConditionList()
        if let ids = id?.any { parts.add(.isIn("\(table).id", ids)) }
        if let key { parts.add(ArtifactConditions.key("\(table).key", any: key.any, like: key.like, exists: key.exists)) }
        if let ids = flowRunID?.any { parts.add(.isIn("\(table).flow_run_id", ids)) }
        if let ids = taskRunID?.any { parts.add(.isIn("\(table).task_run_id", ids)) }
        if let type { parts.add(ArtifactConditions.type("\(table).type", any: type.any, notAny: type.notAny)) }
        return parts.combined(self.operator)
    }
}

extension ArtifactCollectionFilter {
    /// The condition on table `artifact_collection` (`ArtifactCollectionFilter.as_sql_filter`).
    func sqlCondition(_ table: String = "artifact_collection") -> SQLCondition? {
        var parts = SQLConditionList()
        if let ids = latestID?.any { parts.add(.isIn("\(table).latest_id", ids)) }
        if let key { parts.add(ArtifactConditions.key("\(table).key", any: key.any, like: key.like, exists: key.exists)) }
        if let ids = flowRunID?.any { parts.add(.isIn("\(table).flow_run_id", ids)) }
        if let ids = taskRunID?.any { parts.add(.isIn("\(table).task_run_id", ids)) }
        if let type { parts.add(ArtifactConditions.type("\(table).type", any: type.any, notAny: type.notAny)) }
        return parts.combined(self.operator)
    }
}

/// The key and type conditions both artifact filters share.
enum ArtifactConditions {
    static func key(_ column: String, any: [String]?, like: String?, exists: Bool?) -> [SQLCondition] {
        var parts = SQLCondition.names(column, any: any, like: like)
        if let exists { parts.append(.isNull(column, !exists)) }
        return parts
    }

    static func type(_ column: String, any: [String]?, notAny: [String]?) -> [SQLCondition] {
        var parts: [SQLCondition] = []
        if let any { parts.append(.isIn(column, any)) }
        if let notAny { parts.append(.notIn(column, notAny)) }
        return parts
    }
}
