// prefect-test-flows: flows the runtime tests run in a process of their own, to signal it,
// kill it or read what it prints.
//
//   prefect-test-flows hold     a flow whose task prints "ready FLOW_RUN_ID TASK_RUN_ID" and
//                               waits ten minutes; the test then sends it a signal (on a loaded
//                               server the crash proposals, retried, took over a minute, and the
//                               task finished meanwhile)
//   prefect-test-flows serve SUFFIX
//                               serves three deployments with PrefectRunner, each run in a
//                               process of its own (this program again): served-echo-SUFFIX/echo
//                               (every 5 s; a task greets `name` `count` times), served-sleep-SUFFIX/sleep
//                               (sleeps ten minutes, to be cancelled or killed) and
//                               served-crash-SUFFIX/crash (exits with status 3 mid-run)
//   prefect-test-flows deploy-count POOL SUFFIX
//                               registers scale-count-SUFFIX/count on POOL: each run appends its
//                               flow run id to the file its `file` parameter names (the scale
//                               test counts them)
//   prefect-test-flows deploy POOL SUFFIX
//                               registers the same three deployments, without schedules, on the
//                               process work pool POOL; a worker runs them as this program with
//                               the same arguments and PREFECT__FLOW_RUN_ID set
import Foundation
import Prefect

let wait = PrefectTask("wait-for-signal") { (_: NoParameters) -> Int in
    let line = "ready \(RunContext.flowRunID?.prefectString ?? "-") \(RunContext.taskRunID?.prefectString ?? "-")\n"
    FileHandle.standardOutput.write(Data(line.utf8))
    RunContext.logger.info("waiting for a signal")
    try await Task.sleep(for: .seconds(600))
    return 0
}

let hold = PrefectFlow("signal-test") { () -> Int in try await wait() }

struct Greeting: Codable, Sendable, ParameterDefaults {
    var name: String
    var count: Int
    static var parameterDefaults: JSONObject { ["count": 1] }
}

let greet = PrefectTask("greet") { (greeting: Greeting) -> String in
    Array(repeating: "hello \(greeting.name)", count: max(0, greeting.count)).joined(separator: ", ")
}

func served(_ suffix: String, scheduled: Bool = true) -> [PrefectDeployment] {
    let echo = PrefectFlow("served-echo-\(suffix)") { (greeting: Greeting) in try await greet(greeting) }
    let sleep = PrefectFlow("served-sleep-\(suffix)") { () -> Int in
        try await Task.sleep(for: .seconds(600))
        return 0
    }
    let crash = PrefectFlow("served-crash-\(suffix)") { () -> Int in exit(3) }
    return [
        echo.deployment(name: "echo", interval: scheduled ? 5 : nil, parameters: ["name": "schedule"]),
        sleep.deployment(name: "sleep"),
        crash.deployment(name: "crash"),
    ]
}

struct CountedRun: Codable, Sendable {
    var file: String
}

/// Appends the running flow run's id and a newline to `file` in one write (O_APPEND: whole
/// lines even with many processes writing at once).
func appendRunID(to file: String) throws {
    let line = Array("\(RunContext.flowRunID?.prefectString ?? "-")\n".utf8)
    let descriptor = open(file, O_WRONLY | O_APPEND | O_CREAT, 0o644)
    guard descriptor >= 0 else { throw POSIXError(.EIO) }
    defer { close(descriptor) }
    guard line.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == line.count else { throw POSIXError(.EIO) }
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "hold":
    _ = try? await hold.run()
    exit(0)
case "serve" where arguments.count == 2:
    try await PrefectRunner(deployments: served(arguments[1])).run()
case "deploy-count" where arguments.count == 3:
    let count = PrefectFlow("scale-count-\(arguments[2])") { (run: CountedRun) -> Int in
        try appendRunID(to: run.file)
        return 1
    }
    try await PrefectDeployment.deploy([count.deployment(name: "count")], workPool: arguments[1])
    await PrefectRuntime.shared.shutdown()
case "deploy" where arguments.count == 3:
    let ids = try await PrefectDeployment.deploy(served(arguments[2], scheduled: false), workPool: arguments[1])
    print(ids.map(\.prefectString).joined(separator: " "))
    await PrefectRuntime.shared.shutdown()
default:
    FileHandle.standardError.write(Data("usage: prefect-test-flows hold | serve SUFFIX | deploy POOL SUFFIX | deploy-count POOL SUFFIX\n".utf8))
    exit(2)
}
