public import Foundation
import HTTPTypes

extension PrefectClient {
    /// Adds schedules to a deployment (`POST /deployments/{id}/schedules`).
    public func createDeploymentSchedules(
        deploymentID: UUID, schedules: [DeploymentScheduleCreate]
    ) async throws -> [DeploymentSchedule] {
        try await request(
            .post, "/deployments/\(Self.segment(deploymentID))/schedules", json: schedules, errors: .notFound
        ).decode([DeploymentSchedule].self)
    }

    /// Adds schedules given as (schedule, active) pairs, all with the same run limit,
    /// parameters and slug (Prefect's tuple form of `create_deployment_schedules`).
    public func createDeploymentSchedules(
        deploymentID: UUID, schedules: [(schedule: Schedule, active: Bool)], maxScheduledRuns: Int? = nil,
        parameters: JSONObject = [:], slug: String? = nil
    ) async throws -> [DeploymentSchedule] {
        let creates = schedules.map {
            DeploymentScheduleCreate(
                schedule: $0.schedule, active: $0.active, maxScheduledRuns: maxScheduledRuns, parameters: parameters,
                slug: slug)
        }
        return try await createDeploymentSchedules(deploymentID: deploymentID, schedules: creates)
    }

    /// A deployment's schedules (`GET /deployments/{id}/schedules`).
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such deployment.
    public func readDeploymentSchedules(deploymentID: UUID) async throws -> [DeploymentSchedule] {
        try await request(.get, "/deployments/\(Self.segment(deploymentID))/schedules", errors: .notFound)
            .decode([DeploymentSchedule].self)
    }

    /// Changes the given fields of one schedule (`PATCH /deployments/{id}/schedules/{schedule_id}`).
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such deployment or schedule.
    public func updateDeploymentSchedule(
        deploymentID: UUID, scheduleID: UUID, active: Bool? = nil, schedule: Schedule? = nil,
        maxScheduledRuns: Int? = nil, parameters: JSONObject? = nil, slug: String? = nil
    ) async throws {
        let update = DeploymentScheduleUpdate(
            schedule: schedule, active: active, maxScheduledRuns: maxScheduledRuns, parameters: parameters, slug: slug)
        _ = try await request(
            .patch, "/deployments/\(Self.segment(deploymentID))/schedules/\(Self.segment(scheduleID))", json: update,
            errors: .notFound)
    }

    /// Removes one schedule (`DELETE /deployments/{id}/schedules/{schedule_id}`).
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such deployment or schedule.
    public func deleteDeploymentSchedule(deploymentID: UUID, scheduleID: UUID) async throws {
        _ = try await request(
            .delete, "/deployments/\(Self.segment(deploymentID))/schedules/\(Self.segment(scheduleID))",
            errors: .notFound)
    }
}
