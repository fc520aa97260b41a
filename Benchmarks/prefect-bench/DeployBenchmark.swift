import ArgumentParser
import Foundation
import Prefect

/// The Swift side of `Benchmarks/deploy-compare.sh`: a no-op flow served by ``PrefectRunner``
/// or registered on a process pool for workers, against `PREFECT_API_URL`.
///
/// A runner's or worker's flow-run process is this command again (`PREFECT__FLOW_RUN_ID` set),
/// which then runs that one run and exits.
struct ServeNoopBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve-noop", abstract: "Serve the no-op flow bench-noop-NAME as NAME/serve.")

    @Option(help: "Names the flow (bench-noop-NAME).")
    var name: String
    @Option(help: "At most this many runs at once.")
    var limit = 10
    @Flag(help: "Run each flow run as a task of the runner, not a process of its own.")
    var inProcess = false

    func run() async throws {
        try await PrefectRunner(
            deployments: [noopFlow(name).deployment(name: "serve")], limit: limit,
            execution: inProcess ? .inProcess : .subprocess
        ).run()
    }
}

struct DeployNoopBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy-noop", abstract: "Register the no-op flow bench-noop-NAME as NAME/deploy on a process pool.")

    @Option(help: "Names the flow (bench-noop-NAME).")
    var name: String
    @Option(help: "The process work pool.")
    var pool: String

    func run() async throws {
        try await PrefectDeployment.deploy([noopFlow(name).deployment(name: "deploy")], workPool: pool)
        await PrefectRuntime.shared.shutdown()
    }
}

/// A flow that does nothing but exist in Prefect.
func noopFlow(_ name: String) -> PrefectFlow<NoParameters, Int> {
    PrefectFlow("bench-noop-\(name)") { () -> Int in 1 }
}
