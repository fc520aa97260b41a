import Foundation
import PrefectClient
import Testing

@Suite("Variables against Prefect 3.9.1", .enabled(if: IntegrationServer.isConfigured(IntegrationServer.plain)))
struct VariablesIntegrationTests {
    @Test("create, conflict, read, list, update, delete")
    func variables() async throws {
        try await IntegrationServer.withClient { client in
            let name = IntegrationServer.uniqueName("var").replacingOccurrences(of: "-", with: "_")
            let created = try await client.createVariable(
                VariableCreate(name: name, value: ["threshold": 0.75, "regions": ["eu", "us"]], tags: ["swift"]))
            #expect(created.name == name)
            #expect(created.value == ["threshold": 0.75, "regions": ["eu", "us"]])
            await #expect(throws: ObjectAlreadyExists.self) {
                try await client.createVariable(VariableCreate(name: name, value: 1))
            }

            #expect(try await client.readVariableByName(name) == created)
            #expect(try await client.readVariableByName(name + "_missing") == nil)
            #expect(try await client.readVariables(limit: 200).contains { $0.id == created.id })

            try await client.updateVariable(VariableUpdate(name: name, value: "plain text"))
            let updated = try await client.readVariableByName(name)
            #expect(updated?.value == "plain text")
            #expect(updated?.tags == ["swift"], "fields not given are left unchanged")
            await #expect(throws: PrefectArgumentError.self) { try await client.updateVariable(VariableUpdate(value: 1)) }

            try await client.deleteVariableByName(name)
            #expect(try await client.readVariableByName(name) == nil)
            await #expect(throws: ObjectNotFound.self) { try await client.deleteVariableByName(name) }
        }
    }
}
