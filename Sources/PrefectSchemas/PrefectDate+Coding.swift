public import Foundation

extension KeyedDecodingContainer {
    /// Decodes a Prefect timestamp (ISO 8601 text) at `key`, keeping microseconds.
    public func decodePrefectDate(forKey key: Key) throws -> Date {
        try decode(PrefectTimestamp.self, forKey: key).date
    }

    /// Decodes an optional Prefect timestamp at `key`: absent or `null` gives `nil`.
    public func decodePrefectDateIfPresent(forKey key: Key) throws -> Date? {
        try decodeIfPresent(PrefectTimestamp.self, forKey: key)?.date
    }
}
