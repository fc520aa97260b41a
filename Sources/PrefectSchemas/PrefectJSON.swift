public import Foundation

/// The JSON coding the SDK uses for Prefect payloads.
public enum PrefectJSON {
    /// Decodes `type` from `data`.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try PrefectJSONDecoder().decode(type, from: data)
    }

    /// Encodes `value` as compact JSON.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        try PrefectJSONEncoder().encode(value)
    }
}
