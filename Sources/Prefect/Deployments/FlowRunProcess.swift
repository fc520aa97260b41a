import Foundation
import PrefectClient

/// The process a runner starts for one flow run: this program again, with the same arguments
/// and environment plus `PREFECT__FLOW_RUN_ID` and the runner's `PREFECT_API_URL`, its output
/// going to the runner's own — as Prefect's runner starts `python -m prefect.engine`.
enum FlowRunProcess {
    /// This program's path (`/proc/self/exe`, so a relative `argv[0]` or a changed working
    /// directory does not matter).
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// What a deployment's `entrypoint` says: the program and its arguments.
    static var entrypoint: String {
        ([executable] + CommandLine.arguments.dropFirst()).joined(separator: " ")
    }

    /// Starts the process for `flowRunID`.
    static func start(_ flowRunID: UUID, apiURL: String) throws -> SpawnedProcess {
        var environment = ProcessInfo.processInfo.environment
        environment[FlowRunEntrypoint.variable] = flowRunID.prefectString
        environment["PREFECT_API_URL"] = apiURL
        return try SpawnedProcess(
            executable: executable, arguments: Array(CommandLine.arguments.dropFirst()), environment: environment,
            standardOutput: .inherit, standardError: .inherit)
    }
}
