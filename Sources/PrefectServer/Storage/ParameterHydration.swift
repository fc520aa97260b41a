import Foundation
import GRDB
import PrefectSchemas

/// Prefect's parameter hydration (`prefect/utilities/schema_tools/hydration.py`), as the
/// deployment routes run it (`raise_on_error`, `render_workspace_variables`, `render_jinja`):
/// objects with a `__prefect_kind` are replaced by what they stand for.
///
/// - `json`: its `value` parsed as JSON (removed from the parent when it has no `value`);
/// - `none`: its `value`, hydrated;
/// - `workspace_variable`: the value of the variable `variable_name` (removed without one);
/// - `jinja`: its `template` rendered by `render` (an automation's run-deployment action has a
///   context to render it with); without one, a template with Jinja syntax is refused (with
///   Prefect's empty context, plain text renders as itself);
/// - any other kind: its `value`.
enum ParameterHydration {
    /// A hydration error (Prefect's `HydrationError.message`).
    struct Failure: Error {
        let message: String
    }

    private enum Hydrated {
        case value(JSONValue)
        case removed
    }

    /// A value hydration left for the validator to report (Prefect's `Placeholder`): an error's
    /// message, or none for a value that is fine but not checked (a Jinja template left
    /// unrendered).
    struct Placeholder {
        let path: [JSONSchemaValidator.PathElement]
        let message: String?
    }

    /// Collects the placeholders of a hydration that does not raise (`/ui/schemas/validate`).
    private final class PlaceholderLog {
        var placeholders: [Placeholder] = []
    }

    /// The hydrated parameters; the variables are read from `db` only when a parameter needs one.
    static func hydrate(_ parameters: JSONObject, _ db: Database, render: ((String) throws -> String)? = nil) throws -> JSONObject {
        guard needsHydration(.object(parameters)) else { return parameters }
        var variables: JSONObject?
        let lookup: (String) throws -> JSONValue? = { name in
            if variables == nil { variables = try variableValues(db) }
            return variables?[name]
        }
        let hydration = Hydration(lookup: lookup, render: render, log: nil)
        switch try hydration.hydrate(.object(parameters), at: []) {
        case .value(.object(let object)): return object
        case .value, .removed: return [:]
        }
    }

    /// Hydration as `/ui/schemas/validate` runs it (`render_jinja=False`,
    /// `render_workspace_variables=True`, no raising): each value that fails to hydrate becomes
    /// null and a placeholder with Prefect's message; a Jinja template stays as written and a
    /// placeholder without one.
    static func hydrateForValidation(_ values: JSONObject, _ db: Database) throws -> (JSONObject, [Placeholder]) {
        guard needsHydration(.object(values)) else { return (values, []) }
        var variables: JSONObject?
        let lookup: (String) throws -> JSONValue? = { name in
            if variables == nil { variables = try variableValues(db) }
            return variables?[name]
        }
        let log = PlaceholderLog()
        let hydration = Hydration(lookup: lookup, render: nil, log: log)
        switch try hydration.hydrate(.object(values), at: []) {
        case .value(.object(let object)): return (object, log.placeholders)
        case .value, .removed: return ([:], log.placeholders)
        }
    }

    private static func needsHydration(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let object): object["__prefect_kind"] != nil || object.values.contains(where: needsHydration)
        case .array(let items): items.contains(where: needsHydration)
        default: false
        }
    }

    private static func variableValues(_ db: Database) throws -> JSONObject {
        var values: JSONObject = [:]
        for body in try Data.fetchAll(db, sql: "SELECT body FROM variable") {
            let variable = try PrefectJSON.decode(Variable.self, from: body)
            values[variable.name] = variable.value ?? .null
        }
        return values
    }

    private struct Hydration {
        let lookup: (String) throws -> JSONValue?
        let render: ((String) throws -> String)?
        /// Where failures go instead of being thrown; nil to throw them.
        let log: PlaceholderLog?

        func hydrate(_ value: JSONValue, at path: [JSONSchemaValidator.PathElement]) throws -> Hydrated {
            switch value {
            case .object(let object):
                if let kind = object["__prefect_kind"] {
                    guard let log else { return try handle(kind, object, at: path) }
                    if kind == "jinja", render == nil {
                        log.placeholders.append(Placeholder(path: path, message: nil))
                        return .value(object["template"] ?? .null)
                    }
                    do {
                        return try handle(kind, object, at: path)
                    } catch let failure as Failure {
                        log.placeholders.append(Placeholder(path: path, message: failure.message))
                        return .value(.null)
                    }
                }
                var out: JSONObject = [:]
                for (key, member) in object {
                    if case .value(let hydrated) = try hydrate(member, at: path + [.key(key)]) { out[key] = hydrated }
                }
                return .value(.object(out))
            case .array(let items):
                var out: [JSONValue] = []
                for item in items {
                    if case .value(let hydrated) = try hydrate(item, at: path + [.index(out.count)]) { out.append(hydrated) }
                }
                return .value(.array(out))
            default:
                return .value(value)
            }
        }

        func handle(_ kind: JSONValue, _ object: JSONObject, at path: [JSONSchemaValidator.PathElement]) throws -> Hydrated {
            switch kind {
            case "none":
                guard let inner = object["value"] else { throw Failure(message: "Missing 'value' key in __prefect object") }
                return try hydrate(inner, at: path)
            case "json":
                guard var inner = object["value"] else { return .removed }
                if case .object = inner {
                    guard case .value(let hydrated) = try hydrate(inner, at: path) else { return .removed }
                    inner = hydrated
                }
                guard case .string(let text) = inner else { return .value(inner) }
                do {
                    return .value(try PrefectJSON.decode(JSONValue.self, from: Data(text.utf8)))
                } catch DecodingError.dataCorrupted(let context) {
                    throw Failure(message: "Invalid JSON: \(context.debugDescription)")
                } catch {
                    throw Failure(message: "Invalid JSON: \(error)")
                }
            case "jinja":
                guard var template = object["template"] else { throw Failure(message: "Missing 'template' key in __prefect object") }
                if case .object = template, case .value(let hydrated) = try hydrate(template, at: path) { template = hydrated }
                guard case .string(let text) = template else { return .value(template) }
                if let render { return .value(.string(try render(text))) }
                guard !["{{", "{%", "{#"].contains(where: text.contains) else {
                    throw Failure(message: "Invalid jinja: the embedded server does not render Jinja templates")
                }
                return .value(.string(text))
            case "workspace_variable":
                guard var name = object["variable_name"] else { return .removed }
                if case .object = name, case .value(let hydrated) = try hydrate(name, at: path) { name = hydrated }
                guard case .string(let variable) = name else { throw Failure(message: "Variable '\(name)' not found in workspace.") }
                guard let found = try lookup(variable) else { throw Failure(message: "Variable '\(variable)' not found in workspace.") }
                return .value(found)
            default:
                return .value(object["value"] ?? .null)
            }
        }
    }
}
