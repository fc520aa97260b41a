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
            let id = UUID.version4()
            let stamp = try nextStamp(db, deploymentID: deploymentID, now: now)
            try db.execute(
                sql: """
                    INSERT INTO deployment_schedule (id, deployment_id, created, updated, schedule, active, max_scheduled_runs, parameters, slug)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id.prefectString, deploymentID.prefectString, stamp, stamp, try JSONText.encode(schedule.schedule),
                            schedule.active, schedule.maxScheduledRuns, try JSONText.encode(schedule.parameters), schedule.slug])
            if let row = try rows(db, "deployment_schedule.id = ?", [id.prefectString]).first { created.append(try object(row)) }
        }
        return created
    }

    /// The deployment's schedules, most recently updated first.
    static func read(_ db: Database, deploymentID: UUID) throws -> [JSONValue] {
        try rows(db, "deployment_schedule.deployment_id = ?", [deploymentID.prefectString]).map { try object($0) }
    }

    /// The schedules of a deployment one by one, each with its id and either its object or why
    /// its row cannot be read: the scheduler skips a bad schedule, not its deployment.
    static func readEach(_ db: Database, deploymentID: UUID) throws -> [(id: String, schedule: Result<JSONValue, any Error>)] {
        try rows(db, "deployment_schedule.deployment_id = ?", [deploymentID.prefectString]).map { row in
            let id = (try? row.decode(String?.self, forColumn: "id")).flatMap { $0 } ?? deploymentID.prefectString
            return (id, Result { try object(row) })
        }
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

    /// The rows matching `condition`, most recently updated first.
    private static func rows(_ db: Database, _ condition: String, _ arguments: [any DatabaseValueConvertible]) throws -> [Row] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, created, updated, deployment_id, schedule, active, max_scheduled_runs, parameters, slug
                FROM deployment_schedule WHERE \(condition) ORDER BY updated DESC, id DESC
                """,
            arguments: StatementArguments(arguments))
    }

    /// The `DeploymentSchedule` object of a row of ``rows(_:_:_:)``.
    private static func object(_ row: Row) throws -> JSONValue {
        .object([
            "id": .string(try row.decode(forColumn: "id") ?? ""), "created": StoredTime.json(try row.decode(forColumn: "created")),
            "updated": StoredTime.json(try row.decode(forColumn: "updated")),
            "deployment_id": .string(try row.decode(forColumn: "deployment_id") ?? ""),
            "schedule": try JSONText.decode(try row.decode(forColumn: "schedule")) ?? .null,
            "active": .bool(try row.decode(forColumn: "active") ?? true),
            "max_scheduled_runs": (try row.decode(forColumn: "max_scheduled_runs") as Int64?).map(JSONValue.int) ?? .null,
            "parameters": try JSONText.decode(try row.decode(forColumn: "parameters")) ?? [:],
            "slug": (try row.decode(forColumn: "slug") as String?).map(JSONValue.string) ?? .null,
        ])
    }
}
