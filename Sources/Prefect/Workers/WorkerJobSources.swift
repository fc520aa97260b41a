import Foundation
import PrefectClient
import PrefectSchemas

/// The pool and deployments a worker builds its jobs from, read at most once per `maxAge`
/// seconds each, and the names of their flows, read once — Prefect's worker reads the pool once
/// per poll (`sync_with_backend`) but the deployment and the flow once per run, three requests
/// per run that a busy server answers slowly.
actor WorkerJobSources {
    private struct Entry<Value> {
        let value: Value
        let read: ContinuousClock.Instant
    }

    private let client: PrefectClient
    private let poolName: String
    private let maxAge: Duration
    private var pool: Entry<WorkPool>?
    private var deployments: [UUID: Entry<DeploymentResponse>] = [:]
    /// Flows' names by id: a flow's name never changes.
    private var flowNames: [UUID: String] = [:]

    init(client: PrefectClient, poolName: String, maxAge: Double) {
        self.client = client
        self.poolName = poolName
        self.maxAge = .wait(seconds: maxAge)
    }

    /// The pool, as read within the last `maxAge` seconds.
    func workPool() async throws -> WorkPool {
        if let pool, ContinuousClock.now - pool.read < maxAge { return pool.value }
        let value = try await client.readWorkPool(workPoolName: poolName)
        pool = Entry(value: value, read: .now)
        return value
    }

    /// The deployment `id`, as read within the last `maxAge` seconds.
    func deployment(_ id: UUID) async throws -> DeploymentResponse {
        if let entry = deployments[id], ContinuousClock.now - entry.read < maxAge { return entry.value }
        let value = try await client.readDeployment(deploymentID: id)
        deployments = deployments.filter { ContinuousClock.now - $0.value.read < maxAge }
        deployments[id] = Entry(value: value, read: .now)
        return value
    }

    /// The name of the flow `id`.
    func flowName(_ id: UUID) async throws -> String {
        if let name = flowNames[id] { return name }
        let name = try await client.readFlow(flowID: id).name
        flowNames[id] = name
        return name
    }
}
