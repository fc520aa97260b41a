// prefect-test-flows: flows the runtime tests run in a process of their own, to signal it,
// kill it or read what it prints.
//
//   prefect-test-flows hold     a flow whose task prints "ready FLOW_RUN_ID TASK_RUN_ID" and
//                               waits ten minutes; the test then sends it a signal (on a loaded
//                               server the crash proposals, retried, took over a minute, and the
//                               task finished meanwhile)
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

switch CommandLine.arguments.dropFirst().first {
case "hold":
    _ = try? await hold.run()
    exit(0)
default:
    FileHandle.standardError.write(Data("usage: prefect-test-flows hold\n".utf8))
    exit(2)
}
