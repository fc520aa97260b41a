import Foundation
import Hummingbird
import PrefectSchemas

/// A request body read as Prefect's action models read theirs (`ActionBaseModel`: extra members
/// forbidden, `exclude_unset` updates): its members, checks that collect pydantic's error
/// entries, and the typed decode once nothing was refused.
struct ActionBody: Sendable {
    let object: [String: JSONValue]
    let body: JSONValue
    private(set) var errors: [JSONValue] = []

    /// The body of `request`; it must be a JSON object with no member outside `allowed`.
    static func read(_ request: Request, allowed: Set<String>) async throws -> ActionBody {
        let data = try await APIBody.read(request)
        guard !data.isEmpty else { throw APIBody.missingBody }
        let body = try APIBody.decode(JSONValue.self, from: data)
        guard case .object(let object) = body else {
            throw APIError.validation(
                [APIError.validationEntry(
                    type: "model_attributes_type", loc: ["body"],
                    msg: "Input should be a valid dictionary or object to extract fields from", input: body)],
                requestBody: body)
        }
        var action = ActionBody(object: object, body: body)
        for (key, value) in object.sorted(by: { $0.key < $1.key }) where !allowed.contains(key) {
            action.fail(key, type: "extra_forbidden", msg: "Extra inputs are not permitted", input: value)
        }
        return action
    }

    /// Whether the body sets `key` (to anything, null included).
    func has(_ key: String) -> Bool { object[key] != nil }

    /// The string member `key`, when it is one.
    func string(_ key: String) -> String? {
        if case .string(let text)? = object[key] { return text }
        return nil
    }

    mutating func fail(_ key: String, type: String, msg: String, input: JSONValue? = nil) {
        errors.append(APIError.validationEntry(type: type, loc: ["body", .string(key)], msg: msg, input: input ?? object[key] ?? .null))
    }

    /// Adds an error entry built elsewhere.
    mutating func append(_ error: JSONValue) {
        errors.append(error)
    }

    /// An error on the whole body (a model validator's).
    mutating func failBody(type: String, msg: String) {
        errors.append(APIError.validationEntry(type: type, loc: ["body"], msg: msg, input: body))
    }

    mutating func require(_ keys: String...) {
        for key in keys where object[key] == nil {
            errors.append(APIError.validationEntry(type: "missing", loc: ["body", .string(key)], msg: "Field required", input: body))
        }
    }

    /// Prefect's `Name` (`prefect/types/names.py`): none of `/ % & > <`, and not empty.
    mutating func checkName(_ key: String) {
        guard let name = string(key) else { return }
        if name.isEmpty || name.contains(where: { "/%&><".contains($0) }) {
            fail(key, type: "string_pattern_mismatch", msg: "String should match pattern '^[^/%&><]+$'")
        }
    }

    /// Prefect's `NonEmptyishName`: a `Name` that is more than quotes and spaces.
    mutating func checkNonEmptyishName(_ key: String) {
        guard let name = string(key) else { return }
        if name.allSatisfy({ "' \"".contains($0) }) {
            fail(key, type: "value_error", msg: "Value error, name cannot be an empty string")
        } else {
            checkName(key)
        }
    }

    /// An integer member that must be at least `minimum` (`ge`), or above it when `strictly` (`gt`).
    mutating func checkInteger(_ key: String, atLeast minimum: Int64, strictly: Bool = false) {
        guard case .int(let value)? = object[key] else { return }
        if strictly, value <= minimum {
            fail(key, type: "greater_than", msg: "Input should be greater than \(minimum)")
        } else if !strictly, value < minimum {
            fail(key, type: "greater_than_equal", msg: "Input should be greater than or equal to \(minimum)")
        }
    }

    /// Throws the collected errors as Prefect's 422, or decodes `object` (the body as the
    /// route reads it) as `type`.
    func decodeObject<T: Decodable>(_ type: T.Type, _ object: [String: JSONValue]) throws -> T {
        guard errors.isEmpty else { throw APIError.validation(errors, requestBody: body) }
        return try APIBody.decode(type, from: ServerJSON.encode(JSONValue.object(object)))
    }

    /// Throws the collected errors as Prefect's 422, or decodes the body as `type` (with
    /// `defaults` filled in for members it leaves out).
    func decode<T: Decodable>(_ type: T.Type, defaults: [String: JSONValue] = [:]) throws -> T {
        try decodeObject(type, object.merging(defaults) { given, _ in given })
    }
}
