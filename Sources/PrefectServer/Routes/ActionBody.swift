import Foundation
import Hummingbird
import PrefectSchemas

/// A request body read as Prefect's action models read theirs (`ActionBaseModel`: extra members
/// forbidden, `exclude_unset` updates): its members, checks that collect pydantic's error
/// entries, and the typed decode once nothing was refused.
struct ActionBody: Sendable {
    private(set) var object: JSONObject
    /// The body as Prefect echoes it in a 422 (as its `mode="before"` validators leave it).
    private(set) var body: JSONValue
    /// The fields' errors, in the order the checks ran.
    private var fieldErrors: [JSONValue] = []
    /// Members the model forbids, which pydantic reports after the fields.
    private var extraErrors: [JSONValue] = []
    /// The route's body schema in Prefect's document, when it has one.
    private var schema: JSONValue?
    /// Whether the members are a route's `Body(...)` parameters rather than one model's fields:
    /// FastAPI validates each parameter alone, so a missing one has no input.
    private var fieldsAreParameters = false

    /// Every error so far, as pydantic orders them.
    var errors: [JSONValue] { fieldErrors + extraErrors }

    /// The body of `request`; it must be a JSON object with no member outside `allowed` (any
    /// member when nil: a route's `Body(...)` parameters, or with `model`, a model that ignores
    /// the others).
    static func read(_ request: Request, allowed: Set<String>?, model: Bool = false) async throws -> ActionBody {
        var body = try parse(try await APIBody.read(request), allowed: allowed, model: model)
        body.schema = RequestSchemas.body(for: request)
        return body
    }

    /// `data` read as ``read(_:allowed:model:)`` reads a request's body.
    static func parse(_ data: Data, allowed: Set<String>?, model: Bool = false) throws -> ActionBody {
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
        action.fieldsAreParameters = allowed == nil && !model
        for (key, value) in object where allowed.map({ !$0.contains(key) }) ?? false {
            action.extraErrors.append(APIError.validationEntry(
                type: "extra_forbidden", loc: ["body", .string(key)], msg: "Extra inputs are not permitted", input: value))
        }
        return action
    }

    /// A `mode="before"` model validator that writes `key` into the request's dict when it is
    /// absent (as `DeploymentCreate._validate_parameters_conform_to_schema` writes
    /// `parameters`): pydantic validates that dict in place, so Prefect's 422 echoes the body
    /// with the member, last, and so does a missing member's `input`.
    mutating func echoWithDefault(_ key: String, _ value: JSONValue) {
        guard case .object(var members) = body, members[key] == nil else { return }
        members[key] = value
        body = .object(members)
    }

    /// Whether the body sets `key` (to anything, null included).
    func has(_ key: String) -> Bool { object[key] != nil }

    /// The string member `key`, when it is one.
    func string(_ key: String) -> String? {
        if case .string(let text)? = object[key] { return text }
        return nil
    }

    mutating func fail(_ key: String, type: String, msg: String, input: JSONValue? = nil) {
        fieldErrors.append(APIError.validationEntry(type: type, loc: ["body", .string(key)], msg: msg, input: input ?? object[key] ?? .null))
    }

    /// Adds an error entry built elsewhere.
    mutating func append(_ error: JSONValue) {
        fieldErrors.append(error)
    }

    /// An error on the whole body (a model validator's).
    mutating func failBody(type: String, msg: String) {
        fieldErrors.append(APIError.validationEntry(type: type, loc: ["body"], msg: msg, input: body))
    }

    /// A number member that must be at least `minimum` (`ge`), above it when `strictly`
    /// (`gt`), and at most `maximum` (`le`).
    mutating func checkNumber(_ key: String, atLeast minimum: Double, strictly: Bool = false, atMost maximum: Double? = nil) {
        let number: Double
        switch object[key] {
        case .int(let value)?: number = Double(value)
        case .double(let value)?: number = value
        default: return
        }
        let shown = minimum.rounded() == minimum ? "\(Int64(minimum))" : "\(minimum)"
        if strictly, number <= minimum {
            fail(key, type: "greater_than", msg: "Input should be greater than \(shown)")
        } else if !strictly, number < minimum {
            fail(key, type: "greater_than_equal", msg: "Input should be greater than or equal to \(shown)")
        } else if let maximum, number > maximum {
            fail(key, type: "less_than_equal", msg: "Input should be less than or equal to \(Int64(maximum))")
        }
    }

    /// A string member that must be one of `choices` (a `Literal`).
    mutating func checkLiteral(_ key: String, _ choices: [String]) {
        guard let text = string(key), !choices.contains(text) else { return }
        fail(key, type: "literal_error", msg: "Input should be \(Self.alternatives(choices))")
    }

    /// `'a', 'b' or 'c'`, as pydantic lists a literal's values.
    static func alternatives(_ choices: [String]) -> String {
        let quoted = choices.map { "'\($0)'" }
        return quoted.count > 1 ? quoted.dropLast().joined(separator: ", ") + " or " + (quoted.last ?? "") : quoted.joined()
    }

    /// A list member that must have at least `count` items.
    mutating func checkMinimumCount(_ key: String, _ count: Int) {
        guard case .array(let items)? = object[key], items.count < count else { return }
        fail(key, type: "too_short", msg: "List should have at least \(count) item after validation, not \(items.count)")
    }

    /// The JSON types a `Body(...)` parameter may ask for.
    enum MemberType {
        case string, integer, number, bool, uuid, stringList, uuidList
    }

    /// Records pydantic's type error when the member `key` is present and not a `type`, or
    /// null where the route's model in Prefect's document (`schema`) does not take null.
    mutating func checkType(_ key: String, _ type: MemberType) {
        guard let value = object[key] else { return }
        if value == .null {
            guard let property = schema?["properties"]?[key], !RequestSchemas.isNullable(property) else { return }
            switch type {
            case .string: fail(key, type: "string_type", msg: "Input should be a valid string")
            case .integer: fail(key, type: "int_type", msg: "Input should be a valid integer")
            case .number: fail(key, type: "float_type", msg: "Input should be a valid number")
            case .bool: fail(key, type: "bool_type", msg: "Input should be a valid boolean")
            case .uuid: fail(key, type: "uuid_type", msg: "UUID input should be a string, bytes or UUID object")
            case .stringList, .uuidList: fail(key, type: "list_type", msg: "Input should be a valid list")
            }
            return
        }
        switch (type, value) {
        case (.string, .string), (.integer, .int), (.number, .int), (.number, .double), (.bool, .bool):
            return
        case (.integer, .double(let number)) where number.rounded() == number && abs(number) < 1e18:
            object[key] = .int(Int64(number))
        case (.integer, .string(let text)):
            // pydantic's lax mode reads an integer from a string.
            if let number = Int64(text.trimmingCharacters(in: .whitespaces)) {
                object[key] = .int(number)
            } else {
                fail(key, type: "int_parsing", msg: "Input should be a valid integer, unable to parse string as an integer")
            }
        case (.number, .string(let text)):
            if let number = Double(text.trimmingCharacters(in: .whitespaces)) {
                object[key] = .double(number)
            } else {
                fail(key, type: "float_parsing", msg: "Input should be a valid number, unable to parse string as a number")
            }
        case (.uuid, .string(let text)):
            if UUIDText.parse(text) == nil { fail(key, type: "uuid_parsing", msg: UUIDParsingError.message(text)) }
        case (.stringList, .array(let items)):
            for (index, item) in items.enumerated() where item.stringValue == nil {
                fieldErrors.append(APIError.validationEntry(
                    type: "string_type", loc: ["body", .string(key), .int(Int64(index))], msg: "Input should be a valid string", input: item))
            }
        case (.uuidList, .array(let items)):
            for (index, item) in items.enumerated() {
                guard case .string(let text) = item else {
                    fieldErrors.append(APIError.validationEntry(
                        type: "uuid_type", loc: ["body", .string(key), .int(Int64(index))], msg: "UUID input should be a string, bytes or UUID object",
                        input: item))
                    continue
                }
                if UUIDText.parse(text) == nil {
                    fieldErrors.append(APIError.validationEntry(
                        type: "uuid_parsing", loc: ["body", .string(key), .int(Int64(index))], msg: UUIDParsingError.message(text), input: item))
                }
            }
        case (.string, _): fail(key, type: "string_type", msg: "Input should be a valid string")
        case (.integer, _): fail(key, type: "int_type", msg: "Input should be a valid integer")
        case (.number, _): fail(key, type: "float_type", msg: "Input should be a valid number")
        case (.bool, _): fail(key, type: "bool_type", msg: "Input should be a valid boolean")
        case (.uuid, _): fail(key, type: "uuid_type", msg: "UUID input should be a string, bytes or UUID object")
        case (.stringList, _), (.uuidList, _): fail(key, type: "list_type", msg: "Input should be a valid list")
        }
    }

    /// The strings of the list member `key`.
    func strings(_ key: String) -> [String] {
        object[key]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// Throws the collected errors as Prefect's 422.
    func throwErrors() throws {
        guard errors.isEmpty else { throw APIError.validation(errors, requestBody: body) }
    }

    mutating func require(_ keys: String...) {
        for key in keys where object[key] == nil {
            fieldErrors.append(APIError.validationEntry(
                type: "missing", loc: ["body", .string(key)], msg: "Field required", input: fieldsAreParameters ? .null : body))
        }
    }

    /// Prefect's `Name` (`prefect/types/names.py`): none of `/ % & > <`, and not empty.
    mutating func checkName(_ key: String) {
        guard let name = string(key), let error = Self.nameError(name, loc: ["body", .string(key)]) else { return }
        fieldErrors.append(error)
    }

    /// The error entry for a `Name` that is empty or has one of `/ % & > <`; nil for a good one.
    static func nameError(_ name: String, loc: [JSONValue]) -> JSONValue? {
        guard name.isEmpty || name.contains(where: { "/%&><".contains($0) }) else { return nil }
        return APIError.validationEntry(
            type: "string_pattern_mismatch", loc: loc, msg: "String should match pattern '^[^/%&><]+$'", input: .string(name))
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
        guard case .int? = object[key] else { return }
        checkNumber(key, atLeast: Double(minimum), strictly: strictly)
    }

    /// Throws the collected errors as Prefect's 422, or decodes `object` (the body as the
    /// route reads it) as `type`.
    func decodeObject<T: Decodable>(_ type: T.Type, _ object: JSONObject) throws -> T {
        guard errors.isEmpty else { throw APIError.validation(errors, requestBody: body) }
        return try APIBody.decode(type, from: ServerJSON.encode(JSONValue.object(object)))
    }

    /// Throws the collected errors as Prefect's 422, or decodes the body as `type` (with
    /// `defaults` filled in for members it leaves out).
    func decode<T: Decodable>(_ type: T.Type, defaults: JSONObject = [:]) throws -> T {
        try decodeObject(type, object.merging(defaults) { given, _ in given })
    }
}
