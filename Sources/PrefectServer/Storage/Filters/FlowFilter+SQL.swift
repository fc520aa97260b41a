import PrefectSchemas

extension FlowFilter {
    /// The condition on table `flow` (Prefect's `FlowFilter.as_sql_filter`).
    func sqlCondition(_ table: String = "flow") -> SQLCondition? {
        var parts = SQLConditionList()
        if let ids = id?.any { parts.add(.isIn("\(table).id", ids)) }
        if let name {
            if let any = name.any { parts.add(.isIn("\(table).name", any)) }
            if let like = name.like { parts.add(.contains("\(table).name", like)) }
        }
        if let tags {
            var tagParts = SQLConditionList()
            if let all = tags.all { tagParts.add(.hasAllTags("\(table).tags", all)) }
            if let isNull = tags.isNull { tagParts.add(.hasNoTags("\(table).tags", isNull)) }
            parts.add(tagParts.combined(tags.operator))
        }
        return parts.combined(self.operator)
    }
}
