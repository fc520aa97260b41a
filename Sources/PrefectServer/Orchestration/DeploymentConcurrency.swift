import Foundation
import GRDB
import PrefectSchemas

/// What the deployment-concurrency rules read of a run's deployment: its own global limit and
/// its `concurrency_options` (Prefect's `deployment.global_concurrency_limit`).
struct DeploymentConcurrency {
    /// How long a new or renewed deployment lease lasts without `grace_period_seconds`
    /// (`PREFECT_SERVER_CONCURRENCY_INITIAL_DEPLOYMENT_LEASE_DURATION`).
    static let initialLeaseDuration: TimeInterval = 300
    /// When a run that found no slot tries again (`PREFECT_SERVER_DEPLOYMENTS_CONCURRENCY_SLOT_WAIT_SECONDS`).
    static let slotWaitSeconds: TimeInterval = 30
    /// Worker versions that take deployment slots themselves (`WORKER_VERSIONS_THAT_MANAGE_DEPLOYMENT_CONCURRENCY`).
    static let selfManagingWorkerVersions: Set<String> = ["3.0.0rc20", "3.0.0", "3.0.1", "3.0.2", "3.0.3"]

    let limitID: UUID?
    /// The limit's size; nil when the deployment has no limit.
    let limit: Int?
    let cancelsNew: Bool
    let leaseDuration: TimeInterval

    /// The run's deployment, or nil when it no longer exists.
    init?(_ db: Database, deploymentID: UUID) throws {
        guard let deployment = try DeploymentStore.read(db, id: deploymentID) else { return nil }
        limitID = deployment.concurrencyLimitID
        limit = try limitID.flatMap {
            try Int.fetchOne(db, sql: "SELECT \"limit\" FROM concurrency_limit_v2 WHERE id = ?", arguments: [$0.prefectString])
        }
        let options = deployment.body["concurrency_options"]
        cancelsNew = options?["collision_strategy"]?.stringValue == "CANCEL_NEW"
        leaseDuration = options?["grace_period_seconds"].flatMap { value -> TimeInterval? in
            switch value {
            case .int(let seconds): TimeInterval(seconds)
            case .double(let seconds): seconds
            default: nil
            }
        } ?? Self.initialLeaseDuration
    }
}
