import Foundation
import GRDB
import PrefectClient
import PrefectSchemas
@testable import PrefectServer
import Testing

/// The Foreman (`prefect/server/services/foreman.py`) on a real database, at a chosen time.
@Suite("Foreman: stale workers, pools, deployments and queues")
struct ForemanTests {
    @Test("a pass marks what stopped answering OFFLINE and NOT_READY, announces it, and leaves the rest")
    func pass() async throws {
        try await withTestApp { app, client in
            let pool = "foreman-\(UUID().uuidString.prefix(8))"
            _ = try await client.createWorkPool(WorkPoolCreate(name: pool, type: "process"))
            let flowID = try await client.createFlowFromName("foreman")
            let deploymentID = try await client.createDeployment(flowID: flowID, name: "polled", workPoolName: pool)
            // The passes' clocks count from the heartbeat, however long a loaded machine takes.
            let beat = Date()
            try await client.sendWorkerHeartbeat(workPoolName: pool, workerName: "w", heartbeatIntervalSeconds: 10)
            _ = try await client.getScheduledFlowRunsForWorkPool(workPoolName: pool)
            _ = try await client.getScheduledFlowRunsForDeployments(deploymentIDs: [deploymentID])
            #expect(try await client.readWorkPool(workPoolName: pool).status == .ready)
            #expect(try await client.readDeployment(deploymentID: deploymentID).status == .ready)

            let settings = Foreman.Settings()
            let soon = beat.addingTimeInterval(20)
            try await Foreman.pass(app.database, settings, now: soon, skipped: SkippedRows(service: "foreman", logger: app.logger))
            #expect(try await client.readWorkersForWorkPool(workPoolName: pool).map(\.status) == [.online], "within 3 × 10 s")
            #expect(try await client.readWorkPool(workPoolName: pool).status == .ready)

            let announced = { try await app.database.pool.read { db in
                try String.fetchAll(db, sql: "SELECT event FROM events WHERE event LIKE '%not-ready' ORDER BY rowid")
            } }
            let before = try await announced()
            let later = beat.addingTimeInterval(120)
            try await Foreman.pass(app.database, settings, now: later, skipped: SkippedRows(service: "foreman", logger: app.logger))
            #expect(try await client.readWorkersForWorkPool(workPoolName: pool).map(\.status) == [.offline])
            let stalePool = try await client.readWorkPool(workPoolName: pool)
            #expect(stalePool.status == .notReady)
            #expect(try await client.readDeployment(deploymentID: deploymentID).status == .notReady)
            let queue = try await client.readWorkQueue(id: try #require(stalePool.defaultQueueID))
            #expect(queue.status == .notReady)

            let after = try await announced()
            #expect(Array(after.dropFirst(before.count)) == [
                "prefect.work-pool.not-ready", "prefect.deployment.not-ready", "prefect.work-queue.not-ready",
            ])
            try await Foreman.pass(app.database, settings, now: later, skipped: SkippedRows(service: "foreman", logger: app.logger))
            #expect(try await announced() == after, "nothing is announced twice")
        }
    }
}
