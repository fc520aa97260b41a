import Foundation
import PrefectClient
import PrefectSchemas

extension PrefectDeployment {
    /// Creates the deployment, or updates the one of the same flow and name, as Prefect's
    /// `RunnerDeployment.apply()` does with `POST /deployments/` (which upserts): starting a
    /// runner again replaces its schedules and settings instead of adding a second deployment.
    ///
    /// - Returns: the deployment's id.
    func apply(client: PrefectClient, runtime: PrefectRuntime, entrypoint: String?) async throws -> UUID {
        let flowID = try await runtime.flowID(named: flowName, client: client)
        return try await client.createDeployment(
            flowID: flowID, name: name, version: version, schedules: schedules, concurrencyLimit: concurrencyLimit,
            parameters: parameters, description: description, workQueueName: workQueueName, workPoolName: workPoolName,
            tags: tags, entrypoint: entrypoint, parameterOpenapiSchema: parameterSchema, paused: paused,
            enforceParameterSchema: enforceParameterSchema, jobVariables: jobVariables)
    }
}
