import PrefectSchemas

extension VariableFilter {
    /// The condition on table `variable` (Prefect's `VariableFilter.as_sql_filter`).
    func sqlCondition(_ table: String = "variable") -> SQLCondition? {
        var parts = SQLConditionList()
        if let ids = id?.any { parts.add(.isIn("\(table).id", ids)) }
        if let name { parts.add(SQLCondition.names("\(table).name", any: name.any, like: name.like)) }
        if let tags {
            parts.add(SQLCondition.tags("\(table).tags", all: tags.all, isNull: tags.isNull, operator: tags.operator))
        }
        return parts.combined(self.operator)
    }
}
