import Foundation
import PrefectSchemas
import Testing

@Suite("Removing top-level keys")
struct TopLevelKeysTests {
    private func remove(_ keys: Set<String>, _ text: String) throws -> String {
        String(decoding: try PrefectJSON.removingTopLevelKeys(keys, from: Data(text.utf8)), as: UTF8.self)
    }

    @Test("first, middle, last, all, and none of the members")
    func positions() throws {
        #expect(try remove(["a"], #"{"a":1,"b":2,"c":3}"#) == #"{"b":2,"c":3}"#)
        #expect(try remove(["b"], #"{"a":1,"b":2,"c":3}"#) == #"{"a":1,"c":3}"#)
        #expect(try remove(["c"], #"{"a":1,"b":2,"c":3}"#) == #"{"a":1,"b":2}"#)
        #expect(try remove(["a", "b"], #"{"a":1,"b":2}"#) == "{}")
        let spaced = try remove(["a", "c"], #"{ "a" : 1 , "b" : [2] , "c" : null }"#)
        #expect(try PrefectJSON.decode(JSONValue.self, from: Data(spaced.utf8)) == ["b": [2]])
        #expect(try remove(["z"], #"{"a":1}"#) == #"{"a":1}"#)
    }

    @Test("nested members and look-alikes inside strings are kept")
    func onlyTopLevel() throws {
        let text = #"{"p":{"estimated_run_time":0.0},"s":"\"estimated_run_time\":0.0","estimated_run_time":0.0,"x":1}"#
        #expect(try remove(["estimated_run_time"], text) == #"{"p":{"estimated_run_time":0.0},"s":"\"estimated_run_time\":0.0","x":1}"#)
    }

    @Test("a run without its estimates decodes with zero estimates")
    func runWithoutEstimates() throws {
        var run = FlowRun(flowID: UUID(), parameters: ["estimated_run_time": 5])
        run.estimatedRunTime = 3
        let stripped = try PrefectJSON.removingTopLevelKeys(
            ["estimated_run_time", "estimated_start_time_delta"], from: PrefectJSON.encode(run))
        let decoded = try PrefectJSON.decode(FlowRun.self, from: stripped)
        #expect(decoded.estimatedRunTime == 0)
        #expect(decoded.parameters == ["estimated_run_time": 5])
    }

    @Test("containers under a named key and non-objects are refused")
    func refusals() {
        #expect(throws: DecodingError.self) { try remove(["a"], #"{"a":[1]}"#) }
        #expect(throws: DecodingError.self) { try remove(["a"], "[1]") }
        #expect(throws: DecodingError.self) { try remove(["a"], #"{"a":"#) }
    }
}
