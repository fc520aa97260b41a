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
        var action = try await ActionBody.read(request, allowed: members)
        action.require("name", "value")
        check(&action)
        let typed = try action.decode(VariableCreate.self)
        return Create(name: typed.name, value: action.object["value"] ?? .null, tags: typed.tags ?? [])
    }

    static func changes(from request: Request) async throws -> Changes {
        var action = try await ActionBody.read(request, allowed: members)
        check(&action)
        let typed = try action.decode(VariableUpdate.self)
        return Changes(
            name: action.has("name") ? .some(typed.name) : .none,
            value: action.object["value"],
            tags: action.has("tags") ? .some(typed.tags) : .none)
    }

    private static let members: Set<String> = ["name", "value", "tags"]

    private static func check(_ action: inout ActionBody) {
        if let name = action.string("name") {
            if name.count > maximumNameLength {
                action.fail(
                    "name", type: "too_long",
                    msg: "Value should have at most \(maximumNameLength) items after validation, not \(name.count)")
            } else if !name.unicodeScalars.allSatisfy(isNameCharacter) {
                action.fail(
                    "name", type: "value_error",
                    msg: "Value error, Variable name must only contain lowercase letters, numbers, and dashes or underscores.")
            }
        }
        if let value = action.object["value"], value != .null, let text = try? ServerJSON.encode(value), text.count > maximumValueLength {
            action.fail("value", type: "value_error", msg: "Value error, Variable value must be less than \(maximumValueLength) characters")
        }
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
    }
}
