import Foundation
import PrefectSchemas

/// What `/ui/schemas/validate` answers (Prefect's `build_error_obj` in
/// `prefect/utilities/schema_tools/validation.py`): every error of the values, nested by the
/// property and index they are at, and whether there are none.
enum SchemaValuesValidation {
    /// The answer for `errors` (in `jsonschema`'s order), given hydration's placeholders: at a
    /// path with a hydration error only that error is kept, and a value left unrendered (a
    /// Jinja template) is not reported at all.
    static func errorObject(_ errors: [JSONSchemaValidator.SchemaError], placeholders: [ParameterHydration.Placeholder]) -> JSONValue {
        let unchecked = Set(placeholders.filter { $0.message == nil }.map(\.path))
        var byPath: [[JSONSchemaValidator.PathElement]: [JSONSchemaValidator.SchemaError]] = [:]
        var pathOrder: [[JSONSchemaValidator.PathElement]] = []
        for error in errors {
            let path = Array(error.relativePath)
            if byPath[path] == nil { pathOrder.append(path) }
            byPath[path, default: []].append(error)
        }
        var kept: [JSONSchemaValidator.SchemaError] = []
        for path in pathOrder {
            let group = byPath[path] ?? []
            let fromHydration = group.filter { $0.keyword == "_placeholders" }
            kept += fromHydration.isEmpty ? group : fromHydration
        }
        var root = Node()
        for error in kept where !unchecked.contains(Array(error.relativePath)) {
            var path = Array(error.relativePath)
            // A missing property's error goes one level down, to the property.
            if error.keyword == "required", let name = error.message.split(separator: " ").first {
                path.append(.key(String(name.dropFirst().dropLast())))
            }
            root.insert(error.message, at: path[...])
        }
        return .object(JSONObject([("errors", .array(root.entries)), ("valid", .bool(root.entries.isEmpty))]))
    }

    /// One level of the answer, built as `build_error_obj` builds it: a message where the path
    /// ends; else the first entry for the path's next key, or a new one, one level down. (An
    /// error whose path ends at a key gets an entry of its own, even beside one for that key.)
    private struct Node {
        private enum Item {
            case message(String)
            case entry(JSONSchemaValidator.PathElement, Node)
        }

        private var items: [Item] = []

        mutating func insert(_ message: String, at path: ArraySlice<JSONSchemaValidator.PathElement>) {
            guard let first = path.first else {
                items.append(.message(message))
                return
            }
            let rest = path.dropFirst()
            if rest.isEmpty {
                var leaf = Node()
                leaf.items = [.message(message)]
                items.append(.entry(first, leaf))
                return
            }
            let existing = items.firstIndex { item in
                if case .entry(let key, _) = item { return key == first }
                return false
            }
            if let existing, case .entry(let key, var node) = items[existing] {
                node.insert(message, at: rest)
                items[existing] = .entry(key, node)
            } else {
                var node = Node()
                node.insert(message, at: rest)
                items.append(.entry(first, node))
            }
        }

        var entries: [JSONValue] {
            items.map { item in
                switch item {
                case .message(let text): return .string(text)
                case .entry(.key(let name), let node):
                    return .object(JSONObject([("property", .string(name)), ("errors", .array(node.entries))]))
                case .entry(.index(let index), let node):
                    return .object(JSONObject([("index", .int(Int64(index))), ("errors", .array(node.entries))]))
                }
            }
        }
    }

    /// A schema `jsonschema`'s Draft 2020-12 meta-schema refuses, with the message of the error
    /// it finds; nil for a schema it accepts. Checks the keywords whose values have a fixed
    /// shape: `type`, `required`, `enum`, `properties`, `items`, the subschema lists and the
    /// numeric bounds.
    static func schemaProblem(_ schema: JSONValue) -> String? {
        guard case .object(let members) = schema else {
            if case .bool = schema { return nil }
            return "\(PythonRepr.of(schema)) is not of type 'object', 'boolean'"
        }
        let types: Set<String> = ["array", "boolean", "integer", "null", "number", "object", "string"]
        for (keyword, value) in members {
            switch keyword {
            case "type":
                let valid: Bool
                switch value {
                case .string(let name): valid = types.contains(name)
                case .array(let names): valid = !names.isEmpty && names.allSatisfy { $0.stringValue.map(types.contains) ?? false }
                default: valid = false
                }
                if !valid { return "\(PythonRepr.of(value)) is not valid under any of the given schemas" }
            case "required", "enum":
                guard case .array(let items) = value else { return "\(PythonRepr.of(value)) is not of type 'array'" }
                if keyword == "required", let item = items.first(where: { $0.stringValue == nil }) {
                    return "\(PythonRepr.of(item)) is not of type 'string'"
                }
            case "properties", "$defs", "definitions", "patternProperties", "dependentSchemas":
                guard case .object(let children) = value else { return "\(PythonRepr.of(value)) is not of type 'object'" }
                for (_, child) in children { if let problem = schemaProblem(child) { return problem } }
            case "items", "additionalProperties", "not", "contains", "if", "then", "else", "propertyNames":
                if let problem = schemaProblem(value) { return problem }
            case "allOf", "anyOf", "oneOf", "prefixItems":
                guard case .array(let children) = value, !children.isEmpty else {
                    return value.isArray ? "[] should be non-empty" : "\(PythonRepr.of(value)) is not of type 'array'"
                }
                for child in children { if let problem = schemaProblem(child) { return problem } }
            case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf":
                switch value {
                case .int, .double: break
                default: return "\(PythonRepr.of(value)) is not of type 'number'"
                }
            default:
                continue
            }
        }
        return nil
    }
}
