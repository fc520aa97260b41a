import Foundation
@testable import PrefectSchemas
import Testing

/// The generated stream encoders (`StreamEncoders.swift`) against the models' own `encode(to:)`,
/// run by the same encoder: every value decoded from a fixture or from one of its mutations
/// (see ``TapeDecodingTests``) must be written byte for byte the same, with and without
/// explicit nulls, and a value JSON cannot carry must fail the same way.
@Suite struct StreamEncodingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let check: @Sendable () throws -> Int
        var testDescription: String { name }
    }

    static let cases: [Case] = TapeDecodingTests.modelFixtures.map { Case(name: $0.name, check: $0.encodedBothWays) }

    @Test("stream encoders and encode(to:) write the same bytes", arguments: cases)
    func agree(_ testCase: Case) throws {
        #expect(try testCase.check() > 10)
    }

    @Test("request bodies with escapes, nils and empty collections are written the same both ways")
    func bodies() throws {
        let text = "quote \" backslash \\ newline \n tab \t bell \u{07} é 😀 </script>"
        let bodies: [any Encodable & Sendable] = [
            FlowRunCreate(
                state: StateCreate(type: .scheduled, name: text, message: text, stateDetails: StateDetails(scheduledTime: Date())),
                name: text, flowID: UUID(), parameters: [text: .string(text), "n": .double(0.1), "i": .int(-3)], tags: [text], labels: [:]),
            TaskRunCreate(
                state: StateCreate(type: .unknown("NEW")), flowRunID: UUID(), taskKey: text, dynamicKey: "0",
                cacheExpiration: Date(timeIntervalSince1970: 1.5), tags: [], taskInputs: ["x": [.taskRun(TaskRunResult(id: UUID()))]]),
            LogCreate(name: text, level: 20, message: text, timestamp: Date(), flowRunID: nil, taskRunID: UUID()),
            FlowRunUpdate(),
            FlowRunUpdate(name: text, parameters: ["a": .null], empiricalPolicy: FlowRunPolicy(retries: 2, retryDelay: 1), tags: []),
            TaskRunUpdate(name: nil),
            State(type: .completed, name: nil, timestamp: Date(timeIntervalSince1970: 0), message: nil, data: .object(["k": .array([])])),
        ]
        for body in bodies {
            for explicitNulls in [false, true] {
                let streamed = try PrefectJSONEncoder(explicitNulls: explicitNulls, modelsToStream: true).encode(body)
                let coded = try PrefectJSONEncoder(explicitNulls: explicitNulls, modelsToStream: false).encode(body)
                let shown = String(decoding: streamed, as: UTF8.self)
                #expect(streamed == coded, "\(type(of: body)), explicit nulls \(explicitNulls): \(shown)")
            }
        }
    }

    @Test("events, their resources and pages are written the same both ways")
    func events() throws {
        let text = "quote \" backslash \\ newline \n bell \u{07} é 😀"
        var resource: EventResource = ["prefect.resource.id": "prefect.flow-run.1", "z": "last", text: text, "a": "first", "z": "again"]
        resource.labels["added.later"] = text
        resource.labels["0-added"] = ""
        let related: [EventResource] = [
            ["prefect.resource.id": "prefect.flow.2", "prefect.resource.role": "flow", "prefect.resource.name": text],
            EventResource(labels: ["prefect.resource.id": "prefect.tag.t", "prefect.resource.role": "tag"]),
            [:],
        ]
        let payload: JSONObject = ["intended": ["from": .null, "to": "RUNNING"], "n": .double(0.1), "list": [1, "two", [:]], text: .string(text)]
        let events = [
            Event(event: "prefect.flow-run.Running", resource: resource, occurred: Date(timeIntervalSince1970: 1_765_000_000.123456)),
            Event(
                event: text, resource: resource, occurred: Date(timeIntervalSince1970: 0), related: related, payload: payload,
                follows: UUID()),
        ]
        let bodies: [any Encodable & Sendable] = [
            resource, related, events[0], events[1], events.map { ReceivedEvent($0, received: Date(timeIntervalSince1970: 1.5)) },
            EventPage(events: events.map { ReceivedEvent($0, received: Date()) }, total: 7, nextPage: URL(string: "http://x/events?page=2")),
        ]
        for body in bodies {
            for explicitNulls in [false, true] {
                let streamed = try PrefectJSONEncoder(explicitNulls: explicitNulls, modelsToStream: true).encode(body)
                let coded = try PrefectJSONEncoder(explicitNulls: explicitNulls, modelsToStream: false).encode(body)
                #expect(streamed == coded, "\(type(of: body)): \(String(decoding: streamed, as: UTF8.self))")
            }
        }
        var notANumber = events[1]
        notANumber.payload["deep"] = ["x": [.double(.nan)]]
        let streamed = Self.failure { try PrefectJSONEncoder(explicitNulls: false, modelsToStream: true).encode([ReceivedEvent(notANumber, received: Date())]) }
        let coded = Self.failure { try PrefectJSONEncoder(explicitNulls: false, modelsToStream: false).encode([ReceivedEvent(notANumber, received: Date())]) }
        #expect(streamed != nil)
        #expect(streamed == coded)
    }

    @Test("a number JSON cannot carry fails the same way, with the same coding path")
    func notANumber() throws {
        var topLevel = FlowRun(flowID: UUID())
        topLevel.totalRunTime = .nan
        var nested = FlowRun(flowID: UUID())
        nested.empiricalPolicy.retryDelaySeconds = .infinity
        var inParameters = FlowRun(flowID: UUID())
        inParameters.parameters = ["a": .object(["b": .array([.int(1), .double(.nan)])])]
        for runs in [[topLevel], [FlowRun(flowID: UUID()), nested], [inParameters]] {
            for explicitNulls in [false, true] {
                let streamed = Self.failure { try PrefectJSONEncoder(explicitNulls: explicitNulls, modelsToStream: true).encode(runs) }
                let coded = Self.failure { try PrefectJSONEncoder(explicitNulls: explicitNulls, modelsToStream: false).encode(runs) }
                #expect(streamed != nil)
                #expect(streamed == coded)
            }
        }
    }

    static func failure(_ body: () throws -> Data) -> String? {
        do {
            _ = try body()
            return nil
        } catch let EncodingError.invalidValue(value, context) {
            return "\(value) at \(context.codingPath.map(\.stringValue)): \(context.debugDescription)"
        } catch {
            return "\(error)"
        }
    }

    /// Encodes the value of `document` and of each mutation that decodes, both ways.
    static func compareEncodings<T: Codable>(_ type: T.Type, of document: JSONValue) throws -> Int {
        var compared = 0
        for variant in [document] + TapeDecodingTests.mutations(of: document, depth: 0) {
            guard let value = try? PrefectJSONDecoder().decode(T.self, from: JSONEncoder().encode(variant)) else { continue }
            for explicitNulls in [false, true] {
                let streamed = try PrefectJSONEncoder(explicitNulls: explicitNulls, modelsToStream: true).encode(value)
                let coded = try PrefectJSONEncoder(explicitNulls: explicitNulls, modelsToStream: false).encode(value)
                #expect(streamed == coded, "explicit nulls \(explicitNulls): \(String(decoding: streamed, as: UTF8.self).prefix(400))")
            }
            compared += 1
        }
        return compared
    }
}
