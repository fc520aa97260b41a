import Foundation
import GRDB
import PrefectSchemas

/// Deployment schedules in table `deployment_schedule` (Prefect's `models/deployments.py`).
enum DeploymentScheduleStore {
    /// `create_deployment_schedules`; a slug taken in the deployment violates the unique index.
    @discardableResult
    static func create(_ db: Database, deploymentID: UUID, _ schedules: [DeploymentBodies.ScheduleCreate], now: Date) throws -> [JSONValue] {
        var created: [JSONValue] = []
        for schedule in schedules {
            let id = UUID()
            let stamp = try nextStamp(db, deploymentID: deploymentID, now: now)
            try db.execute(
                sql: """
                    INSERT INTO deployment_schedule (id, deployment_id, created, updated, schedule, active, max_scheduled_runs, parameters, slug)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id.prefectString, deploymentID.prefectString, stamp, stamp, try JSONText.encode(schedule.schedule),
                            schedule.active, schedule.maxScheduledRuns, try JSONText.encode(schedule.parameters), schedule.slug])
            if let row = try fetch(db, "deployment_schedule.id = ?", [id.prefectString]).first { created.append(row) }
        }
        return created
    }

    /// The deployment's schedules, most recently updated first.
    static func read(_ db: Database, deploymentID: UUID) throws -> [JSONValue] {
        try fetch(db, "deployment_schedule.deployment_id = ?", [deploymentID.prefectString])
    }

    /// `update_deployment_schedule` by id or by slug: the members that are not None (so absent
    /// `parameters` become `{}`, as in Prefect). False when no schedule matched.
    static func update(_ db: Database, deploymentID: UUID, id: UUID? = nil, slug: String? = nil,
                       _ update: DeploymentBodies.ScheduleUpdate, now: Date) throws -> Bool {
        var sets = ["updated = ?", "parameters = ?"]
        var arguments: [any DatabaseValueConvertible] = [
            try nextStamp(db, deploymentID: deploymentID, now: now), try JSONText.encode(update.parameters),
        ]
        if let schedule = update.schedule {
            sets.append("schedule = ?")
            arguments.append(try JSONText.encode(schedule))
        }
        if let active = update.active {
            sets.append("active = ?")
            arguments.append(active)
        }
        if let limit = update.maxScheduledRuns {
            sets.append("max_scheduled_runs = ?")
            arguments.append(limit)
        }
        if let newSlug = update.slug {
            sets.append("slug = ?")
            arguments.append(newSlug)
        }
        let target: String
        if let id {
            target = "id = ?"
            arguments.append(id.prefectString)
        } else if let slug {
            target = "slug = ?"
            arguments.append(slug)
        } else {
            return false
        }
        arguments.append(deploymentID.prefectString)
        try db.execute(
            sql: "UPDATE deployment_schedule SET \(sets.joined(separator: ", ")) WHERE \(target) AND deployment_id = ?",
            arguments: StatementArguments(arguments))
        return db.changesCount > 0
    }

    /// A time after every stamp of the deployment's schedules: writes in one request are ordered
    /// as Prefect's flushes order them (the latest write is the most recently updated).
    private static func nextStamp(_ db: Database, deploymentID: UUID, now: Date) throws -> Int64 {
        let latest = try Int64.fetchOne(
            db, sql: "SELECT MAX(updated) FROM deployment_schedule WHERE deployment_id = ?", arguments: [deploymentID.prefectString])
        return max(StoredTime.micros(now), (latest ?? 0) + 1)
    }

    /// The id of the deployment's schedule with `slug`.
    static func id(_ db: Database, deploymentID: UUID, slug: String) throws -> UUID? {
        try String.fetchOne(
            db, sql: "SELECT id FROM deployment_schedule WHERE deployment_id = ? AND slug = ?", arguments: [deploymentID.prefectString, slug]
        ).flatMap(UUID.init(uuidString:))
    }

    /// Clears the slugs of the deployment's schedules in `slugs` (before renames, so the unique
    /// index does not block them).
    static func clearSlugs(_ db: Database, deploymentID: UUID, _ slugs: [String]) throws {
        guard !slugs.isEmpty else { return }
        try db.execute(
            sql: "UPDATE deployment_schedule SET slug = NULL WHERE deployment_id = ? AND slug IN (\(SQLCondition.placeholders(slugs.count)))",
            arguments: StatementArguments([deploymentID.prefectString] + slugs))
    }

    /// The slugs of the deployment's schedules (nil for one without).
    static func slugs(_ db: Database, deploymentID: UUID) throws -> [String?] {
        try Row.fetchAll(db, sql: "SELECT slug FROM deployment_schedule WHERE deployment_id = ?", arguments: [deploymentID.prefectString])
            .map { $0["slug"] }
    }

    static func delete(_ db: Database, deploymentID: UUID, id: UUID) throws -> Bool {
        try db.execute(
            sql: "DELETE FROM deployment_schedule WHERE id = ? AND deployment_id = ?", arguments: [id.prefectString, deploymentID.prefectString])
        return db.changesCount > 0
    }

    static func deleteAll(_ db: Database, deploymentID: UUID) throws {
        try db.execute(sql: "DELETE FROM deployment_schedule WHERE deployment_id = ?", arguments: [deploymentID.prefectString])
    }

    /// `DeploymentSchedule` objects of the rows matching `condition`, most recently updated first.
    private static func fetch(_ db: Database, _ condition: String, _ arguments: [any DatabaseValueConvertible]) throws -> [JSONValue] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, created, updated, deployment_id, schedule, active, max_scheduled_runs, parameters, slug
                FROM deployment_schedule WHERE \(condition) ORDER BY updated DESC, id DESC
                """,
            arguments: StatementArguments(arguments)
        ).map { row in
            .object([
                "id": .string(row["id"] ?? ""), "created": StoredTime.json(row["created"]), "updated": StoredTime.json(row["updated"]),
                "deployment_id": .string(row["deployment_id"] ?? ""),
                "schedule": try JSONText.decode(row["schedule"]) ?? .null, "active": .bool(row["active"] ?? true),
                "max_scheduled_runs": (row["max_scheduled_runs"] as Int64?).map(JSONValue.int) ?? .null,
                "parameters": try JSONText.decode(row["parameters"]) ?? [:], "slug": (row["slug"] as String?).map(JSONValue.string) ?? .null,
            ])
        }
    }

}
