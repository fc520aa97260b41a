public import Foundation

extension KeyedDecodingContainer {
    /// Decodes a Prefect timestamp (ISO 8601 text) at `key`, keeping microseconds.
    public func decodePrefectDate(forKey key: Key) throws -> Date {
        let text = try decode(String.self, forKey: key)
        guard let date = PrefectDate.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "Expected an ISO 8601 timestamp, got '\(text)'")
        }
        return date
    }

    /// Decodes an optional Prefect timestamp at `key`: absent or `null` gives `nil`.
    public func decodePrefectDateIfPresent(forKey key: Key) throws -> Date? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let date = PrefectDate.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "Expected an ISO 8601 timestamp, got '\(text)'")
        }
        return date
    }
}
