import ArgumentParser
import Foundation
import PrefectClient
import PrefectSchemas

extension FlowRunCommand {
    /// `prefect-swift flow-run logs ID [--follow]`: a flow run's logs, oldest first, in
    /// Prefect's format; `--follow` keeps printing new ones, with a live status line, until the
    /// run ends.
    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "View logs for a flow run.")

        @Argument(help: "The flow run's id.")
        var id: String
        @Flag(name: [.short, .long], help: "Keep printing new logs until the flow run ends.")
        var follow = false
        @Option(help: "Seconds between reads while following.")
        var interval: Double = 1
        @OptionGroup var output: OutputOptions

        func validateInput() throws {
            if follow, output.json { throw CommandFailure("--follow prints text; it cannot be combined with --output json") }
            guard interval > 0 else { throw CommandFailure("--interval must be positive") }
        }

        func run() async throws {
            try validateInput()
            try output.validateInput()
            let id = try parseID(id, what: "flow run")
            let terminal = Terminal.current
            let follow = self.follow
            let json = output.json
            let interval = self.interval
            try await withCLIClient { client in
                var flowRun: FlowRun
                do {
                    flowRun = try await client.readFlowRun(flowRunID: id)
                } catch is ObjectNotFound {
                    throw CommandFailure("Flow run '\(id.prefectString)' not found!")
                }
                var collected: [Log] = []
                var offset = 0
                while true {
                    let page = try await client.readLogs(
                        logFilter: LogFilter(flowRunID: LogFilterFlowRunId(any: [id])), limit: 200, offset: offset)
                    offset += page.count
                    if json {
                        collected += page
                    } else if !page.isEmpty {
                        terminal.clearStatus()
                        for log in page { print(Self.line(log, runName: flowRun.name, terminal: terminal)) }
                        fflush(nil)
                    }
                    if page.count == 200 { continue }
                    guard follow, flowRun.state?.isFinal != true else { break }
                    terminal.status("following flow run '\(flowRun.name)' (\(flowRun.state?.name ?? "unknown")), \(offset) log(s)…")
                    try await Task.sleep(for: .wait(seconds: interval))
                    flowRun = try await client.readFlowRun(flowRunID: id)
                }
                terminal.clearStatus()
                if json { try printJSON(collected) }
                if follow, !json {
                    print("Flow run '\(flowRun.name)' finished in state \(flowRun.state?.name ?? "unknown").")
                }
            }
        }

        /// `2026-12-01 12:00:01.123 | INFO    | Flow run 'name' - message`, as Prefect prints a log.
        static func line(_ log: Log, runName: String, terminal: Terminal) -> String {
            let level = levelName(log.level).padding(toLength: 7, withPad: " ", startingAt: 0)
            let style: Terminal.Style? = log.level >= 40 ? .red : log.level >= 30 ? .yellow : nil
            return "\(timestamp(log.timestamp)) | \(terminal.styled(level, style)) | Flow run '\(runName)' - \(log.message)"
        }

        static func levelName(_ level: Int) -> String {
            switch level {
            case 50...: "CRITICAL"
            case 40..<50: "ERROR"
            case 30..<40: "WARNING"
            case 20..<30: "INFO"
            case 10..<20: "DEBUG"
            default: "Level \(level)"
            }
        }

        static func timestamp(_ date: Date) -> String {
            let text = PrefectDate.format(date)
            return String(text.prefix(23)).replacingOccurrences(of: "T", with: " ")
        }
    }
}
