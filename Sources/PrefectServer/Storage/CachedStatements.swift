import GRDB

/// The hot statements of the write path, run through the connection's statement cache: GRDB
/// prepares `execute(sql:)` and `fetchOne(_:sql:)` afresh on every call, and each preparation
/// runs its statement authorizer over every column the SQL reads (`sqlite3AuthReadCol`, 4 % of
/// an in-process create). Only for SQL whose text is fixed: each distinct text stays cached for
/// the life of the connection.
extension Database {
    func executeCached(sql: String, arguments: StatementArguments) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}

extension DatabaseValueConvertible {
    static func fetchOneCached(_ db: Database, sql: String, arguments: StatementArguments) throws -> Self? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }
}

extension Row {
    static func fetchOneCached(_ db: Database, sql: String, arguments: StatementArguments) throws -> Row? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }
}
