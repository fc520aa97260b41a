import PrefectSchemas

extension WorkPoolFilter {
    /// The condition on table `work_pool` (Prefect's `WorkPoolFilter.as_sql_filter`).
    func sqlCondition(_ table: String = "work_pool") -> SQLCondition? {
        var parts = SQLConditionList()
        if let ids = id?.any { parts.add(.isIn("\(table).id", ids)) }
        if let names = name?.any { parts.add(.isIn("\(table).name", names)) }
        if let types = type?.any { parts.add(.isIn("\(table).type", types)) }
        return parts.combined(self.operator)
    }
}

extension WorkQueueFilter {
    /// The condition on table `work_queue` (Prefect's `WorkQueueFilter.as_sql_filter`):
    /// `startswith_` is any of the case-insensitive prefixes.
    func sqlCondition(_ table: String = "work_queue") -> SQLCondition? {
        var parts = SQLConditionList()
        if let ids = id?.any { parts.add(.isIn("\(table).id", ids)) }
        if let names = name?.any { parts.add(.isIn("\(table).name", names)) }
        if let prefixes = name?.startswith {
            parts.add(prefixes.isEmpty ? .nothing : SQLCondition(
                sql: "(" + prefixes.map { _ in "\(table).name LIKE ? ESCAPE '\\'" }.joined(separator: " OR ") + ")",
                arguments: prefixes.map { SQLCondition.escapeLike($0) + "%" }))
        }
        return parts.combined(self.operator)
    }
}

extension WorkerFilter {
    /// The condition on table `worker` (Prefect's `WorkerFilter.as_sql_filter`).
    func sqlCondition(_ table: String = "worker") -> SQLCondition? {
        var parts = SQLConditionList()
        if let lastHeartbeatTime {
            parts.add(SQLCondition.times("\(table).last_heartbeat_time", before: lastHeartbeatTime.before, after: lastHeartbeatTime.after))
        }
        if let any = status?.any { parts.add(.isIn("\(table).status", any)) }
        if let notAny = status?.notAny { parts.add(.notIn("\(table).status", notAny)) }
        return parts.combined(self.operator)
    }
}
