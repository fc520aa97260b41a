import Foundation
@testable import PrefectSchemas
import Testing

/// The generated tape initialisers (`TapeDecoders.swift`) against the models' own `init(from:)`,
/// run by the same decoder over the same bytes: each fixture, and each member of it (and of its
/// nested objects) removed, made null, given a value of another type, or read with the members in
/// reverse order, must give the same model or the same error (case, type, coding path, text).
@Suite struct TapeDecodingTests {
    /// A fixture captured from Prefect 3.9.1, or a request body this SDK writes, as one type.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let check: @Sendable () throws -> Int
        var testDescription: String { name }

        static func body<T: Codable & Equatable & Sendable>(_ value: T) -> Case {
            Case(name: "a \(T.self) body") {
                let data = try PrefectJSONEncoder(explicitNulls: true).encode(value)
                return try TapeDecodingTests.compareMutations(T.self, of: PrefectJSONDecoder().decode(JSONValue.self, from: data))
            }
        }
    }

    /// A captured answer that holds generated models, read as the type a client reads it as, and
    /// the checks of both suites on it.
    struct ModelFixture: Sendable {
        let name: String
        let decodedBothWays: @Sendable () throws -> Int
        let encodedBothWays: @Sendable () throws -> Int

        static func of<T: Codable & Equatable & SendableMetatype>(_ fixture: String, _ type: T.Type) -> ModelFixture {
            let document: @Sendable () throws -> JSONValue = {
                try PrefectJSONDecoder().decode(JSONValue.self, from: Fixture.data(fixture))
            }
            return ModelFixture(
                name: "\(fixture) as \(T.self)",
                decodedBothWays: { try TapeDecodingTests.compareMutations(T.self, of: document()) },
                encodedBothWays: { try StreamEncodingTests.compareEncodings(T.self, of: document()) })
        }
    }

    static let modelFixtures: [ModelFixture] = [
        .of("flow_run", FlowRun.self), .of("flow_runs_filter", [FlowRun].self), .of("worker_flow_runs", [WorkerFlowRunResponse].self),
        .of("task_run", TaskRun.self), .of("task_runs_filter", [TaskRun].self), .of("flow_run_states", [State].self),
        .of("flow", Flow.self), .of("logs", [Log].self), .of("deployment", Deployment.self),
        .of("deployment_schedules", [DeploymentSchedule].self), .of("variable", Variable.self), .of("work_pool", WorkPool.self),
        .of("work_queue", WorkQueue.self), .of("workers", [Worker].self),
    ]

    static let cases: [Case] = modelFixtures.map { Case(name: $0.name, check: $0.decodedBothWays) } + [
        .body(FlowRunCreate(
            state: StateCreate(type: .scheduled, name: "Scheduled", stateDetails: StateDetails(scheduledTime: Date())),
            name: "r", flowID: UUID(), parameters: ["x": 1, "y": ["a", "b"]], tags: ["t"], labels: ["k": "v"])),
        .body(TaskRunCreate(
            state: StateCreate(type: .pending), flowRunID: UUID(), taskKey: "k", dynamicKey: "0",
            cacheExpiration: Date(), tags: ["t"], taskInputs: ["x": [.taskRun(TaskRunResult(id: UUID()))]])),
        .body(LogCreate(name: "prefect.flow_runs", level: 20, message: "hi", timestamp: Date(), flowRunID: UUID())),
        .body(FlowRunUpdate(name: "n", parameters: ["a": 1], empiricalPolicy: FlowRunPolicy(retries: 2), tags: [])),
        .body(TaskRunUpdate(name: "t")),
    ]

    @Test("tape initialisers and init(from:) agree on every mutation", arguments: cases)
    func agree(_ testCase: Case) throws {
        let variants = try testCase.check()
        #expect(variants > 10)
    }

    @Test("the 200-run filter answer decodes the same both ways")
    func largeAnswer() throws {
        let data = try Fixture.data("flow_runs_filter_200")
        let fromTape = try PrefectJSONDecoder().decode([FlowRun].self, from: data)
        let fromCodable = try PrefectJSONDecoder(modelsFromTape: false).decode([FlowRun].self, from: data)
        #expect(fromTape.count == 200)
        #expect(fromTape == fromCodable)
    }

    @Test("a model nested in a Codable type is read from the tape and reports its coding path")
    func nestedPath() throws {
        struct Page: Decodable { let runs: [FlowRun] }
        let text = #"{"runs": [{"flow_id": "b46cae0c-f71e-4735-b6cd-eb24c3de515b"}, {"flow_id": 7}]}"#
        #expect {
            try PrefectJSONDecoder().decode(Page.self, from: Data(text.utf8))
        } throws: { error in
            guard case DecodingError.typeMismatch(_, let context) = error else { return false }
            return context.codingPath.map(\.stringValue) == ["runs", "Index 1", "flow_id"]
        }
    }

    // MARK: mutations

    /// Values put in place of each member.
    static let replacements: [JSONValue] = [
        .null, .object([:]), .array([]), .string("text"), .string("2026-11-24T19:56:13.203589Z"),
        .string("PT12.5S"), .string("b46cae0c-f71e-4735-b6cd-eb24c3de515b"), .int(7), .double(12.5), .int(-1), .bool(true),
    ]

    /// Decodes `document` and each of its mutations both ways; returns how many were compared.
    static func compareMutations<T: Codable & Equatable>(_ type: T.Type, of document: JSONValue) throws -> Int {
        var variants = [document]
        variants += mutations(of: document, depth: 0)
        for variant in variants {
            let data = try JSONEncoder().encode(variant)
            let text = String(decoding: data, as: UTF8.self)
            let fromTape = outcome { try PrefectJSONDecoder().decode(T.self, from: data) }
            let fromCodable = outcome { try PrefectJSONDecoder(modelsFromTape: false).decode(T.self, from: data) }
            switch (fromTape, fromCodable) {
            case (.success(let a), .success(let b)):
                if a != b {
                    let differences = try differingPaths(a, b)
                    #expect(differences.allSatisfy { isRandomDefault($0, absentFrom: text) }, "\(text.prefix(300)): \(differences)")
                }
            case (.failure(let a), .failure(let b)):
                #expect(a == b, "\(text.prefix(300))")
            default:
                Issue.record("one way decoded, the other failed: tape \(fromTape), init(from:) \(fromCodable) for \(text.prefix(300))")
            }
        }
        return variants.count
    }

    /// Each member of each object (down to three levels, first array element only) removed,
    /// replaced, and each object's members reversed.
    static func mutations(of value: JSONValue, depth: Int) -> [JSONValue] {
        guard depth < 4 else { return [] }
        switch value {
        case .array(let elements):
            guard let first = elements.first else { return [] }
            return mutations(of: first, depth: depth + 1).map { .array([$0] + elements.dropFirst()) }
        case .object(let members):
            var result: [JSONValue] = []
            var reversed = JSONObject()
            for key in members.keys.reversed() { reversed[key] = members[key] }
            result.append(.object(reversed))
            for key in members.keys {
                var removed = members
                removed[key] = nil
                result.append(.object(removed))
                for replacement in replacements {
                    var replaced = members
                    replaced[key] = replacement
                    result.append(.object(replaced))
                }
                if let member = members[key] {
                    for inner in mutations(of: member, depth: depth + 1) {
                        var nested = members
                        nested[key] = inner
                        result.append(.object(nested))
                    }
                }
            }
            return result
        default:
            return []
        }
    }

    enum Outcome<T> {
        case success(T)
        case failure(String)
    }

    static func outcome<T>(_ body: () throws -> T) -> Outcome<T> {
        do { return .success(try body()) } catch { return .failure(describe(error)) }
    }

    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "not a DecodingError: \(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: "/") + ": " + context.debugDescription
        }
        switch error {
        case .typeMismatch(let type, let context): return "typeMismatch \(type) at \(path(context))"
        case .valueNotFound(let type, let context): return "valueNotFound \(type) at \(path(context))"
        case .keyNotFound(let key, let context): return "keyNotFound \(key.stringValue) at \(path(context))"
        case .dataCorrupted(let context): return "dataCorrupted at \(path(context))"
        @unknown default: return "\(error)"
        }
    }

    /// Where two values' JSON differs, as (path, one, other).
    static func differingPaths<T: Encodable>(_ a: T, _ b: T) throws -> [(String, JSONValue, JSONValue)] {
        let left = try PrefectJSONDecoder().decode(JSONValue.self, from: PrefectJSONEncoder().encode(a))
        let right = try PrefectJSONDecoder().decode(JSONValue.self, from: PrefectJSONEncoder().encode(b))
        var found: [(String, JSONValue, JSONValue)] = []
        func walk(_ l: JSONValue, _ r: JSONValue, _ path: String) {
            switch (l, r) {
            case (.object(let lm), .object(let rm)) where Set(lm.keys) == Set(rm.keys):
                for key in lm.keys { walk(lm[key] ?? .null, rm[key] ?? .null, path + "/" + key) }
            case (.array(let le), .array(let re)) where le.count == re.count:
                for (index, pair) in zip(le, re).enumerated() { walk(pair.0, pair.1, path + "/\(index)") }
            default:
                if l != r { found.append((path, l, r)) }
            }
        }
        walk(left, right, "")
        return found
    }

    /// Two different fresh ids, or two timestamps of now, neither of them in the document: the
    /// defaults `UUID()` and `Date()` that each decode makes anew for an absent member.
    static func isRandomDefault(_ difference: (String, JSONValue, JSONValue), absentFrom text: String) -> Bool {
        guard case .string(let left) = difference.1, case .string(let right) = difference.2,
            !text.contains(left), !text.contains(right)
        else { return false }
        if UUID(uuidString: left) != nil, UUID(uuidString: right) != nil { return true }
        guard let l = PrefectDate.parse(left), let r = PrefectDate.parse(right) else { return false }
        return abs(l.timeIntervalSinceNow) < 600 && abs(r.timeIntervalSinceNow) < 600
    }
}
