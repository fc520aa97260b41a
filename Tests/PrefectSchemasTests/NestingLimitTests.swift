import Foundation
import PrefectSchemas
import Testing

/// Absurdly deep JSON is a `DecodingError`, never a stack overflow, on any thread.
@Suite("JSON nesting limit")
struct NestingLimitTests {
    /// `{"a":{"a":…1}}` or `[[…]]`, `depth` levels deep.
    enum Shape: String, CaseIterable, Sendable {
        case objects, arrays

        func make(_ depth: Int) -> Data {
            switch self {
            case .objects: Data((String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)).utf8)
            case .arrays: Data((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8)
            }
        }
    }

    static func flowRun(parameters: Data) -> Data {
        var data = Data(#"{"id":"2f0c1c52-2a5c-4b0e-9a57-1d6f5c1f3a10","flow_id":"0d7f1a0e-1c2b-4c3d-8e4f-5a6b7c8d9e0f","name":"deep","parameters":{"p":"#.utf8)
        data.append(parameters)
        data.append(Data("}}".utf8))
        return data
    }

    @Test("512 levels decode, 513 are refused", arguments: Shape.allCases)
    func limit(shape: Shape) async throws {
        let accepted = try await Task.detached { try PrefectJSON.decode(JSONValue.self, from: shape.make(512)) }.value
        #expect(accepted != .null)
        await #expect(throws: DecodingError.self) {
            try await Task.detached { try PrefectJSON.decode(JSONValue.self, from: shape.make(513)) }.value
        }
    }

    @Test("100,000 levels inside a flow run's parameters are a data-corrupted error, in a concurrency task",
          arguments: Shape.allCases)
    func hostileDepthInTask(shape: Shape) async throws {
        let body = Self.flowRun(parameters: shape.make(100_000))
        let error = await #expect(throws: DecodingError.self) {
            try await Task { try PrefectJSON.decode(FlowRun.self, from: body) }.value
        }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("expected dataCorrupted, got \(String(describing: error))")
            return
        }
        #expect(context.debugDescription.contains("nested deeper than 512 levels"))
    }

    @Test("the deepest accepted document also decodes inside a flow run, in a concurrency task")
    func deepestInsideModel() async throws {
        let body = Self.flowRun(parameters: Shape.objects.make(510))
        let run = try await Task { try PrefectJSON.decode(FlowRun.self, from: body) }.value
        #expect(run.name == "deep")
    }
}
