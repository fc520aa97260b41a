import Foundation
import PrefectClient
import PrefectTestSupport
import Testing

/// `POST /deployments/{id}/branch` exists only on Prefect Cloud, so the request is checked
/// against our own server for the exact body Prefect's client sends.
@Suite("createDeploymentBranch (Prefect Cloud only)")
struct DeploymentBranchTests {
    private func withClient(
        transport: TransportKind, _ body: (PrefectClient, FaultInjectionServer) async throws -> Void
    ) async throws {
        let newID = UUID()
        try await FaultInjectionServer.with(handler: { request, _ in
            request.path.hasSuffix("/branch")
                ? .json(201, #"{"id":"\#(newID.uuidString.lowercased())","name":"nightly","flow_id":"\#(UUID().uuidString)"}"#)
                : .json(404, #"{"detail":"Not Found"}"#)
        }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL, csrfSupportEnabled: false) { http, _ in
                try await body(PrefectClient(http: http), server)
            }
        }
    }

    @Test("sends what Prefect's client sends and returns the new deployment's id", arguments: TransportKind.allCases)
    func exactRequest(transport: TransportKind) async throws {
        try await withClient(transport: transport) { client, server in
            let deploymentID = UUID()
            let id = try await client.createDeploymentBranch(deploymentID: deploymentID, branch: "dev")
            let request = try #require(server.requests.first)
            #expect(request.method == "POST")
            #expect(request.path == "/api/deployments/\(deploymentID.uuidString.lowercased())/branch")
            #expect(request.header("Content-Type") == "application/json")
            // DeploymentBranch(branch="dev", options=DeploymentBranchingOptions(), overrides=None)
            //     .model_dump(mode="json", exclude_unset=True), from prefect 3.9.1:
            let expected: JSONValue = ["branch": "dev", "options": [:], "overrides": nil]
            #expect(try JSONDecoder().decode(JSONValue.self, from: request.body) == expected)
            #expect(id != deploymentID)

            _ = try await client.createDeploymentBranch(
                deploymentID: deploymentID, branch: "dev", scheduleHandling: .keep,
                overrides: DeploymentUpdate(description: "x"))
            // ... with options=DeploymentBranchingOptions(schedule_handling="keep"),
            //     overrides=DeploymentUpdate(description="x"):
            let expectedWithOptions: JSONValue = [
                "branch": "dev", "options": ["schedule_handling": "keep"], "overrides": ["description": "x"],
            ]
            // The last request: a loaded machine may have made the client retry the first call.
            let last = try #require(server.requests.last)
            #expect(try JSONDecoder().decode(JSONValue.self, from: last.body) == expectedWithOptions)
        }
    }
}
