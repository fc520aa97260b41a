import PrefectSchemas

extension BlockTypeFilter {
    /// The condition on table `block_type` (Prefect's `BlockTypeFilter.as_sql_filter`).
    func sqlCondition(_ table: String = "block_type") -> SQLCondition? {
        var parts = SQLConditionList()
        if let like = name?.like, !like.isEmpty { parts.add(.contains("\(table).name", like)) }
        if let slugs = slug?.any { parts.add(.isIn("\(table).slug", slugs)) }
        return parts.combined(.and)
    }
}

extension BlockSchemaFilter {
    /// The condition on table `block_schema` (Prefect's `BlockSchemaFilter.as_sql_filter`).
    func sqlCondition(_ table: String = "block_schema") -> SQLCondition? {
        var parts = SQLConditionList()
        if let ids = blockTypeID?.any { parts.add(.isIn("\(table).block_type_id", ids)) }
        if let all = blockCapabilities?.all, !all.isEmpty { parts.add(.hasAllTags("\(table).capabilities", all)) }
        if let ids = id?.any { parts.add(.isIn("\(table).id", ids)) }
        if let versions = version?.any { parts.add(.isIn("\(table).version", versions)) }
        return parts.combined(self.operator)
    }
}

extension BlockDocumentFilter {
    /// The condition on table `block_document` (Prefect's `BlockDocumentFilter.as_sql_filter`).
    /// The name's `like_` may hold SQL wildcards, as Prefect documents.
    func sqlCondition(_ table: String = "block_document") -> SQLCondition? {
        var parts = SQLConditionList()
        if let ids = id?.any { parts.add(.isIn("\(table).id", ids)) }
        if let anonymous = isAnonymous?.eq { parts.add(SQLCondition(sql: "\(table).is_anonymous = ?", arguments: [anonymous])) }
        if let ids = blockTypeID?.any { parts.add(.isIn("\(table).block_type_id", ids)) }
        if let names = name?.any { parts.add(.isIn("\(table).name", names)) }
        if let like = name?.like, !like.isEmpty { parts.add(SQLCondition(sql: "\(table).name LIKE ?", arguments: ["%\(like)%"])) }
        return parts.combined(self.operator)
    }
}
