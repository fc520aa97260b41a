import Foundation
import PrefectSchemas
import Testing

@Suite("Filters encode exactly what Prefect's client sends")
struct FilterEncodingTests {
    /// The body the client sends (``PrefectJSONEncoder``), as sorted-key text; checked to mean
    /// the same as Foundation's encoding.
    private func json(_ value: some Encodable) throws -> String {
        let sent = try JSONDecoder().decode(JSONValue.self, from: PrefectJSONEncoder().encode(value))
        #expect(sent == (try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))))
        return sent.jsonText
    }

    @Test("only what was set, with Prefect's operator names")
    func exactJSON() throws {
        // FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[RUNNING, PENDING])),
        //   tags=FlowRunFilterTags(all_=["a"]), start_time=FlowRunFilterStartTime(is_null_=True))
        //   .model_dump(mode="json", exclude_unset=True), prefect 3.9.1:
        let flowRunFilter = FlowRunFilter(
            tags: FlowRunFilterTags(all: ["a"]),
            state: FlowRunFilterState(type: FlowRunFilterStateType(any: [.running, .pending])),
            startTime: FlowRunFilterStartTime(isNull: true))
        #expect(try json(flowRunFilter) == #"{"start_time":{"is_null_":true},"state":{"type":{"any_":["RUNNING","PENDING"]}},"tags":{"all_":["a"]}}"#)

        // FlowFilter(operator="or_", name=FlowFilterName(like_="etl")):
        #expect(try json(FlowFilter(operator: .or, name: FlowFilterName(like: "etl"))) == #"{"name":{"like_":"etl"},"operator":"or_"}"#)
        #expect(try json(FlowRunFilter()) == "{}")
    }

    @Test("ids are lower case and dates keep microseconds")
    func idsAndDates() throws {
        let id = try #require(UUID(uuidString: "B46CAE0C-F71E-4735-B6CD-EB24C3DE515B"))
        let before = try #require(PrefectDate.parse("2026-11-24T19:30:00.123456Z"))
        let filter = FlowRunFilter(id: FlowRunFilterId(any: [id]), startTime: FlowRunFilterStartTime(before: before))
        #expect(try json(filter) == #"{"id":{"any_":["b46cae0c-f71e-4735-b6cd-eb24c3de515b"]},"start_time":{"before_":"2026-11-24T19:30:00.123456Z"}}"#)
    }

    @Test("sort values are Prefect's")
    func sorts() {
        #expect(FlowRunSort.expectedStartTimeDesc.rawValue == "EXPECTED_START_TIME_DESC")
        #expect(LogSort(rawValue: "TIMESTAMP_ASC") == .timestampAsc)
        #expect(TaskRunSort(rawValue: "SOMETHING_NEW") == .unknown("SOMETHING_NEW"))
    }

    @Test("PATCH bodies leave out what was not set")
    func patchBodies() throws {
        #expect(try json(FlowRunUpdate(name: "renamed")) == #"{"name":"renamed"}"#)
        #expect(try json(DeploymentUpdate(paused: true)) == #"{"paused":true}"#)
    }
}
