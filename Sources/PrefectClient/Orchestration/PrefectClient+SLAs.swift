public import Foundation
import HTTPTypes

/// Service level agreements (Prefect's `SlaAsyncClient`, `prefect/_experimental/sla/client.py`).
extension PrefectClient {
    /// Makes `slas` the deployment's SLAs, matched by name: new names are created, known ones
    /// updated, the others deleted (`POST /slas/apply-resource-slas/prefect.deployment.{id}`).
    ///
    /// - Throws: ``PrefectHTTPStatusError`` 404 from a self-hosted Prefect server, which does not
    ///   serve SLAs (Prefect Cloud does).
    public func applySLAsForDeployment(deploymentID: UUID, slas: [ServiceLevelAgreement]) async throws -> SlaMergeResponse {
        let resource = "prefect.deployment.\(deploymentID.prefectString)"
        let owned = slas.map { sla -> ServiceLevelAgreement in
            var sla = sla
            sla.ownerResource = resource
            return sla
        }
        return try await request(.post, "/slas/apply-resource-slas/\(resource)", json: owned).decode(SlaMergeResponse.self)
    }
}
