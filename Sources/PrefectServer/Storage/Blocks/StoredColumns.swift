import Foundation
import GRDB
import PrefectSchemas

/// A stored value that does not read back as what was written (a database changed by hand or
/// damaged); the request fails with a 500 instead of answering with made-up data.
struct StoredValueError: Error, CustomStringConvertible {
    var table: String
    var column: String

    var description: String { "\(table).\(column) holds a value that does not read as written" }
}

/// Typed reads of the block tables' columns that throw ``StoredValueError`` instead of trapping.
enum StoredColumns {
    static func uuid(_ row: Row, _ column: String, table: String) throws -> UUID {
        guard let text: String = row[column], let id = UUID(uuidString: text) else {
            throw StoredValueError(table: table, column: column)
        }
        return id
    }

    /// A JSON column holding an object.
    static func object(_ row: Row, _ column: String, table: String) throws -> [String: JSONValue] {
        guard let text: String = row[column], case .object(let members)? = try? JSONText.decode(text) else {
            throw StoredValueError(table: table, column: column)
        }
        return members
    }

    /// A JSON column holding a list of strings.
    static func strings(_ row: Row, _ column: String, table: String) throws -> [String] {
        guard let text: String = row[column], case .array(let items)? = try? JSONText.decode(text) else {
            throw StoredValueError(table: table, column: column)
        }
        return items.compactMap(\.stringValue)
    }
}
