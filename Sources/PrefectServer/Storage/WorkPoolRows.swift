import Foundation
import GRDB
import PrefectSchemas

/// Work pools, queues and workers as their rows hold them.
enum WorkPoolRows {
    static let poolColumns = """
        work_pool.id, work_pool.name, work_pool.created, work_pool.updated, work_pool.description, work_pool.type,
        work_pool.base_job_template, work_pool.is_paused, work_pool.concurrency_limit, work_pool.status,
        work_pool.default_queue_id, work_pool.storage_configuration
        """

    static let queueColumns = """
        work_queue.id, work_queue.name, work_queue.created, work_queue.updated, work_queue.description,
        work_queue.is_paused, work_queue.concurrency_limit, work_queue.priority, work_queue.work_pool_id,
        work_queue.filter, work_queue.last_polled, work_queue.status, work_pool.name AS work_pool_name
        """

    static let workerColumns = """
        worker.id, worker.name, worker.created, worker.updated, worker.work_pool_id, worker.last_heartbeat_time,
        worker.heartbeat_interval_seconds, worker.status
        """

    static func pool(_ row: Row) throws -> WorkPool {
        WorkPool(
            id: try uuid(row, "id"), created: try time(row, "created"), updated: try time(row, "updated"),
            name: try required(row, "name"), description: try row.decode(forColumn: "description"), type: try required(row, "type"),
            baseJobTemplate: try json(row, "base_job_template") ?? [:], isPaused: (try row.decode(forColumn: "is_paused") as Bool?) ?? false,
            concurrencyLimit: try row.decode(forColumn: "concurrency_limit"), status: (try row.decode(forColumn: "status") as String?).map(WorkPoolStatus.init(rawValue:)),
            storageConfiguration: try json(row, "storage_configuration") ?? WorkPoolStorageConfiguration(),
            defaultQueueID: (try row.decode(forColumn: "default_queue_id") as String?).flatMap(UUID.init(uuidString:)))
    }

    static func queue(_ row: Row) throws -> WorkQueue {
        WorkQueue(
            id: try uuid(row, "id"), created: try time(row, "created"), updated: try time(row, "updated"),
            name: try required(row, "name"), description: try row.decode(forColumn: "description"),
            isPaused: (try row.decode(forColumn: "is_paused") as Bool?) ?? false, concurrencyLimit: try row.decode(forColumn: "concurrency_limit"),
            priority: try required(row, "priority"), workPoolName: try row.decode(forColumn: "work_pool_name"),
            workPoolID: (try row.decode(forColumn: "work_pool_id") as String?).flatMap(UUID.init(uuidString:)),
            filter: try json(row, "filter"), lastPolled: try time(row, "last_polled"),
            status: (try row.decode(forColumn: "status") as String?).map(WorkQueueStatus.init(rawValue:)))
    }

    static func worker(_ row: Row) throws -> Worker {
        Worker(
            id: try uuid(row, "id"), created: try time(row, "created"), updated: try time(row, "updated"),
            name: try required(row, "name"), workPoolID: try uuid(row, "work_pool_id"),
            lastHeartbeatTime: try time(row, "last_heartbeat_time"), heartbeatIntervalSeconds: try row.decode(forColumn: "heartbeat_interval_seconds"),
            status: WorkerStatus(rawValue: try required(row, "status")))
    }

    private static func required<T: DatabaseValueConvertible>(_ row: Row, _ column: String) throws -> T {
        guard let value = try row.decode(forColumn: column) as T? else {
            throw PrefectServerUnavailable(description: "stored row without \(column)")
        }
        return value
    }

    private static func uuid(_ row: Row, _ column: String) throws -> UUID {
        guard let id = UUID(uuidString: try required(row, column) as String) else {
            throw PrefectServerUnavailable(description: "stored \(column) is not a UUID")
        }
        return id
    }

    private static func time(_ row: Row, _ column: String) throws -> Date? {
        (try row.decode(forColumn: column) as Int64?).map(StoredTime.date)
    }

    private static func json<T: Decodable>(_ row: Row, _ column: String) throws -> T? {
        guard let text = try row.decode(forColumn: column) as String? else { return nil }
        return try PrefectJSON.decode(T.self, from: Data(text.utf8))
    }
}
