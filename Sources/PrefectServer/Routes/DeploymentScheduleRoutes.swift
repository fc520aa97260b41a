import Foundation
import Hummingbird
import PrefectSchemas

/// `/deployments/{id}/schedules` (Prefect's `api/deployments.py`): read, create several,
/// update and delete one; a change deletes the deployment's auto-scheduled runs still to come
/// (on delete, all of them), so the scheduler makes them again from the new schedules.
enum DeploymentScheduleRoutes {
    static func register(on deployments: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        deployments.get(":id/schedules") { _, context -> Response in
            let id = try context.uuid("id")
            let schedules = try await env.read { db -> [JSONValue] in
                guard try DeploymentStore.read(db, id: id) != nil else { throw APIError.notFound("Deployment not found.") }
                return try DeploymentScheduleStore.read(db, deploymentID: id)
            }
            return JSONResponse.make(schedules)
        }

        deployments.post(":id/schedules") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            let creates = try await DeploymentBodies.scheduleCreates(from: request, now: clock.now)
            let created = try await env.write { db -> [JSONValue] in
                guard try DeploymentStore.read(db, id: id) != nil else { throw APIError.notFound("Deployment not found.") }
                return try DeploymentScheduleStore.create(db, deploymentID: id, creates, now: clock.now)
            }
            return JSONResponse.make(created, status: .created)
        }

        deployments.patch(":id/schedules/:schedule_id") { request, context -> Response in
            let id = try context.uuid("id")
            let scheduleID = try context.uuid("schedule_id")
            let clock = RequestClock(request)
            let update = try await DeploymentBodies.scheduleUpdate(from: request, now: clock.now)
            try await env.write { db in
                guard try DeploymentStore.read(db, id: id) != nil else { throw APIError.notFound("Deployment not found.") }
                guard try DeploymentScheduleStore.update(db, deploymentID: id, id: scheduleID, update, now: clock.now) else {
                    throw APIError.notFound("Schedule not found.")
                }
                try DeploymentRuns.deleteScheduled(db, deploymentID: id, autoScheduledOnly: true, futureOnly: true, now: clock.now)
            }
            return JSONResponse.noContent()
        }

        deployments.delete(":id/schedules/:schedule_id") { request, context -> Response in
            let id = try context.uuid("id")
            let scheduleID = try context.uuid("schedule_id")
            let clock = RequestClock(request)
            try await env.write { db in
                guard try DeploymentStore.read(db, id: id) != nil else { throw APIError.notFound("Deployment not found.") }
                guard try DeploymentScheduleStore.delete(db, deploymentID: id, id: scheduleID) else {
                    throw APIError.notFound("Schedule not found.")
                }
                try DeploymentRuns.deleteScheduled(db, deploymentID: id, autoScheduledOnly: true, futureOnly: false, now: clock.now)
            }
            return JSONResponse.noContent()
        }
    }
}
