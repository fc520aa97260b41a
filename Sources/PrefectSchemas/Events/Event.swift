public import Foundation

/// A resource an event is about, or relates to (Prefect's `Resource` and `RelatedResource`,
/// `prefect/events/schemas/events.py`): labels, with `prefect.resource.id` always among them.
/// The labels keep the order they were written or decoded in, as Prefect keeps them; labels
/// set later follow, in name order. Two resources with the same labels are equal whatever
/// their order.
public struct EventResource: Sendable, Hashable, Codable, ExpressibleByDictionaryLiteral {
    public var labels: [String: String]
    /// The labels' names in the order given.
    private var order: [String]

    public init(labels: [String: String]) {
        self.labels = labels
        self.order = labels.keys.sorted()
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        labels = Dictionary(elements) { _, last in last }
        order = elements.map(\.0)
    }

    /// `prefect.resource.id`.
    public var id: String { labels["prefect.resource.id"] ?? "" }
    /// `prefect.resource.name`, when set.
    public var name: String? { labels["prefect.resource.name"] }
    /// `prefect.resource.role`: how a related resource relates (`flow`, `tag`, …).
    public var role: String? { labels["prefect.resource.role"] }

    /// The labels in their order.
    public var orderedLabels: [(name: String, value: String)] {
        var seen = Set<String>(minimumCapacity: order.count)
        var result: [(name: String, value: String)] = []
        result.reserveCapacity(labels.count)
        for name in order where seen.insert(name).inserted {
            if let value = labels[name] { result.append((name, value)) }
        }
        guard result.count < labels.count else { return result }
        for name in labels.keys.sorted() where !seen.contains(name) {
            if let value = labels[name] { result.append((name, value)) }
        }
        return result
    }

    public init(from decoder: any Decoder) throws {
        let object = try JSONObject(from: decoder)
        var labels: [String: String] = [:]
        for (name, value) in object {
            guard case .string(let text) = value else {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: decoder.codingPath, debugDescription: "The label '\(name)' is not a string"))
            }
            labels[name] = text
        }
        self.labels = labels
        self.order = object.keys
    }

    public func encode(to encoder: any Encoder) throws {
        try JSONObject(orderedLabels.map { ($0.name, JSONValue.string($0.value)) }).encode(to: encoder)
    }

    public static func == (lhs: EventResource, rhs: EventResource) -> Bool { lhs.labels == rhs.labels }
    public func hash(into hasher: inout Hasher) { hasher.combine(labels) }
}

/// Something that happened (Prefect's `Event`): its name, when, to which resource and with
/// which related ones. `id` is the client's and makes sending an event twice harmless: the
/// server keeps one.
public struct Event: Sendable, Hashable, Codable {
    public var id: UUID
    public var occurred: Date
    /// Dotted name, `prefect.flow-run.Completed`.
    public var event: String
    public var resource: EventResource
    public var related: [EventResource]
    public var payload: JSONObject
    /// The event this one follows, for ordering events that occur close together.
    public var follows: UUID?

    public init(
        event: String, resource: EventResource, occurred: Date = Date(), related: [EventResource] = [],
        payload: JSONObject = [:], id: UUID = UUID.version4(), follows: UUID? = nil
    ) {
        self.id = id
        self.occurred = occurred
        self.event = event
        self.resource = resource
        self.related = related
        self.payload = payload
        self.follows = follows
    }

    enum CodingKeys: String, CodingKey {
        case id, occurred, event, resource, related, payload, follows
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(UUID.self, forKey: .id)
        occurred = try container.decodePrefectDate(forKey: .occurred)
        event = try container.decode(String.self, forKey: .event)
        resource = try container.decode(EventResource.self, forKey: .resource)
        related = try container.decodeIfPresent([EventResource].self, forKey: .related) ?? []
        payload = try container.decodeIfPresent(JSONObject.self, forKey: .payload) ?? [:]
        follows = try container.decodeIfPresent(UUID.self, forKey: .follows)
    }

    /// Members in Prefect's order: `occurred`, `event`, `resource`, `related`, `payload`, `id`,
    /// `follows`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(PrefectDate.format(occurred), forKey: .occurred)
        try container.encode(event, forKey: .event)
        try container.encode(resource, forKey: .resource)
        try container.encode(related, forKey: .related)
        try container.encode(payload, forKey: .payload)
        try container.encode(id.uuidString.lowercased(), forKey: .id)
        try container.encode(follows.map { $0.uuidString.lowercased() }, forKey: .follows)
    }
}

/// An event as the server keeps it (Prefect's `ReceivedEvent`): the event and when it arrived.
@dynamicMemberLookup
public struct ReceivedEvent: Sendable, Hashable, Codable {
    public var event: Event
    public var received: Date

    public init(_ event: Event, received: Date) {
        self.event = event
        self.received = received
    }

    /// The members of ``event``, read as this one's (`received.resource`).
    public subscript<Value>(dynamicMember keyPath: KeyPath<Event, Value>) -> Value {
        event[keyPath: keyPath]
    }

    enum CodingKeys: String, CodingKey {
        case received
    }

    public init(from decoder: any Decoder) throws {
        event = try Event(from: decoder)
        received = try decoder.container(keyedBy: CodingKeys.self).decodePrefectDate(forKey: .received)
    }

    public func encode(to encoder: any Encoder) throws {
        try event.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(PrefectDate.format(received), forKey: .received)
    }
}

/// A page of events (Prefect's `EventPage`): the events, how many match in all, and where the
/// next page is (``PrefectClient/readEventsPage(_:)``).
public struct EventPage: Sendable, Hashable, Codable {
    public var events: [ReceivedEvent]
    public var total: Int
    public var nextPage: URL?

    public init(events: [ReceivedEvent], total: Int, nextPage: URL? = nil) {
        self.events = events
        self.total = total
        self.nextPage = nextPage
    }

    enum CodingKeys: String, CodingKey {
        case events, total
        case nextPage = "next_page"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        events = try container.decode([ReceivedEvent].self, forKey: .events)
        total = try container.decode(Int.self, forKey: .total)
        nextPage = try container.decodeIfPresent(String.self, forKey: .nextPage).flatMap(URL.init(string:))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(events, forKey: .events)
        try container.encode(total, forKey: .total)
        try container.encode(nextPage?.absoluteString, forKey: .nextPage)
    }
}
