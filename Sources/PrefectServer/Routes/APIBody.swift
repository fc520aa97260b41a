import Foundation
import Hummingbird
import NIOCore
import PrefectSchemas

/// Reading and decoding request bodies, with Prefect's answers for what cannot be read.
enum APIBody {
    /// The largest body read (16 MiB); beyond it the answer is 413.
    static let maximumSize = 16 * 1024 * 1024

    /// The whole body.
    static func read(_ request: Request) async throws -> Data {
        do {
            let buffer = try await request.body.collect(upTo: maximumSize)
            return Data(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError.detail(.contentTooLarge, "Request body is larger than \(maximumSize) bytes.")
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.detail(.contentTooLarge, "Request body is larger than \(maximumSize) bytes.")
        }
    }

    /// The body decoded as `type`; an empty body decodes as `{}` when `emptyIsObject`.
    ///
    /// - Throws: ``APIError`` 422 with Prefect's validation body for malformed JSON, JSON nested
    ///   deeper than the decoder's limit, missing fields and wrong types.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, emptyIsObject: Bool = false) async throws -> T {
        var data = try await read(request)
        if data.isEmpty {
            guard emptyIsObject else { throw missingBody }
            data = Data("{}".utf8)
        }
        return try decode(type, from: data)
    }

    /// The answer to a required body that is empty.
    static var missingBody: APIError {
        APIError.validation([APIError.validationEntry(type: "missing", loc: ["body"], msg: "Field required")], requestBody: .null)
    }

    /// The body decoded as `type`, after `rules` found no member Prefect's model forbids.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, rules: KeyRules) async throws -> T {
        let data = try await read(request)
        guard !data.isEmpty else { throw missingBody }
        let value = try decode(JSONValue.self, from: data)
        var errors: [JSONValue] = []
        rules.check(value, errors: &errors)
        guard errors.isEmpty else { throw APIError.validation(errors, requestBody: value) }
        return try decode(type, from: data)
    }

    /// A filter body: decoded as `type` after ``FilterValidation`` found nothing pydantic would refuse.
    static func decodeFilter<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        var data = try await read(request)
        if data.isEmpty { data = Data("{}".utf8) }
        let value = try decode(JSONValue.self, from: data)
        try FilterValidation.check(value)
        return try decode(type, from: data)
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try PrefectJSON.decode(type, from: data)
        } catch let error as DecodingError {
            throw APIError.validation([ValidationErrors.entry(for: error)], requestBody: echo(data))
        }
    }

    /// The request body as Prefect echoes it in a 422: the JSON if it parses, else the text.
    private static func echo(_ data: Data) -> JSONValue {
        (try? PrefectJSON.decode(JSONValue.self, from: data)) ?? .string(String(decoding: data, as: UTF8.self))
    }
}

/// Pydantic-style entries for decoding failures (`type`, `loc`, `msg`).
enum ValidationErrors {
    static func entry(for error: DecodingError) -> JSONValue {
        switch error {
        case .keyNotFound(let key, let context):
            return APIError.validationEntry(
                type: "missing", loc: location(context.codingPath + [key]), msg: "Field required")
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let (kind, message) = describe(type)
            return APIError.validationEntry(type: kind, loc: location(context.codingPath), msg: message)
        case .dataCorrupted(let context):
            if let syntax = context.underlyingError as? JSONSyntaxError {
                return APIError.validationEntry(
                    type: "json_invalid", loc: ["body", .int(Int64(syntax.offset))], msg: "JSON decode error",
                    input: [:])
            }
            return APIError.validationEntry(
                type: "value_error", loc: location(context.codingPath), msg: "Value error, \(context.debugDescription)")
        @unknown default:
            return APIError.validationEntry(type: "value_error", loc: ["body"], msg: String(describing: error))
        }
    }

    private static func location(_ path: [any CodingKey]) -> [JSONValue] {
        ["body"] + path.map { key in key.intValue.map { .int(Int64($0)) } ?? .string(key.stringValue) }
    }

    private static func describe(_ type: Any.Type) -> (String, String) {
        switch type {
        case is String.Type: ("string_type", "Input should be a valid string")
        case is Bool.Type: ("bool_type", "Input should be a valid boolean")
        case is Int.Type, is Int64.Type, is Int32.Type: ("int_type", "Input should be a valid integer")
        case is Double.Type, is Float.Type: ("float_type", "Input should be a valid number")
        case is UUID.Type: ("uuid_parsing", "Input should be a valid UUID")
        case is Date.Type: ("datetime_parsing", "Input should be a valid datetime")
        default:
            if String(describing: type).hasPrefix("Array") { ("list_type", "Input should be a valid list") }
            else if String(describing: type).hasPrefix("Dictionary") { ("dict_type", "Input should be a valid dictionary") }
            else { ("model_type", "Input should be a valid \(type)") }
        }
    }
}
