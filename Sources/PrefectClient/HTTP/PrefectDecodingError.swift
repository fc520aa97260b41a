import Foundation
import HTTPTypes

/// A 2xx response whose body is not the JSON the client expected: malformed JSON, a missing
/// field, a value of the wrong type.
public struct PrefectDecodingError: Error, Sendable, CustomStringConvertible {
    /// The type the body was decoded as.
    public var typeName: String
    /// The response, body included, so nothing is lost.
    public var response: PrefectResponse
    /// What the decoder said, with the coding path.
    public var underlying: String

    public init<T>(type: T.Type, response: PrefectResponse, underlying: any Error) {
        self.typeName = String(describing: type)
        self.response = response
        self.underlying = Self.explain(underlying)
    }

    public var description: String {
        "Could not decode \(typeName) from \(response.method.rawValue) '\(response.url)' "
            + "(status \(response.statusCode), \(response.body.count) bytes): \(underlying)"
    }

    private static func explain(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "top level" : keys
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "expected \(type) at \(path(context)): \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            return "missing \(type) value at \(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "missing key '\(key.stringValue)' at \(path(context))"
        case .dataCorrupted(let context):
            return "invalid data at \(path(context)): \(context.debugDescription)"
        @unknown default:
            return String(describing: error)
        }
    }
}
