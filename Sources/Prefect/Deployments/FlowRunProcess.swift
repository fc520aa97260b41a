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
        commandLine(arguments: Array(CommandLine.arguments.dropFirst()))
    }

    /// This program and `arguments` as one command line, each word quoted for the POSIX shell
    /// where it needs it, as a process worker splits it (`shlex.split`).
    static func commandLine(arguments: [String]) -> String {
        ([executable] + arguments).map(shellQuoted).joined(separator: " ")
    }

    private static func shellQuoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:@%+,".contains($0) }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\"'\"'") + "'"
    }

    /// How to start the process for `flowRunID`, a run of the flow `flowName`.
    static func launch(_ flowRunID: UUID, flowName: String, apiURL: String) -> FlowRunLaunch {
        var environment = ProcessInfo.processInfo.environment
        environment[FlowRunEntrypoint.variable] = flowRunID.prefectString
        environment[FlowRunEntrypoint.flowNameVariable] = flowName
        environment["PREFECT_API_URL"] = apiURL
        return .process(
            executable: executable, arguments: Array(CommandLine.arguments.dropFirst()), environment: environment,
            workingDirectory: nil, temporaryDirectory: nil)
    }
}
