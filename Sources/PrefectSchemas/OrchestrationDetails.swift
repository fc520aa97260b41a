import Foundation

/// Why the server answered a proposed state as it did (the `details` of an
/// ``OrchestrationResult``), told apart by `type`.
public enum OrchestrationDetails: Sendable, Hashable, Codable {
    case accept(StateAcceptDetails)
    /// Try again after `delaySeconds`.
    case wait(StateWaitDetails)
    case reject(StateRejectDetails)
    case abort(StateAbortDetails)
    /// A kind of details this SDK does not know yet, kept as sent.
    case unknown(JSONValue)

    private enum Keys: String, CodingKey {
        case type
    }

    public init(from decoder: any Decoder) throws {
        let type = try decoder.container(keyedBy: Keys.self).decodeIfPresent(String.self, forKey: .type)
        switch type {
        case "accept_details": self = .accept(try StateAcceptDetails(from: decoder))
        case "wait_details": self = .wait(try StateWaitDetails(from: decoder))
        case "reject_details": self = .reject(try StateRejectDetails(from: decoder))
        case "abort_details": self = .abort(try StateAbortDetails(from: decoder))
        default: self = .unknown(try JSONValue(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .accept(let details): try details.encode(to: encoder)
        case .wait(let details): try details.encode(to: encoder)
        case .reject(let details): try details.encode(to: encoder)
        case .abort(let details): try details.encode(to: encoder)
        case .unknown(let value): try value.encode(to: encoder)
        }
    }

    /// The reason the server gave, if any.
    public var reason: String? {
        switch self {
        case .wait(let details): details.reason
        case .reject(let details): details.reason
        case .abort(let details): details.reason
        default: nil
        }
    }
}
