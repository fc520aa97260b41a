public import Foundation

/// A deployment could not be registered on its work pool.
public struct PrefectDeploymentError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

extension PrefectDeployment {
    /// Registers `deployments` on their work pools, for that pool's workers to run — Prefect's
    /// `deploy(*deployments, work_pool_name=…)` (`prefect/deployments/runner.py`). Each
    /// deployment's job variables carry `command`: this program and `command` (default: the
    /// arguments it was started with), which a `process` worker — Prefect's own
    /// `prefect worker start --type process` or `prefect-swift worker start` — runs with
    /// `PREFECT__FLOW_RUN_ID` set. That invocation reaches this method (or
    /// ``PrefectRunner/run()``) again, which then runs the flow run and exits.
    ///
    /// - Parameters:
    ///   - workPool: the pool of every deployment that names none.
    ///   - command: the arguments after the program's path in the job's command.
    /// - Returns: the deployments' ids.
    /// - Throws: ``PrefectDeploymentError`` when a deployment has no work pool or its pool
    ///   does not exist, and the client's errors.
    @discardableResult
    public static func deploy(
        _ deployments: [PrefectDeployment], workPool: String? = nil, command: [String]? = nil,
        runtime: PrefectRuntime = .current
    ) async throws -> [UUID] {
        if let flowRunID = FlowRunEntrypoint.flowRunID {
            exit(await FlowRunEntrypoint.run(flowRunID, deployments: deployments, runtime: runtime))
        }
        let client = try await runtime.client()
        let commandLine = FlowRunProcess.commandLine(arguments: command ?? Array(CommandLine.arguments.dropFirst()))
        var ids: [UUID] = []
        for var deployment in deployments {
            guard let pool = deployment.workPoolName ?? workPool else {
                throw PrefectDeploymentError(
                    message: "Deployment '\(deployment.qualifiedName)' names no work pool: give workPool or workPoolName.")
            }
            do {
                _ = try await client.readWorkPool(workPoolName: pool)
            } catch is ObjectNotFound {
                throw PrefectDeploymentError(
                    message: "Could not find work pool '\(pool)'. Please create it before deploying this flow (prefect-swift worker start --pool \(pool) creates a process pool).")
            }
            deployment.workPoolName = pool
            if deployment.jobVariables["command"] == nil { deployment.jobVariables["command"] = .string(commandLine) }
            ids.append(try await deployment.apply(client: client, runtime: runtime, entrypoint: commandLine))
        }
        return ids
    }
}

extension PrefectFlow {
    /// Registers this flow as the deployment `name` on the work pool `workPool`, for its
    /// workers to run — Prefect's `flow.deploy(...)`. See
    /// ``PrefectDeployment/deploy(_:workPool:command:runtime:)``.
    @discardableResult
    public func deploy(
        name: String,
        workPool: String,
        workQueue: String? = nil,
        interval: Double? = nil,
        cron: String? = nil,
        rrule: String? = nil,
        timezone: String? = nil,
        parameters: JSONObject = [:],
        tags: [String] = [],
        description: String? = nil,
        version: String? = nil,
        concurrencyLimit: Int? = nil,
        paused: Bool = false,
        enforceParameterSchema: Bool = true,
        jobVariables: JSONObject = [:],
        command: [String]? = nil,
        runtime: PrefectRuntime = .current
    ) async throws -> UUID {
        let deployment = deployment(
            name: name, interval: interval, cron: cron, rrule: rrule, timezone: timezone, parameters: parameters,
            tags: tags, description: description, version: version, concurrencyLimit: concurrencyLimit, paused: paused,
            enforceParameterSchema: enforceParameterSchema, workPoolName: workPool, workQueueName: workQueue,
            jobVariables: jobVariables)
        let ids = try await PrefectDeployment.deploy([deployment], command: command, runtime: runtime)
        guard let id = ids.first else { throw PrefectDeploymentError(message: "Deployment '\(name)' was not registered.") }
        return id
    }
}
