import Foundation
import GRDB
import PrefectSchemas

/// Typed reads of the block tables' columns that throw ``StoredValueError`` instead of trapping.
enum StoredColumns {
    static func uuid(_ row: Row, _ column: String, table: String) throws -> UUID {
        guard let text = try? row.decode(String?.self, forColumn: column), let id = UUID(uuidString: text) else {
            throw StoredValueError(table: table, column: column)
        }
        return id
    }

    /// A JSON column holding an object.
    static func object(_ row: Row, _ column: String, table: String) throws -> JSONObject {
        guard let text = try? row.decode(String?.self, forColumn: column), case .object(let members)? = try? JSONText.decode(text) else {
            throw StoredValueError(table: table, column: column)
        }
        return members
    }

    /// A JSON column holding a list of strings.
    static func strings(_ row: Row, _ column: String, table: String) throws -> [String] {
        guard let text = try? row.decode(String?.self, forColumn: column), case .array(let items)? = try? JSONText.decode(text) else {
            throw StoredValueError(table: table, column: column)
        }
        return items.compactMap(\.stringValue)
    }
}
