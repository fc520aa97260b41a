import Foundation
import GRDB
import HTTPTypes
import PrefectSchemas

/// `PATCH /deployments/{id}` (Prefect's `api/deployments.update_deployment` with
/// `models.deployments.update_deployment`).
///
/// Schedules: when every existing and every given schedule has a slug, schedules are patched
/// by slug (or renamed through `replaces`) and new slugs created; when the existing ones all
/// have slugs and a given one lacks one, the update is refused; otherwise given schedules
/// replace them all.
enum DeploymentUpdating {
    static func apply(_ db: Database, _ stored: DeploymentStore.Stored, _ changes: DeploymentBodies.Changes, now: Date) throws {
        let id = stored.id
        var changes = changes
        let plan = try schedulePlan(db, id: id, changes.scheduleUpdates)
        if case .some(let pool?) = changes.workPoolName { _ = try WorkPoolStore.named(db, pool) }
        if case .object(let parameters)? = changes.members["parameters"] {
            do {
                changes.members["parameters"] = .object(try ParameterHydration.hydrate(parameters, db))
            } catch let failure as ParameterHydration.Failure {
                throw APIError.detail(.badRequest, "Error hydrating deployment parameters: \(failure.message)")
            }
        }
        try checkParameterSchema(stored, changes)
        try DeploymentRoutes.checkGlobalLimit(db, changes)
        let queueID = try DeploymentRoutes.resolveQueue(db, changes, clearing: true, now: now)
        try DeploymentStore.update(db, stored, changes, queueID: queueID, now: now)

        switch plan {
        case .replace(let updates):
            try DeploymentScheduleStore.deleteAll(db, deploymentID: id)
            let creates = updates.compactMap { update in
                update.schedule.map {
                    DeploymentBodies.ScheduleCreate(
                        schedule: $0, active: update.active ?? true, parameters: update.parameters, slug: update.slug)
                }
            }
            try DeploymentScheduleStore.create(db, deploymentID: id, creates, now: now)
        case .bySlug(let patches, let creates):
            var renamed: [String: UUID] = [:]
            for patch in patches {
                guard let old = patch.replaces else { continue }
                guard let scheduleID = try DeploymentScheduleStore.id(db, deploymentID: id, slug: old) else {
                    throw APIError.notFound("Schedule with slug '\(old)' no longer exists.")
                }
                renamed[old] = scheduleID
            }
            try DeploymentScheduleStore.clearSlugs(db, deploymentID: id, Array(renamed.keys))
            for patch in patches {
                if let old = patch.replaces, let scheduleID = renamed[old] {
                    _ = try DeploymentScheduleStore.update(db, deploymentID: id, id: scheduleID, patch, now: now)
                } else {
                    _ = try DeploymentScheduleStore.update(db, deploymentID: id, slug: patch.slug, patch, now: now)
                }
            }
            let schedules = creates.compactMap { update in
                update.schedule.map {
                    DeploymentBodies.ScheduleCreate(
                        schedule: $0, active: update.active ?? true, parameters: update.parameters, slug: update.slug)
                }
            }
            try DeploymentScheduleStore.create(db, deploymentID: id, schedules, now: now)
        case .keep:
            break
        }
    }

    private enum SchedulePlan {
        case keep
        case replace([DeploymentBodies.ScheduleUpdate])
        case bySlug(patch: [DeploymentBodies.ScheduleUpdate], create: [DeploymentBodies.ScheduleUpdate])
    }

    private static func schedulePlan(_ db: Database, id: UUID, _ given: [DeploymentBodies.ScheduleUpdate]?) throws -> SchedulePlan {
        let provided = given ?? []
        let existing = try DeploymentScheduleStore.slugs(db, deploymentID: id)
        let providedHaveSlugs = provided.allSatisfy { $0.slug != nil }
        let existingHaveSlugs = !existing.isEmpty && existing.allSatisfy { $0 != nil }
        guard existingHaveSlugs else { return given.map(SchedulePlan.replace) ?? .keep }
        guard providedHaveSlugs else {
            throw APIError.detail(
                .unprocessableContent,
                "Please provide a slug for each schedule in your request to ensure schedules are updated correctly.")
        }
        let current = Set(existing.compactMap { $0 })
        var targets: Set<String> = []
        for schedule in provided {
            guard let old = schedule.replaces else { continue }
            guard targets.insert(old).inserted else {
                throw APIError.detail(.unprocessableContent, "Multiple schedules have 'replaces' targeting the same slug: \(old)")
            }
        }
        for schedule in provided {
            if let slug = schedule.slug, let old = schedule.replaces, current.contains(slug), !targets.contains(slug) {
                throw APIError.detail(
                    .unprocessableContent,
                    "Cannot rename schedule from '\(old)' to '\(slug)': a schedule with slug '\(slug)' already exists.")
            }
        }
        var patch: [DeploymentBodies.ScheduleUpdate] = []
        var create: [DeploymentBodies.ScheduleUpdate] = []
        for schedule in provided {
            if let target = schedule.replaces ?? schedule.slug, current.contains(target) {
                patch.append(schedule)
            } else if schedule.schedule != nil {
                create.append(schedule)
            } else {
                throw APIError.detail(.unprocessableContent, "Unable to create new deployment schedules without a schedule configuration.")
            }
        }
        return .bySlug(patch: patch, create: create)
    }

    /// With parameter-schema enforcement (the update's, else the deployment's), the schema (the
    /// update's when it gives a non-empty one, else the deployment's) must be an object, and the
    /// parameters (the update's, else the deployment's) must fit it, `required` ignored.
    private static func checkParameterSchema(_ stored: DeploymentStore.Stored, _ changes: DeploymentBodies.Changes) throws {
        let enforce = changes.members["enforce_parameter_schema"]?.boolValue ?? stored.enforceParameterSchema
        guard enforce else { return }
        var schema = changes.members["parameter_openapi_schema"]
        if schema == nil || schema == .null || schema == [:] { schema = stored.body["parameter_openapi_schema"] }
        guard case .object(let members)? = schema else {
            throw APIError.detail(
                .conflict,
                "Error updating deployment: Cannot update parameters because parameter schema enforcement is enabled and the deployment does not have a valid parameter schema.")
        }
        let parameters = changes.members["parameters"]?.objectValue ?? stored.parameters
        do {
            try ParameterSchemaValidation.validate(parameters, schema: members, ignoreRequired: true)
        } catch {
            throw error.apiError(.conflict, prefix: "Error updating deployment")
        }
    }
}
