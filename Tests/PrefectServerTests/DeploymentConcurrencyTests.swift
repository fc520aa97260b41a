import Foundation
import GRDB
import PrefectClient
@testable import PrefectServer
import Testing

/// Deployment concurrency beyond what the REST API can set up on Prefect 3.9.1 without the v2
/// concurrency-limit routes: a limit of 0, and a lease the repossessor reclaims.
@Suite("Deployment concurrency: limit 0, expired leases")
struct DeploymentConcurrencyTests {
    private func activeSlots(_ app: PrefectServerApp, _ client: PrefectClient, _ deploymentID: UUID) async throws -> Int? {
        try await client.readDeployment(deploymentID: deploymentID).globalConcurrencyLimit?.activeSlots
    }

    @Test("a limit of 0 aborts the run's way to Pending with Prefect's reason")
    func limitZeroAborts() async throws {
        try await withTestApp { app, client in
            let flowID = try await client.createFlowFromName("zero")
            let deploymentID = try await client.createDeployment(flowID: flowID, name: "zero", concurrencyLimit: 1)
            try await app.database.pool.write { db in
                try db.execute(sql: "UPDATE concurrency_limit_v2 SET \"limit\" = 0")
            }
            let run = try await client.createFlowRunFromDeployment(deploymentID: deploymentID)
            let result = try await client.setFlowRunState(flowRunID: run.id, state: .pending())
            #expect(result.status == .abort)
            #expect(result.details.reason == "The deployment concurrency limit is 0. The flow will deadlock if submitted again.")
            #expect(try await client.readFlowRun(flowRunID: run.id).stateType == .scheduled)
        }
    }

    @Test("an expired lease gives its slot back to the next run")
    func repossessorReclaimsExpiredLeases() async throws {
        try await withTestApp { app, client in
            let flowID = try await client.createFlowFromName("leased")
            let deploymentID = try await client.createDeployment(flowID: flowID, name: "leased", concurrencyLimit: 1)
            let first = try await client.createFlowRunFromDeployment(deploymentID: deploymentID)
            let second = try await client.createFlowRunFromDeployment(deploymentID: deploymentID)
            #expect(try await client.setFlowRunState(flowRunID: first.id, state: .pending()).status == .accept)
            #expect(try await client.setFlowRunState(flowRunID: second.id, state: .pending()).status == .reject)
            #expect(try await activeSlots(app, client, deploymentID) == 1)
            #expect(try await Repossessor.pass(app.database, now: Date()) == 0, "the lease has not expired")
            // Past the default 300 s lease, the slot goes back.
            #expect(try await Repossessor.pass(app.database, now: Date().addingTimeInterval(301)) == 1)
            #expect(try await activeSlots(app, client, deploymentID) == 0)
            _ = try await client.setFlowRunState(flowRunID: second.id, state: .scheduled(at: Date().addingTimeInterval(-1)), force: true)
            #expect(try await client.setFlowRunState(flowRunID: second.id, state: .pending()).status == .accept)
            #expect(try await activeSlots(app, client, deploymentID) == 1)
        }
    }

    @Test("a CANCEL_NEW deployment with every slot taken: a run going Late is Cancelled instead")
    func lateRunsOfAFullCancelNewDeployment() async throws {
        try await withTestApp { app, client in
            let flowID = try await client.createFlowFromName("late-cancel")
            let deploymentID = try await client.createDeployment(
                flowID: flowID, name: "full", concurrencyLimit: 1,
                concurrencyOptions: ConcurrencyOptions(collisionStrategy: .cancelNew))
            let holder = try await client.createFlowRunFromDeployment(deploymentID: deploymentID)
            #expect(try await client.setFlowRunState(flowRunID: holder.id, state: .pending()).status == .accept)
            let late = try await client.createFlowRunFromDeployment(
                deploymentID: deploymentID, state: .scheduled(at: Date().addingTimeInterval(-3600)))
            #expect(try await LateRuns.pass(app.database, afterSeconds: 15, now: Date()) == 0)
            let read = try await client.readFlowRun(flowRunID: late.id)
            #expect(read.stateType == .cancelled && read.state?.message == "Deployment concurrency limit reached.")
        }
    }
}
