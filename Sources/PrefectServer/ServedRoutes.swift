import Foundation
import Hummingbird
import PrefectSchemas

/// The routes the embedded API serves, as `METHOD /api/path/{param}` lines, sorted: what
/// `prefect-swift server routes` prints, `scripts/generate-openapi.py` reads, and the
/// `/api/openapi.json` test compares with the document.
public enum ServedRoutes {
    /// The routes of a router built on a throw-away database.
    public static func list() throws -> [String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prefect-routes-\(UUID.version4().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try PrefectDatabase.open(path: directory.appendingPathComponent("routes.db").path)
        defer { try? database.close() }
        return PrefectAPIRouter.make(database: database).routes.map { "\($0.method) \($0.path)" }.sorted()
    }
}
