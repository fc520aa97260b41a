public import Foundation

/// Which events to read (Prefect's `EventFilter`, `prefect/events/filters.py`). Members left
/// nil do not narrow; without `occurred` the server reads from the start of the day 180 days ago.
public struct EventFilter: Sendable, Hashable, Codable {
    public var occurred: Occurred?
    public var event: Name?
    public var resource: Resources?
    /// Events with a related resource matching this.
    public var related: Related?
    /// Events whose resource or any related resource matches this.
    public var anyResource: Resources?
    /// Events with one of these ids.
    public var id: [UUID]?
    /// Newest first (`DESC`, the default) or oldest first.
    public var order: Order?

    public init(
        occurred: Occurred? = nil, event: Name? = nil, resource: Resources? = nil, related: Related? = nil,
        anyResource: Resources? = nil, id: [UUID]? = nil, order: Order? = nil
    ) {
        self.occurred = occurred
        self.event = event
        self.resource = resource
        self.related = related
        self.anyResource = anyResource
        self.id = id
        self.order = order
    }

    /// `EventOrder`.
    public enum Order: String, Sendable, Hashable, Codable {
        case ascending = "ASC"
        case descending = "DESC"
    }

    /// `EventOccurredFilter`: events that occurred from `since` to `until`, both included.
    public struct Occurred: Sendable, Hashable, Codable {
        public var since: Date?
        public var until: Date?

        public init(since: Date? = nil, until: Date? = nil) {
            self.since = since
            self.until = until
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            since = try container.decodePrefectDateIfPresent(forKey: .since)
            until = try container.decodePrefectDateIfPresent(forKey: .until)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(since.map(PrefectDate.format), forKey: .since)
            try container.encodeIfPresent(until.map(PrefectDate.format), forKey: .until)
        }

        enum CodingKeys: String, CodingKey { case since, until }
    }

    /// `EventNameFilter`: names starting with or equal to, and not.
    public struct Name: Sendable, Hashable, Codable {
        public var prefix: [String]?
        public var excludePrefix: [String]?
        public var name: [String]?
        public var excludeName: [String]?

        public init(prefix: [String]? = nil, excludePrefix: [String]? = nil, name: [String]? = nil, excludeName: [String]? = nil) {
            self.prefix = prefix
            self.excludePrefix = excludePrefix
            self.name = name
            self.excludeName = excludeName
        }

        enum CodingKeys: String, CodingKey {
            case prefix, name
            case excludePrefix = "exclude_prefix"
            case excludeName = "exclude_name"
        }
    }

    /// `EventResourceFilter` and `EventAnyResourceFilter`: resource ids, id prefixes, labels.
    public struct Resources: Sendable, Hashable, Codable {
        public var id: [String]?
        public var idPrefix: [String]?
        /// Labels the resource must have; a value may be a list of alternatives.
        public var labels: ResourceSpecification?

        public init(id: [String]? = nil, idPrefix: [String]? = nil, labels: ResourceSpecification? = nil) {
            self.id = id
            self.idPrefix = idPrefix
            self.labels = labels
        }

        enum CodingKeys: String, CodingKey {
            case id, labels
            case idPrefix = "id_prefix"
        }
    }

    /// `EventRelatedFilter`: a related resource with one of these ids or roles.
    public struct Related: Sendable, Hashable, Codable {
        public var id: [String]?
        public var role: [String]?
        public var labels: ResourceSpecification?

        public init(id: [String]? = nil, role: [String]? = nil, labels: ResourceSpecification? = nil) {
            self.id = id
            self.role = role
            self.labels = labels
        }
    }

    enum CodingKeys: String, CodingKey {
        case occurred, event, resource, related, id, order
        case anyResource = "any_resource"
    }

    private enum IDKeys: String, CodingKey { case id }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        occurred = try container.decodeIfPresent(Occurred.self, forKey: .occurred)
        event = try container.decodeIfPresent(Name.self, forKey: .event)
        resource = try container.decodeIfPresent(Resources.self, forKey: .resource)
        related = try container.decodeIfPresent(Related.self, forKey: .related)
        anyResource = try container.decodeIfPresent(Resources.self, forKey: .anyResource)
        if container.contains(.id), try !container.decodeNil(forKey: .id) {
            id = try container.nestedContainer(keyedBy: IDKeys.self, forKey: .id).decodeIfPresent([UUID].self, forKey: .id)
        }
        order = try container.decodeIfPresent(Order.self, forKey: .order)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(occurred, forKey: .occurred)
        try container.encodeIfPresent(event, forKey: .event)
        try container.encodeIfPresent(resource, forKey: .resource)
        try container.encodeIfPresent(related, forKey: .related)
        try container.encodeIfPresent(anyResource, forKey: .anyResource)
        if let id {
            var ids = container.nestedContainer(keyedBy: IDKeys.self, forKey: .id)
            try ids.encode(id.map { $0.uuidString.lowercased() }, forKey: .id)
        }
        try container.encodeIfPresent(order, forKey: .order)
    }
}

/// What events can be counted by (Prefect's `Countable`).
public enum EventCountable: String, Sendable, Hashable, Codable, CaseIterable {
    /// Per time bucket of `time_unit` × `time_interval`.
    case day, time
    /// Per event name.
    case event
    /// Per resource id.
    case resource
}

/// The unit of ``EventCountable/time`` buckets (Prefect's `TimeUnit`).
public enum EventTimeUnit: String, Sendable, Hashable, Codable, CaseIterable {
    case week, day, hour, minute, second
}

/// One group of counted events (Prefect's `EventCount`).
public struct EventCount: Sendable, Hashable, Codable {
    /// The event name, resource id or bucket start this group is for.
    public var value: String
    public var label: String
    public var count: Int
    public var startTime: Date
    public var endTime: Date

    public init(value: String, label: String, count: Int, startTime: Date, endTime: Date) {
        self.value = value
        self.label = label
        self.count = count
        self.startTime = startTime
        self.endTime = endTime
    }

    enum CodingKeys: String, CodingKey {
        case value, label, count
        case startTime = "start_time"
        case endTime = "end_time"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        value = try container.decode(String.self, forKey: .value)
        label = try container.decode(String.self, forKey: .label)
        count = try container.decode(Int.self, forKey: .count)
        startTime = try container.decodePrefectDate(forKey: .startTime)
        endTime = try container.decodePrefectDate(forKey: .endTime)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(value, forKey: .value)
        try container.encode(label, forKey: .label)
        try container.encode(count, forKey: .count)
        try container.encode(PrefectDate.format(startTime), forKey: .startTime)
        try container.encode(PrefectDate.format(endTime), forKey: .endTime)
    }
}
