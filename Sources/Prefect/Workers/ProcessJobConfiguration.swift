import Foundation
import PrefectClient
import PrefectSchemas

/// A process job for one flow run: the pool's base job template filled with the variables'
/// defaults, then the deployment's and the run's job variables — Prefect's
/// `BaseJobConfiguration.from_template_and_values` and `ProcessJobConfiguration`
/// (`prefect/workers/base.py`, `prefect/workers/process.py`).
struct ProcessJobConfiguration: Equatable {
    /// The command line, or nil for Prefect's default (`python -m prefect.engine`).
    var command: String?
    var env: [String: String]
    var workingDirectory: String?
    var name: String?

    /// Prefect's default command for a process job without one.
    static let defaultCommand = "python -m prefect.engine"

    /// The job for a run, from the pool's `baseJobTemplate` and the job variables of its
    /// deployment and of the run itself (the run's win).
    static func resolve(baseJobTemplate: JSONObject, deploymentVariables: JSONObject, flowRunVariables: JSONObject) -> Self {
        var variables = JSONObject()
        if case .object(let properties)? = baseJobTemplate["variables"]?["properties"] {
            for (key, schema) in properties {
                if let value = schema["default"] { variables[key] = value }
            }
        }
        var configuration = baseJobTemplate["job_configuration"] ?? .object([:])
        for (key, value) in deploymentVariables { variables[key] = value }
        for (key, value) in flowRunVariables { variables[key] = value }
        if case .object(var members) = configuration, case .object(let baseEnv)? = members["env"],
            case .object(let env)? = variables["env"]
        {
            // A template whose env is a mapping keeps its own entries under the variables'.
            var merged = baseEnv
            for (key, value) in env { merged[key] = value }
            members["env"] = .object(merged)
            configuration = .object(members)
        }
        let filled = PlaceholderValues.apply(configuration, variables) ?? .object([:])
        var env: [String: String] = [:]
        if case .object(let members)? = filled["env"] {
            for (key, value) in members {
                switch value {
                case .string(let text): env[key] = text
                case .null: continue
                default: env[key] = String(decoding: (try? PrefectJSON.encode(value)) ?? Data(), as: UTF8.self)
                }
            }
        }
        return ProcessJobConfiguration(
            command: filled["command"]?.stringValue, env: env, workingDirectory: filled["working_dir"]?.stringValue,
            name: filled["name"]?.stringValue)
    }
}
