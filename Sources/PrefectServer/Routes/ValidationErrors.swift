import Foundation
import PrefectSchemas

/// Pydantic's error entries for a body the models could not decode: the error `type` and
/// message pydantic-core gives for the value it met (read from the body at the error's path),
/// and that value as the entry's `input` (for a missing member, the object it is missing from).
enum ValidationErrors {
    /// - Parameter parameters: whether the body's top-level members are a route's `Body(...)`
    ///   parameters (each validated alone by FastAPI, so a missing one has no input) rather
    ///   than one model's fields.
    static func entry(for error: DecodingError, in body: JSONValue? = nil, text: Data? = nil, parameters: Bool = false) -> JSONValue {
        switch error {
        case .keyNotFound(let key, let context):
            let input = parameters && context.codingPath.isEmpty ? .null : value(in: body, at: context.codingPath) ?? .null
            return APIError.validationEntry(
                type: "missing", loc: location(context.codingPath + [key]), msg: "Field required", input: input)
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let input = value(in: body, at: context.codingPath) ?? .null
            let (kind, message) = describe(type, input: input)
            return APIError.validationEntry(type: kind, loc: location(context.codingPath), msg: message, input: input)
        case .dataCorrupted(let context):
            if let syntax = context.underlyingError as? JSONSyntaxError {
                // Where and why Python's `json` module stops, as FastAPI reports it.
                let python = text.flatMap(PythonJSONError.diagnose)
                    ?? PythonJSONError.Diagnosis(message: syntax.reason, position: syntax.offset)
                return APIError.validationEntry(
                    type: "json_invalid", loc: ["body", .int(Int64(python.position))], msg: "JSON decode error",
                    input: [:], ctx: ["error": .string(python.message)])
            }
            let input = value(in: body, at: context.codingPath) ?? .null
            if case .string(let text) = input, UUIDText.parse(text) == nil {
                return APIError.validationEntry(
                    type: "uuid_parsing", loc: location(context.codingPath), msg: UUIDParsingError.message(text), input: input)
            }
            return APIError.validationEntry(
                type: "value_error", loc: location(context.codingPath), msg: "Value error, \(context.debugDescription)",
                input: input)
        @unknown default:
            return APIError.validationEntry(type: "value_error", loc: ["body"], msg: String(describing: error))
        }
    }

    private static func location(_ path: [any CodingKey]) -> [JSONValue] {
        ["body"] + path.map { key in key.intValue.map { .int(Int64($0)) } ?? .string(key.stringValue) }
    }

    /// The value at `path` in the body, when the body has one there.
    private static func value(in body: JSONValue?, at path: [any CodingKey]) -> JSONValue? {
        var current = body
        for key in path {
            if let index = key.intValue, case .array(let items)? = current {
                current = items.indices.contains(index) ? items[index] : nil
            } else {
                current = current?[key.stringValue]
            }
        }
        return current
    }

    /// pydantic-core's error type and message for `input` where a `type` was expected.
    private static func describe(_ type: Any.Type, input: JSONValue) -> (String, String) {
        switch type {
        case is String.Type: return ("string_type", "Input should be a valid string")
        case is Bool.Type:
            if case .string = input { return ("bool_parsing", "Input should be a valid boolean, unable to interpret input") }
            return ("bool_type", "Input should be a valid boolean")
        case is Int.Type, is Int64.Type, is Int32.Type:
            switch input {
            case .string: return ("int_parsing", "Input should be a valid integer, unable to parse string as an integer")
            case .double: return ("int_from_float", "Input should be a valid integer, got a number with a fractional part")
            default: return ("int_type", "Input should be a valid integer")
            }
        case is Double.Type, is Float.Type:
            if case .string = input { return ("float_parsing", "Input should be a valid number, unable to parse string as a number") }
            return ("float_type", "Input should be a valid number")
        case is UUID.Type:
            if case .string(let text) = input, UUIDText.parse(text) == nil {
                return ("uuid_parsing", UUIDParsingError.message(text))
            }
            return ("uuid_type", "UUID input should be a string, bytes or UUID object")
        case is Date.Type: return ("datetime_type", "Input should be a valid datetime")
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return ("list_type", "Input should be a valid list") }
            if name.hasPrefix("Dictionary") || name == "JSONObject" { return ("dict_type", "Input should be a valid dictionary") }
            return ("model_type", "Input should be a valid dictionary or instance of \(name)")
        }
    }
}

/// A body whose top-level members are a route's `Body(...)` parameters, not one model's fields.
protocol EmbeddedBodyParameters: Decodable {}
