public import Foundation

/// What makes an automation fire (Prefect's `TriggerTypes`, `prefect/events/schemas/automations.py`),
/// told apart by `type` as Prefect's `trigger_discriminator` does. A trigger this SDK does not
/// know (a newer server's, or Prefect Cloud's) is kept whole in ``unknown(_:)``, so reading and
/// saving an automation back loses nothing.
public enum AutomationTrigger: Sendable, Hashable, Codable {
    /// The presence (reactive) or absence (proactive) of events.
    case event(EventTrigger)
    /// A metric query crossing a threshold (Prefect Cloud).
    case metric(MetricTrigger)
    /// Some number of triggers firing within a period.
    case compound(CompoundTrigger)
    /// Triggers firing in order within a period.
    case sequence(SequenceTrigger)
    /// A trigger of a type this SDK does not know, as the server sent it.
    case unknown(JSONValue)

    public init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        guard case .object(let members) = value else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "A trigger is an object"))
        }
        switch Self.discriminator(members) {
        case "event": self = .event(try EventTrigger(from: decoder))
        case "metric": self = .metric(try MetricTrigger(from: decoder))
        case "compound": self = .compound(try CompoundTrigger(from: decoder))
        case "sequence": self = .sequence(try SequenceTrigger(from: decoder))
        default: self = .unknown(value)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .event(let trigger): try trigger.encode(to: encoder)
        case .metric(let trigger): try trigger.encode(to: encoder)
        case .compound(let trigger): try trigger.encode(to: encoder)
        case .sequence(let trigger): try trigger.encode(to: encoder)
        case .unknown(let value): try value.encode(to: encoder)
        }
    }

    /// `trigger_discriminator`: the `type`, else guessed from the members.
    public static func discriminator(_ members: JSONObject) -> String {
        if case .string(let type)? = members["type"] { return type }
        if members["triggers"] != nil { return members["require"] != nil ? "compound" : "sequence" }
        if case .string("Metric")? = members["posture"] { return "metric" }
        return "event"
    }
}

/// Whether an event trigger fires on events that happen or on events that do not (Prefect's `Posture`).
public enum Posture: Sendable, Hashable, Codable {
    case reactive
    case proactive
    case metric
    case unknown(String)

    public var rawValue: String {
        switch self {
        case .reactive: "Reactive"
        case .proactive: "Proactive"
        case .metric: "Metric"
        case .unknown(let value): value
        }
    }

    public init(rawValue: String) {
        switch rawValue {
        case "Reactive": self = .reactive
        case "Proactive": self = .proactive
        case "Metric": self = .metric
        default: self = .unknown(rawValue)
        }
    }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Labels a resource must have (Prefect's `ResourceSpecification`): each label's value, or one
/// of several values (`["a", "b"]`); `*` patterns as Prefect reads them.
public typealias ResourceSpecification = JSONObject

/// `match_related`: one specification, or several that each must match a related resource.
public enum RelatedResourceSpecification: Sendable, Hashable, Codable {
    case one(ResourceSpecification)
    case many([ResourceSpecification])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let many = try? container.decode([ResourceSpecification].self) {
            self = .many(many)
        } else {
            self = .one(try container.decode(ResourceSpecification.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .one(let specification): try container.encode(specification)
        case .many(let specifications): try container.encode(specifications)
        }
    }
}

/// Prefect's `EventTrigger`: fires when `threshold` events named in `expect` happen (reactive)
/// or fail to happen (proactive) within `within` seconds, per value of the `forEach` labels.
public struct EventTrigger: Sendable, Hashable, Codable {
    /// The server's id for this trigger (it assigns a new one on every save).
    public var id: UUID?
    public var match: ResourceSpecification
    public var matchRelated: RelatedResourceSpecification
    /// Events that must come first, before `expect` counts.
    public var after: [String]
    /// The events this trigger counts.
    public var expect: [String]
    public var forEach: [String]
    public var posture: Posture
    public var threshold: Int
    /// Seconds; at least 10 for a proactive trigger (0 becomes 10, as Prefect makes it).
    public var within: Double

    public init(
        id: UUID? = nil, match: ResourceSpecification = [:], matchRelated: RelatedResourceSpecification = .one([:]),
        after: [String] = [], expect: [String] = [], forEach: [String] = [], posture: Posture = .reactive,
        threshold: Int = 1, within: Double = 0
    ) {
        self.id = id
        self.match = match
        self.matchRelated = matchRelated
        self.after = after
        self.expect = expect
        self.forEach = forEach
        self.posture = posture
        self.threshold = threshold
        self.within = within
    }

    enum CodingKeys: String, CodingKey {
        case type, id, match, after, expect, posture, threshold, within
        case matchRelated = "match_related"
        case forEach = "for_each"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(UUID.self, forKey: .id)
        match = try container.decodeIfPresent(ResourceSpecification.self, forKey: .match) ?? [:]
        matchRelated = try container.decodeIfPresent(RelatedResourceSpecification.self, forKey: .matchRelated) ?? .one([:])
        after = try container.decodeIfPresent([String].self, forKey: .after) ?? []
        expect = try container.decodeIfPresent([String].self, forKey: .expect) ?? []
        forEach = try container.decodeIfPresent([String].self, forKey: .forEach) ?? []
        posture = try container.decodeIfPresent(Posture.self, forKey: .posture) ?? .reactive
        threshold = try container.decodeIfPresent(Int.self, forKey: .threshold) ?? 1
        within = try TriggerDuration.decode(container, .within) ?? 0
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("event", forKey: .type)
        try container.encodeIfPresent(id.map { $0.uuidString.lowercased() }, forKey: .id)
        try container.encode(match, forKey: .match)
        try container.encode(matchRelated, forKey: .matchRelated)
        try container.encode(after, forKey: .after)
        try container.encode(expect, forKey: .expect)
        try container.encode(forEach, forKey: .forEach)
        try container.encode(posture, forKey: .posture)
        try container.encode(threshold, forKey: .threshold)
        try container.encode(within, forKey: .within)
    }
}

/// Prefect's `MetricTriggerQuery`: a metric, its threshold and how long it must be breached.
public struct MetricTriggerQuery: Sendable, Hashable, Codable {
    /// `lateness`, `duration`, `successes`, or a metric a newer server knows.
    public var name: String
    public var threshold: Double
    /// `<`, `<=`, `>` or `>=`.
    public var `operator`: String
    /// Seconds the query looks back (at least 300).
    public var range: Double
    /// Seconds the threshold must stay breached (at least 300).
    public var firingFor: Double

    public init(name: String, threshold: Double, operator: String, range: Double = 300, firingFor: Double = 300) {
        self.name = name
        self.threshold = threshold
        self.operator = `operator`
        self.range = range
        self.firingFor = firingFor
    }

    enum CodingKeys: String, CodingKey {
        case name, threshold, `operator`, range
        case firingFor = "firing_for"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        threshold = try container.decode(Double.self, forKey: .threshold)
        `operator` = try container.decode(String.self, forKey: .operator)
        range = try TriggerDuration.decode(container, .range) ?? 300
        firingFor = try TriggerDuration.decode(container, .firingFor) ?? 300
    }
}

/// Prefect's `MetricTrigger` (Prefect Cloud): fires when a metric query breaches its threshold.
public struct MetricTrigger: Sendable, Hashable, Codable {
    public var id: UUID?
    public var match: ResourceSpecification
    public var matchRelated: RelatedResourceSpecification
    public var metric: MetricTriggerQuery

    public init(id: UUID? = nil, match: ResourceSpecification = [:], matchRelated: RelatedResourceSpecification = .one([:]),
                metric: MetricTriggerQuery) {
        self.id = id
        self.match = match
        self.matchRelated = matchRelated
        self.metric = metric
    }

    enum CodingKeys: String, CodingKey {
        case type, id, match, posture, metric
        case matchRelated = "match_related"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(UUID.self, forKey: .id)
        match = try container.decodeIfPresent(ResourceSpecification.self, forKey: .match) ?? [:]
        matchRelated = try container.decodeIfPresent(RelatedResourceSpecification.self, forKey: .matchRelated) ?? .one([:])
        metric = try container.decode(MetricTriggerQuery.self, forKey: .metric)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("metric", forKey: .type)
        try container.encodeIfPresent(id.map { $0.uuidString.lowercased() }, forKey: .id)
        try container.encode(match, forKey: .match)
        try container.encode(matchRelated, forKey: .matchRelated)
        try container.encode(Posture.metric, forKey: .posture)
        try container.encode(metric, forKey: .metric)
    }
}

/// How many of a compound trigger's triggers must fire (Prefect's `require`).
public enum CompoundRequirement: Sendable, Hashable, Codable {
    case any
    case all
    /// At least this many (1 up to the number of triggers).
    case atLeast(Int)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let count = try? container.decode(Int.self) {
            self = .atLeast(count)
            return
        }
        switch try container.decode(String.self) {
        case "any": self = .any
        case "all": self = .all
        case let other:
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "require is 'any', 'all' or a count, not '\(other)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .any: try container.encode("any")
        case .all: try container.encode("all")
        case .atLeast(let count): try container.encode(count)
        }
    }
}

/// Prefect's `CompoundTrigger`: fires when `require` of its triggers fire within `within` seconds.
public struct CompoundTrigger: Sendable, Hashable, Codable {
    public var id: UUID?
    public var triggers: [AutomationTrigger]
    public var within: Double?
    public var require: CompoundRequirement

    public init(id: UUID? = nil, triggers: [AutomationTrigger], within: Double? = nil, require: CompoundRequirement) {
        self.id = id
        self.triggers = triggers
        self.within = within
        self.require = require
    }

    enum CodingKeys: String, CodingKey {
        case type, id, triggers, within, require
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(UUID.self, forKey: .id)
        triggers = try container.decode([AutomationTrigger].self, forKey: .triggers)
        within = try TriggerDuration.decode(container, .within)
        require = try container.decode(CompoundRequirement.self, forKey: .require)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("compound", forKey: .type)
        try container.encodeIfPresent(id.map { $0.uuidString.lowercased() }, forKey: .id)
        try container.encode(triggers, forKey: .triggers)
        try container.encode(within, forKey: .within)
        try container.encode(require, forKey: .require)
    }
}

/// Prefect's `SequenceTrigger`: fires when its triggers fire in order within `within` seconds.
public struct SequenceTrigger: Sendable, Hashable, Codable {
    public var id: UUID?
    public var triggers: [AutomationTrigger]
    public var within: Double?

    public init(id: UUID? = nil, triggers: [AutomationTrigger], within: Double? = nil) {
        self.id = id
        self.triggers = triggers
        self.within = within
    }

    enum CodingKeys: String, CodingKey {
        case type, id, triggers, within
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(UUID.self, forKey: .id)
        triggers = try container.decode([AutomationTrigger].self, forKey: .triggers)
        within = try TriggerDuration.decode(container, .within)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("sequence", forKey: .type)
        try container.encodeIfPresent(id.map { $0.uuidString.lowercased() }, forKey: .id)
        try container.encode(triggers, forKey: .triggers)
        try container.encode(within, forKey: .within)
    }
}

/// Prefect's `DurationOrSecondsTimeDelta`: seconds as a number, or an ISO 8601 duration
/// (`PT1M30S`, `P1DT2H`) as pydantic reads a `timedelta`.
public enum TriggerDuration {
    /// The seconds `text` stands for: a number, or an ISO 8601 duration; nil for neither.
    public static func seconds(text: String) -> Double? {
        seconds(iso8601: text) ?? Double(text)
    }

    static func decode<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, _ key: Key) throws -> Double? {
        guard container.contains(key), try !container.decodeNil(forKey: key) else { return nil }
        if let seconds = try? container.decode(Double.self, forKey: key) { return seconds }
        let text = try container.decode(String.self, forKey: key)
        guard let seconds = seconds(text: text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "'\(text)' is not a duration")
        }
        return seconds
    }

    /// `P[nD][T[nH][nM][nS]]` in seconds.
    static func seconds(iso8601 text: String) -> Double? {
        guard let match = text.wholeMatch(of: /(-)?P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?/),
              text.count > 1, text != "PT" else { return nil }
        let days = match.output.2.flatMap { Double($0) } ?? 0
        let hours = match.output.3.flatMap { Double($0) } ?? 0
        let minutes = match.output.4.flatMap { Double($0) } ?? 0
        let seconds = match.output.5.flatMap { Double($0) } ?? 0
        let total = days * 86_400 + hours * 3_600 + minutes * 60 + seconds
        return match.output.1 == nil ? total : -total
    }
}
