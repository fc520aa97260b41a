public import Foundation
import HTTPTypes

/// Events (Prefect's `EventsAsyncClient`, `prefect/client/orchestration/_events/client.py`, and
/// `POST /events`, `POST /events/count-by/{countable}` of its events API).
extension PrefectClient {
    /// Records a batch of events (`POST /events`). Each event's id makes sending it again
    /// harmless: the server keeps one. Prefect's server stores them through its event pipeline,
    /// so they can be read a moment later; the embedded server stores them at once.
    public func emitEvents(_ events: [Event]) async throws {
        _ = try await request(.post, "/events", json: events)
    }

    /// The first page of events matching `filter` (those of the last 180 days, newest first, by
    /// default), at most `limit` (`POST /events/filter`). Prefect's server takes at most 50 a
    /// page, so the default is 50 (the Python client's 100 is refused with a 422).
    public func readEvents(filter: EventFilter? = nil, limit: Int = 50) async throws -> EventPage {
        try await request(.post, "/events/filter", json: EventQuery(filter: filter, limit: limit)).decode(EventPage.self)
    }

    /// The page `nextPage` names (an ``EventPage/nextPage`` of this server).
    ///
    /// - Throws: ``PrefectArgumentError`` for a URL outside this client's API; ``PrefectHTTPStatusError``
    ///   403 for a page token the server does not accept.
    public func readEventsPage(_ nextPage: URL) async throws -> EventPage {
        // Only a page of this server: its credentials are not sent anywhere else.
        let api = URLComponents(string: apiURL)
        let base = api?.path ?? ""
        guard let components = URLComponents(url: nextPage, resolvingAgainstBaseURL: false), components.path.hasPrefix(base),
              components.host?.lowercased() == api?.host?.lowercased(), components.port == api?.port else {
            throw PrefectArgumentError(argument: "nextPage", message: "\(nextPage) is not a page of \(apiURL)")
        }
        let path = String(components.path.dropFirst(base.count))
        return try await request(.get, path, query: components.queryItems ?? []).decode(EventPage.self)
    }

    /// Events matching `filter` counted by name, resource, day or time bucket
    /// (`POST /events/count-by/{countable}`); buckets of `timeUnit` × `timeInterval`.
    public func countEvents(
        by countable: EventCountable, filter: EventFilter = EventFilter(), timeUnit: EventTimeUnit = .day, timeInterval: Double = 1
    ) async throws -> [EventCount] {
        try await request(
            .post, "/events/count-by/\(countable.rawValue)",
            json: EventCountQuery(filter: filter, timeUnit: timeUnit, timeInterval: timeInterval)
        ).decode([EventCount].self)
    }
}

private struct EventQuery: Encodable {
    var filter: EventFilter?
    var limit: Int

    func encode(to encoder: any Encoder) throws {
        enum Keys: String, CodingKey { case filter, limit }
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(filter, forKey: .filter)
        try container.encode(limit, forKey: .limit)
    }
}

private struct EventCountQuery: Encodable {
    var filter: EventFilter
    var timeUnit: EventTimeUnit
    var timeInterval: Double

    enum CodingKeys: String, CodingKey {
        case filter
        case timeUnit = "time_unit"
        case timeInterval = "time_interval"
    }
}
