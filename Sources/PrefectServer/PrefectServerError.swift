/// Why the embedded server cannot start or serve: each case reads as one clear line.
public enum PrefectServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The database file cannot be created, opened or migrated.
    case databaseUnavailable(path: String, reason: String)
    /// The database was written by a newer swift-prefect (migrations this build lacks).
    case newerSchema(path: String, migrations: [String])
    /// The network listener could not bind.
    case cannotListen(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case .databaseUnavailable(let path, let reason):
            "cannot open the database at \(path): \(reason)"
        case .newerSchema(let path, let migrations):
            "the database at \(path) was written by a newer swift-prefect (schema \(migrations.joined(separator: ", "))); "
                + "upgrade swift-prefect or use another --database; the file was not changed"
        case .cannotListen(let host, let port, let reason):
            "cannot listen on \(host):\(port): \(reason)"
        }
    }
}
