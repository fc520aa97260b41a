import Foundation
import PrefectClient
import Testing

@Suite("Events on every server")
struct EventsIntegrationTests {
    /// Three events of a test's own, a second apart, about two resources related to one flow run.
    private func events(_ unique: String) -> [Event] {
        let flowRun: EventResource = ["prefect.resource.id": "prefect.flow-run.\(unique)", "prefect.resource.role": "flow-run"]
        let start = Date().addingTimeInterval(-10)
        return (0..<3).map { index in
            Event(
                event: "swift.test.\(unique).\(index == 2 ? "finished" : "step")",
                resource: ["prefect.resource.id": "swift.thing.\(unique).\(index % 2)", "prefect.resource.name": "thing \(index % 2)"],
                occurred: start.addingTimeInterval(Double(index)), related: [flowRun], payload: ["index": .int(Int64(index))])
        }
    }

    /// The page of this test's events, once the server has all `count` (Prefect stores them
    /// through its event pipeline, a moment after they are sent).
    private func settled(_ client: PrefectClient, _ filter: EventFilter, count: Int, limit: Int = 50) async throws -> EventPage {
        var page = try await client.readEvents(filter: filter, limit: limit)
        for _ in 0..<60 where page.total < count {
            try await Task.sleep(for: .milliseconds(500))
            page = try await client.readEvents(filter: filter, limit: limit)
        }
        return page
    }

    @Test("emit, read a page at a time, filter, and an event sent twice is kept once", arguments: ServerUnderTest.available)
    func readAndPage(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let unique = UUID().uuidString.prefix(8).lowercased()
            let sent = events(String(unique))
            try await client.emitEvents(sent)
            try await client.emitEvents([sent[0]])
            let mine = EventFilter(event: EventFilter.Name(prefix: ["swift.test.\(unique)."]))
            let first = try await settled(client, mine, count: 3, limit: 2)
            #expect(first.total == 3, "the event sent twice is kept once")
            #expect(first.events.map(\.id) == [sent[2].id, sent[1].id], "newest first")
            #expect(first.events.first?.payload == ["index": 2])
            #expect(first.events.first?.related.first?.role == "flow-run")
            let nextPage = try #require(first.nextPage)
            let second = try await client.readEventsPage(nextPage)
            #expect(second.events.map(\.id) == [sent[0].id])
            #expect(second.total == 3)
            #expect(second.nextPage == nil)

            let oldestFirst = try await client.readEvents(
                filter: EventFilter(event: EventFilter.Name(prefix: ["swift.test.\(unique)."]), order: .ascending))
            #expect(oldestFirst.events.map(\.id) == sent.map(\.id))
            let finished = try await client.readEvents(filter: EventFilter(event: EventFilter.Name(name: ["swift.test.\(unique).finished"])))
            #expect(finished.events.map(\.id) == [sent[2].id])
            let steps = try await client.readEvents(filter: EventFilter(
                event: EventFilter.Name(prefix: ["swift.test.\(unique)."], excludeName: ["swift.test.\(unique).finished"])))
            #expect(Set(steps.events.map(\.id)) == [sent[0].id, sent[1].id])
            let byResource = try await client.readEvents(filter: EventFilter(resource: EventFilter.Resources(id: ["swift.thing.\(unique).1"])))
            #expect(byResource.events.map(\.id) == [sent[1].id])
            let byLabel = try await client.readEvents(filter: EventFilter(
                event: EventFilter.Name(prefix: ["swift.test.\(unique)."]),
                resource: EventFilter.Resources(labels: ["prefect.resource.name": "thing 0"])))
            #expect(Set(byLabel.events.map(\.id)) == [sent[0].id, sent[2].id])
            let byRelated = try await client.readEvents(filter: EventFilter(
                related: EventFilter.Related(id: ["prefect.flow-run.\(unique)"], role: ["flow-run"])))
            #expect(byRelated.total == 3)
            let byAnyResource = try await client.readEvents(filter: EventFilter(anyResource: EventFilter.Resources(idPrefix: ["swift.thing.\(unique)."])))
            #expect(byAnyResource.total == 3)
            let emptyLists = try await client.readEvents(filter: EventFilter(
                event: EventFilter.Name(prefix: ["swift.test.\(unique)."], excludeName: []), resource: EventFilter.Resources(id: []), id: []))
            #expect(emptyLists.total == 3, "an empty list does not narrow (Prefect's filters test for truth)")
            let byID = try await client.readEvents(filter: EventFilter(id: [sent[1].id]))
            #expect(byID.events.map(\.id) == [sent[1].id])
            let outside = try await client.readEvents(filter: EventFilter(
                occurred: EventFilter.Occurred(since: Date().addingTimeInterval(-3_600), until: Date().addingTimeInterval(-1_800)),
                event: EventFilter.Name(prefix: ["swift.test.\(unique)."])))
            #expect(outside.total == 0)

            do {
                _ = try await client.readEvents(limit: 51)
                Issue.record("a page of more than 50 events was accepted")
            } catch let error as PrefectHTTPStatusError {
                #expect(error.statusCode == 422)
            }
            let forged = try #require(URL(string: "\(client.apiURL)/events/filter/next?page-token=bm9wZQ=="))
            do {
                _ = try await client.readEventsPage(forged)
                Issue.record("a page token the server did not write was accepted")
            } catch let error as PrefectHTTPStatusError {
                #expect(error.statusCode == 403)
            }
            await #expect(throws: PrefectArgumentError.self) {
                try await client.readEventsPage(try #require(URL(string: "http://elsewhere.invalid/api/events/filter/next?page-token=x")))
            }
        }
    }

    @Test("count events by name, resource and day", arguments: ServerUnderTest.available)
    func counts(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let unique = UUID().uuidString.prefix(8).lowercased()
            let sent = events(String(unique))
            try await client.emitEvents(sent)
            let mine = EventFilter(event: EventFilter.Name(prefix: ["swift.test.\(unique)."]))
            _ = try await settled(client, mine, count: 3)

            let byName = try await client.countEvents(by: .event, filter: mine)
            #expect(byName.map(\.value) == ["swift.test.\(unique).step", "swift.test.\(unique).finished"], "most events first")
            #expect(byName.map(\.count) == [2, 1])
            #expect(abs((byName.first?.startTime ?? .distantPast).timeIntervalSince(sent[0].occurred)) < 0.001)
            #expect(abs((byName.first?.endTime ?? .distantPast).timeIntervalSince(sent[1].occurred)) < 0.001)
            let byResource = try await client.countEvents(by: .resource, filter: mine)
            #expect(byResource.map(\.value) == ["swift.thing.\(unique).0", "swift.thing.\(unique).1"])
            #expect(byResource.map(\.label) == ["thing 0", "thing 1"], "labelled by the resource's name")

            var today = mine
            today.occurred = EventFilter.Occurred(since: Date().addingTimeInterval(-3_600), until: Date())
            let byDay = try await client.countEvents(by: .day, filter: today)
            #expect(byDay.reduce(0) { $0 + $1.count } == 3)
            #expect(byDay.first?.value == "0", "buckets are numbered from the first")
            let byMinute = try await client.countEvents(by: .time, filter: today, timeUnit: .minute, timeInterval: 5)
            #expect(byMinute.count >= 12 && byMinute.count <= 14, "every 5 minutes of the hour, empty ones too")
            #expect(byMinute.reduce(0) { $0 + $1.count } == 3)
            do {
                _ = try await client.countEvents(by: .time, filter: mine, timeUnit: .second, timeInterval: 1)
                Issue.record("a count of more than 1000 buckets was accepted")
            } catch let error as PrefectHTTPStatusError {
                #expect(error.statusCode == 422)
            }
        }
    }
}
