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
        try requireObject(value)
        var errors: [JSONValue] = []
        rules.check(value, errors: &errors)
        guard errors.isEmpty else { throw APIError.validation(errors, requestBody: value) }
        return try decode(type, from: data)
    }

    /// A model's body that is not an object: FastAPI's `model_attributes_type`.
    static func requireObject(_ value: JSONValue) throws {
        guard !value.isObject else { return }
        throw APIError.validation(
            [APIError.validationEntry(
                type: "model_attributes_type", loc: ["body"], msg: "Input should be a valid dictionary or object to extract fields from",
                input: value)],
            requestBody: value)
    }

    /// A body checked against the route's schema in Prefect's document as pydantic checks it
    /// (``RequestSchemas``: every error at once), then decoded as `type` from the values
    /// pydantic's lax mode reads. A list body that is not a list is FastAPI's `is_instance_of`
    /// `Sequence`.
    static func decodeChecked<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let data = try await read(request)
        guard !data.isEmpty else { throw missingBody }
        let value = try decode(JSONValue.self, from: data)
        guard let schema = RequestSchemas.body(for: request) else { return try decode(type, from: data) }
        if schema["type"] == "array", !value.isArray {
            throw APIError.validation(
                [APIError.validationEntry(
                    type: "is_instance_of", loc: ["body"], msg: "Input should be an instance of Sequence", input: value,
                    ctx: ["class": "Sequence"])],
                requestBody: value)
        }
        let (coerced, errors) = RequestSchemas.check(value, schema, at: ["body"])
        guard errors.isEmpty else { throw APIError.validation(errors, requestBody: value) }
        return try decode(type, from: ServerJSON.encode(coerced))
    }

    /// A filter body: checked against the route's schema in Prefect's document as pydantic
    /// checks it (``RequestSchemas``: every member's type and bounds, every forbidden member of
    /// every nested filter), then decoded as `type` from the values pydantic's lax mode reads.
    static func decodeFilter<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        var data = try await read(request)
        if data.isEmpty { data = Data("{}".utf8) }
        let value = try decode(JSONValue.self, from: data)
        guard let schema = RequestSchemas.body(for: request) else {
            try FilterValidation.check(value)
            return try decode(type, from: data)
        }
        var checked = value
        if RequestSchemas.isEmbedded(schema) {
            guard case .object(let members) = value else {
                throw APIError.validation(RequestSchemas.missingParameters(schema), requestBody: value)
            }
            // FastAPI reads an embedded `Body(...)` parameter sent as null as not sent: its
            // default (Prefect's clients send `"sort": null`, `"flows": null`).
            checked = .object(members.filter { $0.value != .null })
        }
        let (coerced, errors) = RequestSchemas.check(checked, schema, at: ["body"])
        guard errors.isEmpty else { throw APIError.validation(errors, requestBody: value) }
        return try decode(type, from: ServerJSON.encode(coerced))
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try PrefectJSON.decode(type, from: data)
        } catch let error as DecodingError {
            let body = try? PrefectJSON.decode(JSONValue.self, from: data)
            let entry = ValidationErrors.entry(for: error, in: body, text: data, parameters: T.self is any EmbeddedBodyParameters.Type)
            throw APIError.validation([entry], requestBody: echo(data))
        }
    }

    /// The request body as Prefect echoes it in a 422: the JSON if it parses, else the text.
    static func echo(_ data: Data) -> JSONValue {
        (try? PrefectJSON.decode(JSONValue.self, from: data)) ?? .string(String(decoding: data, as: UTF8.self))
    }
}
