import Foundation
import GRDB
import PrefectServer
import Testing

/// Opening databases: created with their folder, migrated, and refused when newer or unusable.
@Suite("Embedded server storage")
struct StorageTests {
    private func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("prefect-storage-\(UUID().uuidString)").appendingPathComponent("nested").appendingPathComponent(name).path
    }

    @Test("a new database and its missing folders are created, in WAL mode")
    func createsDatabase() throws {
        let path = temporaryPath("prefect.db")
        let app = try PrefectServerApp.open(databasePath: path)
        app.close()
        #expect(FileManager.default.fileExists(atPath: path))
        let mode = try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test("a database written by a newer schema is refused and left unchanged")
    func refusesNewerSchema() throws {
        let path = temporaryPath("prefect.db")
        try PrefectServerApp.open(databasePath: path).close()
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')") }
        let before = try queue.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
        try queue.close()
        #expect(throws: PrefectServerError.newerSchema(path: path, migrations: ["v99-from-the-future"])) {
            try PrefectServerApp.open(databasePath: path)
        }
        let after = try DatabaseQueue(path: path).read {
            try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        }
        #expect(after == before)
        let message = PrefectServerError.newerSchema(path: path, migrations: ["v99-from-the-future"]).description
        #expect(message.contains("newer swift-prefect") && message.contains("was not changed"))
    }

    @Test("a path that cannot be a database is a clear error")
    func unusablePath() throws {
        let directory = temporaryPath("a-directory")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let error = #expect(throws: PrefectServerError.self) { try PrefectServerApp.open(databasePath: directory) }
        #expect(error?.description.hasPrefix("cannot open the database at \(directory)") == true)
    }
}
