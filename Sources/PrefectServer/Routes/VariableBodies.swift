import Foundation
import Hummingbird
import PrefectSchemas

/// The bodies of `POST /variables/` and `PATCH /variables/…`, validated as Prefect 3.9.1's
/// `VariableCreate` and `VariableUpdate` are: extra members forbidden, the name a
/// `VariableName` (`prefect/types/names.py`: at most 255 characters of lower-case letters,
/// digits, dashes and underscores), the value a `StrictVariableValue` (`prefect/types/__init__.py`:
/// any JSON whose compact text is at most 5,000 characters).
enum VariableBodies {
    static let maximumNameLength = 255
    static let maximumValueLength = 5000

    /// What a create sets.
    struct Create: Sendable {
        var name: String
        var value: JSONValue
        var tags: [String]
    }

    /// What an update changes: only the members the body has (`exclude_unset=True`).
    struct Changes: Sendable {
        var name: String??
        var value: JSONValue?
        var tags: [String]??
    }

    static func create(from request: Request) async throws -> Create {
        let (object, body) = try await members(of: request)
        var errors: [JSONValue] = []
        for field in ["name", "value"] where object[field] == nil {
            errors.append(APIError.validationEntry(type: "missing", loc: ["body", .string(field)], msg: "Field required", input: body))
        }
        check(object, errors: &errors)
        guard errors.isEmpty else { throw APIError.validation(errors, requestBody: body) }
        let typed = try APIBody.decode(VariableCreate.self, from: ServerJSON.encode(body))
        return Create(name: typed.name, value: object["value"] ?? .null, tags: typed.tags ?? [])
    }

    static func changes(from request: Request) async throws -> Changes {
        let (object, body) = try await members(of: request)
        var errors: [JSONValue] = []
        check(object, errors: &errors)
        guard errors.isEmpty else { throw APIError.validation(errors, requestBody: body) }
        let typed = try APIBody.decode(VariableUpdate.self, from: ServerJSON.encode(body))
        return Changes(
            name: object["name"].map { _ in typed.name },
            value: object["value"],
            tags: object["tags"].map { _ in typed.tags })
    }

    private static func members(of request: Request) async throws -> ([String: JSONValue], JSONValue) {
        let data = try await APIBody.read(request)
        guard !data.isEmpty else { throw APIBody.missingBody }
        let body = try APIBody.decode(JSONValue.self, from: data)
        guard case .object(let object) = body else {
            throw APIError.validation(
                [APIError.validationEntry(type: "model_attributes_type", loc: ["body"], msg: "Input should be a valid dictionary or object to extract fields from", input: body)],
                requestBody: body)
        }
        return (object, body)
    }

    private static func check(_ object: [String: JSONValue], errors: inout [JSONValue]) {
        for (key, value) in object.sorted(by: { $0.key < $1.key }) where !["name", "value", "tags"].contains(key) {
            errors.append(APIError.validationEntry(
                type: "extra_forbidden", loc: ["body", .string(key)], msg: "Extra inputs are not permitted", input: value))
        }
        if case .string(let name)? = object["name"] {
            if name.count > maximumNameLength {
                errors.append(APIError.validationEntry(
                    type: "too_long", loc: ["body", "name"],
                    msg: "Value should have at most \(maximumNameLength) items after validation, not \(name.count)",
                    input: .string(name)))
            } else if !name.unicodeScalars.allSatisfy(isNameCharacter) {
                errors.append(APIError.validationEntry(
                    type: "value_error", loc: ["body", "name"],
                    msg: "Value error, Variable name must only contain lowercase letters, numbers, and dashes or underscores.",
                    input: .string(name)))
            }
        }
        if let value = object["value"], value != .null, let text = try? ServerJSON.encode(value), text.count > maximumValueLength {
            errors.append(APIError.validationEntry(
                type: "value_error", loc: ["body", "value"],
                msg: "Value error, Variable value must be less than \(maximumValueLength) characters", input: value))
        }
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
    }
}
