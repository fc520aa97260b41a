import ArgumentParser
import Foundation
import Prefect

/// `prefect-swift worker`: Prefect's `prefect worker` (`prefect/cli/worker.py`).
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Start and interact with workers.", subcommands: [Start.self])

    /// `prefect-swift worker start`: a process worker (``ProcessWorker``) for a work pool.
    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start a worker process to poll a work pool for flow runs and run them as processes.")

        @Option(name: [.customShort("p"), .long], help: "The work pool the started worker should poll.")
        var pool: String
        @Option(name: [.customShort("q"), .long], help: "One or more work queue names for the worker to pull from; all of the pool's queues when none.")
        var workQueue: [String] = []
        @Option(name: [.customShort("n"), .long], help: "The name to give to the started worker. If not provided, a unique name will be generated.")
        var name: String?
        @Option(name: [.customShort("t"), .long], help: "The type of worker to start. Only 'process' is available.")
        var type = "process"
        @Option(name: [.customShort("l"), .long], help: "Maximum number of flow runs to execute concurrently.")
        var limit: Int?
        @Flag(help: "Only run worker polling once. By default, the worker runs forever.")
        var runOnce = false

        func validate() throws {
            guard type == "process" else { throw ValidationError("Unknown worker type '\(type)': prefect-swift runs 'process' workers.") }
            if let limit, limit < 1 { throw ValidationError("--limit must be a positive integer.") }
        }

        func run() async throws {
            let settings = try loadCLISettings()
            let runtime = PrefectRuntime(settings: settings)
            let worker = ProcessWorker(workPoolName: pool, workQueueNames: workQueue, name: name, limit: limit, runtime: runtime)
            FileHandle.standardOutput.write(Data("Worker '\(worker.name)' started!\n".utf8))
            do {
                try await worker.run(once: runOnce)
            } catch {
                await runtime.shutdown()
                throw CommandFailure("\(error)")
            }
            await runtime.shutdown()
            FileHandle.standardOutput.write(Data("Worker '\(worker.name)' stopped!\n".utf8))
        }
    }
}
