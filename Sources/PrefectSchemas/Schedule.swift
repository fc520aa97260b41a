import Foundation

/// A deployment schedule: one of Prefect's three schedule kinds, or none.
///
/// Decodes by shape as pydantic does with its union: an object with `interval` is an
/// ``IntervalSchedule``, with `cron` a ``CronSchedule``, with `rrule` an ``RRuleSchedule``;
/// an empty object is ``none``. Anything else is kept as ``unknown(_:)``.
public enum Schedule: Sendable, Hashable, Codable {
    case interval(IntervalSchedule)
    case cron(CronSchedule)
    case rrule(RRuleSchedule)
    /// `NoSchedule`: `{}`.
    case none
    /// A schedule kind this SDK does not know yet, kept as sent.
    case unknown(JSONValue)

    private enum Keys: String, CodingKey {
        case interval, cron, rrule
    }

    public init(from decoder: any Decoder) throws {
        let keys = try decoder.container(keyedBy: Keys.self)
        if keys.contains(.interval) {
            self = .interval(try IntervalSchedule(from: decoder))
        } else if keys.contains(.cron) {
            self = .cron(try CronSchedule(from: decoder))
        } else if keys.contains(.rrule) {
            self = .rrule(try RRuleSchedule(from: decoder))
        } else {
            let value = try JSONValue(from: decoder)
            self = value == .object([:]) ? .none : .unknown(value)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .interval(let schedule): try schedule.encode(to: encoder)
        case .cron(let schedule): try schedule.encode(to: encoder)
        case .rrule(let schedule): try schedule.encode(to: encoder)
        case .none: try NoSchedule().encode(to: encoder)
        case .unknown(let value): try value.encode(to: encoder)
        }
    }
}
