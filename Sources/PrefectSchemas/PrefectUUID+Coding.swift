public import Foundation

extension KeyedEncodingContainer {
    /// Encodes `id` in lower case, as Prefect writes UUIDs.
    public mutating func encodePrefectUUID(_ id: UUID, forKey key: Key) throws {
        try encode(id.prefectString, forKey: key)
    }

    /// Encodes `ids` in lower case, as Prefect writes UUIDs.
    public mutating func encodePrefectUUID(_ ids: [UUID], forKey key: Key) throws {
        try encode(ids.map { $0.prefectString }, forKey: key)
    }

    /// Encodes `id` in lower case when it is not `nil` (through `encodeIfPresent`, so an
    /// encoder that writes explicit nulls writes one here too).
    public mutating func encodePrefectUUIDIfPresent(_ id: UUID?, forKey key: Key) throws {
        try encodeIfPresent(id?.prefectString, forKey: key)
    }

    /// Encodes `ids` in lower case when they are not `nil`.
    public mutating func encodePrefectUUIDIfPresent(_ ids: [UUID]?, forKey key: Key) throws {
        try encodeIfPresent(ids?.map { $0.prefectString }, forKey: key)
    }
}
