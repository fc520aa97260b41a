/// A stored value that does not read back as what was written (a database changed by hand or
/// damaged); the request fails with a 500 instead of answering with made-up data, and a
/// background service skips the row (``SkippedRows``).
struct StoredValueError: Error, CustomStringConvertible {
    var table: String
    var column: String

    var description: String { "\(table).\(column) holds a value that does not read as written" }
}
