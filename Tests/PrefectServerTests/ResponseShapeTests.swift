import Foundation
import PrefectClient
import PrefectSchemas
import PrefectTestKit
import Testing

/// The embedded server's JSON has the fields of Prefect 3.9.1's, as captured from the real server
/// in `Tests/PrefectSchemasTests/Fixtures` (null where Prefect writes null).
@Suite("Response shapes of the embedded server")
struct ResponseShapeTests {
    /// The keys of a captured fixture, recursively, as "a.b.c" paths.
    static func keyPaths(_ value: JSONValue, prefix: String = "") -> Set<String> {
        guard case .object(let object) = value else { return [] }
        var paths: Set<String> = []
        for (key, child) in object {
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            paths.insert(path)
            if ["parameters", "context", "labels", "job_variables", "data", "task_inputs"].contains(key) { continue }
            paths.formUnion(keyPaths(child, prefix: path))
        }
        return paths
    }

    static func fixture(_ name: String) throws -> JSONValue {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("PrefectSchemasTests/Fixtures/\(name)")
        return try PrefectJSON.decode(JSONValue.self, from: Data(contentsOf: url))
    }

    @Test("flow runs, task runs and flows carry every field Prefect's do")
    func shapes() async throws {
        try await withPrefectTestServer { client in
            let run = try await client.createFlowRun(flowName: "shapes")
            _ = try await client.setFlowRunState(flowRunID: run.id, state: .running())
            let task = try await client.createTaskRun(taskKey: "t", flowRunID: run.id, dynamicKey: "0")

            let flowRunJSON = try await client.http.get("/flow_runs/\(run.id.prefectString)").json ?? .null
            let expectedRun = Self.keyPaths(try Self.fixture("flow_run.json"))
            #expect(expectedRun.subtracting(Self.keyPaths(flowRunJSON)).isEmpty,
                    "missing: \(expectedRun.subtracting(Self.keyPaths(flowRunJSON)).sorted())")

            let taskJSON = try await client.http.get("/task_runs/\(task.id.prefectString)").json ?? .null
            let expectedTask = Self.keyPaths(try Self.fixture("task_run.json"))
            #expect(expectedTask.subtracting(Self.keyPaths(taskJSON)).isEmpty,
                    "missing: \(expectedTask.subtracting(Self.keyPaths(taskJSON)).sorted())")

            let flowJSON = try await client.http.get("/flows/\(run.flowID.prefectString)").json ?? .null
            let expectedFlow = Self.keyPaths(try Self.fixture("flow.json"))
            #expect(expectedFlow.subtracting(Self.keyPaths(flowJSON)).isEmpty)
        }
    }
}
