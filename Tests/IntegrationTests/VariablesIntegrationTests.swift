import Foundation
import PrefectClient
import Testing

@Suite("Variables on every server")
struct VariablesIntegrationTests {
    @Test("create, conflict, read, list, update, delete", arguments: ServerUnderTest.available)
    func variables(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
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
            let second = try await client.createVariable(VariableCreate(name: name + "_2", value: nil))
            #expect(second.value == nil || second.value == .null)
            let listed = try await client.readVariables().filter { $0.name.hasPrefix(name) }
            #expect(listed.map(\.name) == [name, name + "_2"], "listed by name, ascending")
            await #expect(throws: PrefectHTTPStatusError.self) {
                try await client.createVariable(VariableCreate(name: "Not A Valid Name", value: 1))
            }
            try await client.deleteVariableByName(name + "_2")

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
