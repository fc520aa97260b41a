import Foundation
import PrefectClient
import Testing

@Suite("Flows on every server")
struct FlowsIntegrationTests {
    @Test("create (idempotent by name), read by id and name, filter, delete", arguments: ServerUnderTest.available)
    func flowLifecycle(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let name = IntegrationServer.uniqueName("flow")
            let id = try await client.createFlow(name: name)
            #expect(try await client.createFlowFromName(name) == id)

            let flow = try await client.readFlow(flowID: id)
            #expect(flow.id == id)
            #expect(flow.name == name)
            #expect(flow.created != nil)
            #expect(try await client.readFlowByName(name) == flow)

            let filtered = try await client.readFlows(flowFilter: FlowFilter(name: FlowFilterName(any: [name])))
            #expect(filtered.map(\.id) == [id])
            let other = IntegrationServer.uniqueName("flow")
            let otherID = try await client.createFlowFromName(other)
            let sorted = try await client.readFlows(
                flowFilter: FlowFilter(id: FlowFilterId(any: [id, otherID])), sort: .nameDesc)
            #expect(sorted.map(\.name) == [name, other].sorted(by: >))
            let limited = try await client.readFlows(
                flowFilter: FlowFilter(id: FlowFilterId(any: [id, otherID])), sort: .nameAsc, limit: 1, offset: 1)
            #expect(limited.map(\.name) == [[name, other].sorted()[1]])

            try await client.deleteFlow(flowID: id)
            await #expect(throws: ObjectNotFound.self) { try await client.readFlow(flowID: id) }
            await #expect(throws: ObjectNotFound.self) { try await client.readFlowByName(name) }
            let error = await #expect(throws: ObjectNotFound.self) { try await client.deleteFlow(flowID: id) }
            #expect(error?.detail == "Flow not found")
            try await client.deleteFlow(flowID: otherID)
        }
    }

    @Test("every flow is reachable through the paginated sequence", arguments: ServerUnderTest.available)
    func pagination(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let prefix = IntegrationServer.uniqueName("paged")
            var ids: Set<UUID> = []
            for index in 0..<7 {
                ids.insert(try await client.createFlowFromName("\(prefix)-\(index)"))
            }
            var seen: [UUID] = []
            for try await flow in client.allFlows(flowFilter: FlowFilter(name: FlowFilterName(like: prefix)), pageSize: 3) {
                seen.append(flow.id)
            }
            #expect(seen.count == 7)
            #expect(Set(seen) == ids)
        }
    }
}
