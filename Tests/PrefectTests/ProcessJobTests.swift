import Foundation
import Testing

@testable import Prefect

@Suite("Process jobs as Prefect 3.9.1's process worker makes them (recorded by scripts/record-process-jobs.py)")
struct ProcessJobTests {
    static let recorded = Fixtures.object("process-jobs.json")

    static func cases(_ key: String) -> [JSONValue] {
        guard case .array(let items)? = recorded[key] else { return [] }
        return items
    }

    @Test("commands split into the words shlex.split gives", arguments: cases("commands"))
    func split(recorded: JSONValue) throws {
        let line = try #require(recorded["line"]?.stringValue)
        let words = try #require(recorded["words"])
        #expect(JSONValue.array(try ShellWords.split(line).map(JSONValue.string)) == words, "\(line)")
    }

    @Test("an unclosed quote is an error, not a guess")
    func unclosedQuote() {
        #expect(throws: ShellWords.SplitError.self) { try ShellWords.split("run 'half") }
    }

    @Test("the base job template filled with job variables gives Prefect's command, env, working directory and name", arguments: cases("jobs"))
    func job(recorded: JSONValue) throws {
        let template = try PrefectJSON.decode(JSONObject.self, from: Data(ProcessBaseJobTemplate.json.utf8))
        guard case .object(let values)? = recorded["values"] else {
            Issue.record("no values")
            return
        }
        let job = ProcessJobConfiguration.resolve(baseJobTemplate: template, deploymentVariables: values, flowRunVariables: [:])
        #expect(job.command.map(JSONValue.string) ?? .null == recorded["command"])
        #expect(JSONValue.object(JSONObject(job.env.mapValues(JSONValue.string))) == recorded["env"])
        #expect(job.workingDirectory.map(JSONValue.string) ?? .null == recorded["working_dir"])
        #expect(job.name.map(JSONValue.string) ?? .null == recorded["name"])
    }

    @Test("a run's job variables win over its deployment's")
    func runVariablesWin() throws {
        let template = try PrefectJSON.decode(JSONObject.self, from: Data(ProcessBaseJobTemplate.json.utf8))
        let job = ProcessJobConfiguration.resolve(
            baseJobTemplate: template, deploymentVariables: ["command": "a", "env": ["X": "1"]],
            flowRunVariables: ["command": "b"])
        #expect(job.command == "b")
        #expect(job.env == ["X": "1"])
    }
}
