import ArgumentParser
import Foundation
import PrefectClient

/// `prefect-swift flow-run`: Prefect's `prefect flow-run`.
struct FlowRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flow-run", abstract: "Interact with flow runs.",
        subcommands: [List.self, Inspect.self, Logs.self, Cancel.self, Delete.self])

    /// Prefect's official state names, by their upper-case spelling (`prefect/cli/flow_run.py`).
    static let stateNames = [
        "SCHEDULED": "Scheduled", "PENDING": "Pending", "RUNNING": "Running", "COMPLETED": "Completed",
        "FAILED": "Failed", "CANCELLED": "Cancelled", "CRASHED": "Crashed", "PAUSED": "Paused",
        "CANCELLING": "Cancelling", "SUSPENDED": "Suspended", "AWAITINGRETRY": "AwaitingRetry",
        "RETRYING": "Retrying", "LATE": "Late", "TIMEDOUT": "TimedOut", "CACHED": "Cached",
    ]

    /// `prefect-swift flow-run ls`: recent flow runs, newest first.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls", abstract: "View recent flow runs or flow runs for specific flows.")

        @Option(name: .customLong("flow-name"), help: "Only runs of this flow (repeatable).")
        var flowNames: [String] = []
        @Option(name: .customLong("state"), help: "Only runs whose state has this name, e.g. Running, Late (repeatable).")
        var states: [String] = []
        @Option(name: .customLong("state-type"), help: "Only runs whose state has this type, e.g. FAILED (repeatable).")
        var stateTypes: [String] = []
        @Option(help: "Maximum number of flow runs to list.")
        var limit = 15
        @OptionGroup var output: OutputOptions

        func validateInput() throws {
            guard limit > 0, limit <= 200 else { throw CommandFailure("--limit must be between 1 and 200") }
            let known = Set(StateType.allCases.map(\.rawValue))
            if let bad = stateTypes.first(where: { !known.contains($0.uppercased()) }) {
                throw CommandFailure(
                    "Invalid state type '\(bad)'. Options are \(StateType.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
        }

        func run() async throws {
            try validateInput()
            try output.validateInput()
            var filter = FlowRunFilterState()
            if !states.isEmpty {
                filter.name = FlowRunFilterStateName(any: states.map { FlowRunCommand.stateNames[$0.uppercased()] ?? $0 })
            }
            if !stateTypes.isEmpty {
                filter.type = FlowRunFilterStateType(any: stateTypes.map { StateType(rawValue: $0.uppercased()) })
            }
            let stateFilter = states.isEmpty && stateTypes.isEmpty ? nil : FlowRunFilter(state: filter)
            let flowFilter = flowNames.isEmpty ? nil : FlowFilter(name: FlowFilterName(any: flowNames))
            let (runs, flows) = try await withCLIClient { client in
                let runs = try await client.readFlowRuns(
                    flowFilter: flowFilter, flowRunFilter: stateFilter, sort: .expectedStartTimeDesc, limit: limit)
                let ids = Array(Set(runs.map(\.flowID)))
                let flows = ids.isEmpty ? [] : try await client.readFlows(flowFilter: FlowFilter(id: FlowFilterId(any: ids)))
                return (runs, flows)
            }
            if output.json { return try printJSON(runs) }
            if runs.isEmpty {
                print("No flow runs found.")
                return
            }
            let names = Dictionary(flows.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            let terminal = Terminal.current
            var table = Table(
                title: "Flow Runs",
                columns: [
                    .init(title: "ID", style: .cyan, rightAligned: true, truncatable: false),
                    .init(title: "Flow", style: .blue),
                    .init(title: "Name", style: .green),
                    .init(title: "State", truncatable: false),
                    .init(title: "When", style: .bold),
                ])
            let sorted = runs.sorted { ($0.created ?? .distantPast) > ($1.created ?? .distantPast) }
            table.rows = sorted.map { run in
                let when = run.state?.isScheduled == true ? run.state?.stateDetails.scheduledTime : run.state?.timestamp
                return [
                    run.id.prefectString, names[run.flowID] ?? run.flowID.prefectString, run.name,
                    run.state?.type.rawValue ?? "", HumanTime.diff(when),
                ]
            }
            table.cellStyle = { row, column in column == 3 ? Terminal.style(forState: table.rows[row][3]) : nil }
            print(table.render(on: terminal))
        }
    }

    /// `prefect-swift flow-run inspect ID`.
    struct Inspect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "View details about a flow run.")

        @Argument(help: "The flow run's id.")
        var id: String
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try output.validateInput()
            let id = try parseID(id, what: "flow run")
            let run = try await withCLIClient { client in
                return try await mappingNotFound(to: "Flow run '\(id.prefectString)' not found!") {
                    try await client.readFlowRun(flowRunID: id)
                }
            }
            if output.json { return try printJSON(run) }
            let terminal = Terminal.current
            let rows: [(String, String)] = [
                ("id", run.id.prefectString), ("name", run.name), ("flow_id", run.flowID.prefectString),
                ("state", "\(run.state?.name ?? "") (\(run.state?.type.rawValue ?? ""))"),
                ("state_message", run.state?.message ?? ""), ("run_count", String(run.runCount)),
                ("parameters", JSONValue.object(run.parameters).jsonText), ("tags", run.tags.joined(separator: ", ")),
                ("flow_version", run.flowVersion ?? ""), ("deployment_id", run.deploymentID?.prefectString ?? ""),
                ("work_pool_name", run.workPoolName ?? ""), ("parent_task_run_id", run.parentTaskRunID?.prefectString ?? ""),
                ("expected_start_time", run.expectedStartTime.map(PrefectDate.format) ?? ""),
                ("start_time", run.startTime.map(PrefectDate.format) ?? ""), ("end_time", run.endTime.map(PrefectDate.format) ?? ""),
                ("total_run_time", String(run.totalRunTime)), ("created", run.created.map(PrefectDate.format) ?? ""),
            ]
            let width = rows.map(\.0.count).max() ?? 0
            for (key, value) in rows {
                let shownValue = key == "state" ? terminal.styled(value, Terminal.style(forState: run.state?.type.rawValue ?? "")) : value
                print(terminal.styled(key.padding(toLength: width, withPad: " ", startingAt: 0), .cyan) + "  " + shownValue)
            }
        }
    }

    /// `prefect-swift flow-run cancel ID`: proposes Cancelling, as `prefect flow-run cancel`.
    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a flow run by ID.")

        @Argument(help: "The flow run's id.")
        var id: String

        func run() async throws {
            let id = try parseID(id, what: "flow run")
            let result = try await withCLIClient { client in
                return try await mappingNotFound(to: "Flow run '\(id.prefectString)' not found!") {
                    try await client.setFlowRunState(flowRunID: id, state: .cancelling())
                }
            }
            if result.status == .abort {
                throw CommandFailure(
                    "Flow run '\(id.prefectString)' was unable to be cancelled. Reason: '\(result.details.reason ?? "")'")
            }
            print("Flow run '\(id.prefectString)' was successfully scheduled for cancellation.")
        }
    }

    /// `prefect-swift flow-run delete ID`.
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a flow run by ID.")

        @Argument(help: "The flow run's id.")
        var id: String

        func run() async throws {
            let id = try parseID(id, what: "flow run")
            try await withCLIClient { client in
                try await mappingNotFound(to: "Flow run '\(id.prefectString)' not found!") {
                    try await client.deleteFlowRun(flowRunID: id)
                }
            }
            print("Successfully deleted flow run '\(id.prefectString)'.")
        }
    }
}
