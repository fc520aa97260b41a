import Foundation
import PrefectClient
@testable import PrefectServer

/// An app on a database under a fresh folder, with an in-process client; both closed afterwards.
/// With `databasePath`, the app opens that database instead (to reopen one, as a restart does).
func withTestApp(
    databasePath: String? = nil, _ body: (PrefectServerApp, PrefectClient) async throws -> Void
) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("server-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let app = try PrefectServerApp.open(databasePath: databasePath ?? directory.appendingPathComponent("prefect.db").path)
    defer { app.close() }
    let client = try PrefectClient(
        apiURL: EmbeddedPrefect.apiURL, transport: InProcessTransport(app: app), serverType: .ephemeral,
        settings: PrefectSettings(home: directory.path))
    do {
        try await body(app, client)
        try await client.shutdown()
    } catch {
        try? await client.shutdown()
        throw error
    }
}
