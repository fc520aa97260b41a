import Foundation
import Logging
import PrefectClient

/// What one task call does with the result store — Prefect's task transaction
/// (`prefect/transactions.py`, `task_engine.py`'s `transaction_context`): whether it persists
/// its result, under which cache key, and whether a stored result answers the call instead
/// of the body.
struct ResultCaching: Sendable {
    let persist: Bool
    let refresh: Bool
    /// The cache key, when the policy makes one.
    let key: String?
    let expiration: Double?
    let store: LocalResultStore

    init<Input, Output>(
        task: PrefectTask<Input, Output>, configuration: PrefectRuntime.Configuration,
        parameters: JSONObject, flowRun: FlowRunScope?, taskRunID: UUID
    ) {
        let policy = task.cachePolicy ?? .default
        let ownPolicy = task.cachePolicy.map { !$0.isNoCache } ?? false
        persist = task.persistResult ?? (ownPolicy || configuration.persistResultsByDefault)
        refresh = task.refreshCache ?? configuration.refreshCache
        expiration = task.cacheExpiration
        store = LocalResultStore(directory: URL(fileURLWithPath: configuration.localStoragePath))
        let context = CacheKeyContext(
            taskKey: task.taskKey, taskVersion: task.version, parameters: parameters, flowRunID: flowRun?.id,
            taskRunID: taskRunID, flowParameters: flowRun?.parameters ?? [:])
        key = persist ? policy.key(for: context) : nil
    }

    /// The stored result that answers this call, if there is one and it is still valid and
    /// still an `Output`; otherwise the body runs (and says why when a record was there).
    func cached<Output: Decodable>(_ type: Output.Type, logger: Logger) -> LocalResultStore.Hit<Output>? {
        guard persist, !refresh, let key else { return nil }
        switch store.read(type, key: key) {
        case .success(let hit):
            return hit
        case .failure(let error):
            if case .undecodable(let reason) = error.miss {
                logger.warning("The cached result for key '\(key)' is not a \(Output.self) (\(reason)); running the task")
            }
            return nil
        }
    }

    /// Stores `output` when the call persists results; returns the Completed state's `data`.
    func save<Output: Encodable>(_ output: Output, logger: Logger) -> JSONValue? {
        guard persist else { return nil }
        let storageKey = key ?? UUID.version4().prefectString
        do {
            return try store.write(output, key: storageKey, expiration: expiration.map { Date().addingTimeInterval($0) })
        } catch {
            logger.warning("Failed to write result: \(error) Execution will continue, but the result has not been written")
            return nil
        }
    }
}
