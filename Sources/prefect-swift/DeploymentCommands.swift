import ArgumentParser
import Foundation
import PrefectClient
import PrefectSchemas

/// `prefect-swift deployment`: Prefect's `prefect deployment`.
struct DeploymentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deployment", abstract: "Interact with deployments.", subcommands: [List.self, Run.self])

    /// `prefect-swift deployment ls`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "View all deployments or deployments for specific flows.")

        @Option(help: "Maximum number of deployments to list.")
        var limit = 200
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try output.validateInput()
            let (deployments, flows) = try await withCLIClient { client in
                let deployments = try await client.readDeployments(limit: limit)
                let ids = Array(Set(deployments.map(\.flowID)))
                let flows = ids.isEmpty ? [] : try await client.readFlows(flowFilter: FlowFilter(id: FlowFilterId(any: ids)))
                return (deployments, flows)
            }
            if output.json { return try printJSON(deployments) }
            let names = Dictionary(flows.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            var table = Table(
                title: "Deployments",
                columns: [
                    .init(title: "Name", style: .blue),
                    .init(title: "ID", style: .cyan, truncatable: false),
                    .init(title: "Work Pool", style: .green),
                ])
            table.rows = deployments
                .map { ["\(names[$0.flowID] ?? $0.flowID.prefectString)/\($0.name)", $0.id.prefectString, $0.workPoolName ?? ""] }
                .sorted { $0[0] < $1[0] }
            print(table.render(on: Terminal.current))
        }
    }

    /// `prefect-swift deployment run FLOW/DEPLOYMENT [--param k=v]… [--watch]`.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a flow run for the given flow and deployment.")

        @Argument(help: "The deployment, as FLOW_NAME/DEPLOYMENT_NAME.")
        var name: String
        @Option(name: .customLong("param"), help: "A parameter as key=value (repeatable); JSON values are parsed.")
        var parameters: [String] = []
        @Option(help: "Tags of the flow run (repeatable).")
        var tag: [String] = []
        @Flag(help: "Wait for the flow run to end, with a live status line; exit non-zero unless it completes.")
        var watch = false
        @Option(help: "Seconds between reads while watching.")
        var interval: Double = 2
        @OptionGroup var output: OutputOptions

        func validateInput() throws {
            guard name.contains("/") else { throw CommandFailure("the deployment is FLOW_NAME/DEPLOYMENT_NAME, not '\(name)'") }
        }

        func run() async throws {
            try validateInput()
            try output.validateInput()
            let parameters = try KeyValueParameters.parse(self.parameters)
            let terminal = Terminal.current
            let (name, tags, watch, interval, json) = (self.name, tag, self.watch, self.interval, output.json)
            let final = try await withCLIClient { client -> FlowRun in
                let deployment: DeploymentResponse
                do {
                    deployment = try await client.readDeploymentByName(name)
                } catch is ObjectNotFound {
                    throw CommandFailure("Deployment '\(name)' not found!")
                }
                var run = try await client.createFlowRunFromDeployment(
                    deploymentID: deployment.id, parameters: parameters, tags: tags, idempotencyKey: UUID.version4().prefectString)
                if !json {
                    print("Created flow run '\(run.name)' (\(run.id.prefectString)) of deployment '\(name)'.")
                    fflush(nil)
                }
                while watch, run.state?.isFinal != true {
                    terminal.status("watching flow run '\(run.name)': \(run.state?.name ?? "unknown")…")
                    try await Task.sleep(for: .wait(seconds: interval))
                    run = try await client.readFlowRun(flowRunID: run.id)
                }
                terminal.clearStatus()
                return run
            }
            if json { try printJSON(final) }
            guard watch else { return }
            let stateName = final.state?.name ?? "unknown"
            if final.state?.isCompleted == true {
                if !json { print("Flow run finished successfully in '\(stateName)'.") }
            } else {
                throw CommandFailure("Flow run finished in state '\(stateName)'.")
            }
        }
    }
}
