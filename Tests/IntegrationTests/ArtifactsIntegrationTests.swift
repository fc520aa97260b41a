import Foundation
import Prefect
import PrefectClient
import Testing

@Suite("Artifacts on every server")
struct ArtifactsIntegrationTests {
    @Test("create versions of a key, read, filter, latest, update, delete", arguments: ServerUnderTest.available)
    func artifacts(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let key = IntegrationServer.uniqueName("report")
            let first = try await client.createArtifact(ArtifactCreate(
                key: key, type: "markdown", description: "v1", data: "# one", metadata: ["owner": "swift"]))
            #expect(first.key == key)
            #expect(first.data == "# one")
            #expect(first.metadata == ["owner": "swift"])
            let second = try await client.createArtifact(ArtifactCreate(key: key, type: "table", data: [["x": 1]]))

            let mine = ArtifactFilter(key: ArtifactFilterKey(any: [key]))
            let versions = try await client.readArtifacts(artifactFilter: mine, sort: .createdDesc)
            #expect(versions.map(\.id) == [second.id, first.id])
            let latest = try await client.readLatestArtifacts(artifactFilter: ArtifactCollectionFilter(key: ArtifactCollectionFilterKey(any: [key])))
            #expect(latest.map(\.latestID) == [second.id])
            #expect(latest.first?.type == "table")

            try await client.updateArtifact(artifactID: second.id, ArtifactUpdate(data: "changed", description: "v2"))
            let updated = try await client.readLatestArtifacts(
                artifactFilter: ArtifactCollectionFilter(key: ArtifactCollectionFilterKey(any: [key]))).first
            #expect(updated?.data == "changed", "the key's latest follows an update of its artifact")
            #expect(updated?.description == "v2")
            await #expect(throws: ObjectNotFound.self) { try await client.updateArtifact(artifactID: UUID(), ArtifactUpdate(data: 1)) }

            try await client.deleteArtifact(artifactID: second.id)
            let previous = try await client.readLatestArtifacts(
                artifactFilter: ArtifactCollectionFilter(key: ArtifactCollectionFilterKey(any: [key]))).first
            #expect(previous?.latestID == first.id, "deleting the latest makes the previous version the latest")
            try await client.deleteArtifact(artifactID: first.id)
            #expect(try await client.readLatestArtifacts(
                artifactFilter: ArtifactCollectionFilter(key: ArtifactCollectionFilterKey(any: [key]))).isEmpty)
            await #expect(throws: ObjectNotFound.self) { try await client.deleteArtifact(artifactID: first.id) }
            await #expect(throws: PrefectHTTPStatusError.self) {
                try await client.createArtifact(ArtifactCreate(key: "Not A Key", data: 1))
            }
        }
    }

    @Test("markdown, table, link, progress and image artifacts from inside a flow's task", arguments: ServerUnderTest.available)
    func typedArtifactsInRuns(server: ServerUnderTest) async throws {
        try await RuntimeHarness.withRuntime(server) { runtime, client in
            let key = IntegrationServer.uniqueName("kinds")
            let report = PrefectTask("report") { (_: NoParameters) -> UUID in
                guard let client = RunContext.client else { throw PlannedFailure(description: "no client in the task") }
                let flowRunID = RunContext.flowRunID
                let taskRunID = RunContext.taskRunID
                _ = try await client.createMarkdownArtifact("# Done", key: key + "-md", flowRunID: flowRunID, taskRunID: taskRunID)
                _ = try await client.createTableArtifact(
                    [["name": "a", "score": .double(.nan)], ["name": "b", "score": 2]], key: key + "-table",
                    flowRunID: flowRunID, taskRunID: taskRunID)
                _ = try await client.createLinkArtifact(
                    "https://example.com/r", linkText: "results", key: key + "-link", flowRunID: flowRunID, taskRunID: taskRunID)
                _ = try await client.createImageArtifact(
                    "https://example.com/chart.png", key: key + "-image", flowRunID: flowRunID, taskRunID: taskRunID)
                let progress = try await client.createProgressArtifact(150, key: key + "-progress", flowRunID: flowRunID, taskRunID: taskRunID)
                try await client.updateProgressArtifact(artifactID: progress, progress: 40, description: "almost")
                return progress
            }
            let flow = PrefectFlow(IntegrationServer.uniqueName("artifacts")) { () -> UUID in try await report(NoParameters()) }
            let outcome = try await flow.runReturningOutcome(runtime: runtime)
            let progressID = try outcome.get()
            let taskRunID = try #require(outcome.taskRuns.first?.id)

            let ofTask = try await client.readArtifacts(taskRunFilter: TaskRunFilter(id: TaskRunFilterId(any: [taskRunID])))
            #expect(ofTask.count == 5)
            #expect(ofTask.allSatisfy { $0.flowRunID == outcome.flowRunID })
            let byKey = Dictionary(uniqueKeysWithValues: ofTask.compactMap { artifact in artifact.key.map { ($0, artifact) } })
            #expect(byKey[key + "-md"]?.type == "markdown")
            #expect(byKey[key + "-md"]?.data == "# Done")
            #expect(byKey[key + "-table"]?.type == "table")
            #expect(byKey[key + "-table"]?.data?.stringValue.flatMap { try? PrefectJSON.decode(JSONValue.self, from: Data($0.utf8)) }
                == [["name": "a", "score": nil], ["name": "b", "score": 2]], "sent as JSON text, NaN as null")
            #expect(byKey[key + "-link"]?.data == "[results](https://example.com/r)")
            #expect(byKey[key + "-image"]?.type == "image")
            #expect(byKey[key + "-image"]?.data == "https://example.com/chart.png")
            let progress = try #require(byKey[key + "-progress"])
            #expect(progress.id == progressID)
            #expect(progress.type == "progress")
            #expect(progress.data == 40, "updated, after the 150 it was created with was kept to 100")
            #expect(progress.description == "almost")
            let flowArtifacts = try await client.readArtifacts(
                flowRunFilter: FlowRunFilter(id: FlowRunFilterId(any: [outcome.flowRunID])))
            #expect(flowArtifacts.count == 5)
        }
    }
}
