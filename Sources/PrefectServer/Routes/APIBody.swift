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
            let body = try? PrefectJSON.decode(JSONValue.self, from: data)
            let entry = ValidationErrors.entry(for: error, in: body, parameters: T.self is any EmbeddedBodyParameters.Type)
            throw APIError.validation([entry], requestBody: echo(data))
        }
    }

    /// The request body as Prefect echoes it in a 422: the JSON if it parses, else the text.
    static func echo(_ data: Data) -> JSONValue {
        (try? PrefectJSON.decode(JSONValue.self, from: data)) ?? .string(String(decoding: data, as: UTF8.self))
    }
}
