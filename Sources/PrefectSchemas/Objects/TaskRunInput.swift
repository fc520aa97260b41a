import Foundation

/// Where one input of a task run came from (Prefect's `RunInput` union), told apart by
/// `input_type`.
public enum TaskRunInput: Sendable, Hashable, Codable {
    /// The result of another task run.
    case taskRun(TaskRunResult)
    /// The result of a flow run.
    case flowRun(FlowRunResult)
    /// A parameter of the flow run.
    case parameter(Parameter)
    /// A constant.
    case constant(Constant)
    /// An input type this SDK does not know yet, kept as sent.
    case unknown(JSONValue)

    private enum Keys: String, CodingKey {
        case inputType = "input_type"
    }

    public init(from decoder: any Decoder) throws {
        let type = try decoder.container(keyedBy: Keys.self).decodeIfPresent(String.self, forKey: .inputType)
        switch type {
        case "task_run": self = .taskRun(try TaskRunResult(from: decoder))
        case "flow_run": self = .flowRun(try FlowRunResult(from: decoder))
        case "parameter": self = .parameter(try Parameter(from: decoder))
        case "constant": self = .constant(try Constant(from: decoder))
        default: self = .unknown(try JSONValue(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .taskRun(let input): try input.encode(to: encoder)
        case .flowRun(let input): try input.encode(to: encoder)
        case .parameter(let input): try input.encode(to: encoder)
        case .constant(let input): try input.encode(to: encoder)
        case .unknown(let value): try value.encode(to: encoder)
        }
    }
}
