import Foundation
import Hummingbird
import PrefectSchemas

/// The request bodies of Prefect's document (``OpenAPIDocument``, generated from Prefect
/// 3.9.1's own, members in Prefect's order), checked as pydantic checks the models they
/// describe: members missing, members a model forbids (`additionalProperties: false`), and the
/// JSON types of members (with pydantic's lax conversions: `"5"` is an integer, `5.0` too,
/// `1` a boolean), each reported with pydantic's error type and message, fields in their
/// declared order and a model's forbidden members after its fields.
///
/// The routes read their bodies with their own code; this is what they use for the parts
/// pydantic reports all at once (every missing member of every item of a list, every
/// forbidden member of a nested filter) and for bodies that are not what the route reads.
enum RequestSchemas {
    /// The parsed document (its `paths` and `components.schemas`).
    static let document: JSONObject = {
        guard case .object(let document)? = try? PrefectJSON.decode(JSONValue.self, from: Data(OpenAPIDocument.json.utf8)) else {
            return [:]
        }
        return document
    }()

    private static var schemas: JSONObject { document["components"]?["schemas"]?.objectValue ?? [:] }

    /// The request body schema of `method path` (`path` as the document writes it, below
    /// `/api`), references resolved at the top.
    static func body(_ method: String, _ path: String) -> JSONValue? {
        guard let schema = document["paths"]?[path]?[method.lowercased()]?["requestBody"]?["content"]?["application/json"]?["schema"]
        else { return nil }
        return resolve(schema)
    }

    /// The request body schema of the route `request` reaches.
    static func body(for request: Request) -> JSONValue? {
        let parts = request.uri.path.split(separator: "/").dropFirst()
        let method = request.method.rawValue.lowercased()
        for (path, segments) in templates where segments.count == parts.count {
            let matches = zip(segments, parts).allSatisfy { segment, part in segment.hasPrefix("{") || segment == part }
            if matches, let schema = body(method, path) { return schema }
        }
        return nil
    }

    /// The document's paths split into segments, literal paths first (`/flows/filter` before `/flows/{id}`).
    private static let templates: [(path: String, segments: [Substring])] = {
        let paths = document["paths"]?.objectValue?.keys ?? []
        return paths.map { ($0, $0.split(separator: "/")) }.sorted { lhs, rhs in
            lhs.segments.filter { $0.hasPrefix("{") }.count < rhs.segments.filter { $0.hasPrefix("{") }.count
        }
    }()

    /// Whether a member of this schema may be null (an `Optional` field: `anyOf` with `null`).
    static func isNullable(_ schema: JSONValue) -> Bool {
        let schema = resolve(schema)
        if schema["type"] == "null" { return true }
        return schema["anyOf"]?.arrayValue?.contains { resolve($0)["type"] == "null" } ?? false
    }

    /// Whether a route's body is FastAPI's embedding of several `Body(...)` parameters.
    static func isEmbedded(_ schema: JSONValue?) -> Bool {
        schema?["title"]?.stringValue?.hasPrefix("Body_") == true
    }

    /// FastAPI's answer to an embedded body that is not an object: each parameter missing, in
    /// the order FastAPI resolves them (`limit`, a dependency, first).
    static func missingParameters(_ schema: JSONValue) -> [JSONValue] {
        var names = schema["properties"]?.objectValue?.keys ?? []
        if let limit = names.firstIndex(of: "limit") { names.insert(names.remove(at: limit), at: 0) }
        return names.map { APIError.validationEntry(type: "missing", loc: ["body", .string($0)], msg: "Field required") }
    }

    /// pydantic's errors for `value` against `schema`, at `loc`.
    static func errors(_ value: JSONValue, _ schema: JSONValue, at loc: [JSONValue]) -> [JSONValue] {
        check(value, schema, at: loc).errors
    }

    /// pydantic's errors for `value` against `schema`, at `loc`, and the value as pydantic's
    /// lax mode reads it (`"5"` and `5.0` as the integer `5`, `"yes"` as `true`), so a strict
    /// decoder can read what Prefect accepts.
    static func check(_ value: JSONValue, _ schema: JSONValue, at loc: [JSONValue]) -> (value: JSONValue, errors: [JSONValue]) {
        let schema = resolve(schema)
        if case .array(let alternatives)? = schema["anyOf"] {
            if value == .null, alternatives.contains(where: { $0["type"] == "null" }) { return (value, []) }
            let candidates = alternatives.map(resolve).filter { $0["type"] != "null" }
            guard let first = candidates.first else { return (value, []) }
            // The alternative of the value's own shape, else the first.
            let chosen = candidates.first { matchesShape(value, $0) } ?? first
            return check(value, chosen, at: loc)
        }
        let type = schema["type"]?.stringValue ?? (schema["properties"] != nil ? "object" : nil)
        switch type {
        case "object"?:
            guard case .object(let members) = value else {
                guard schema["properties"] != nil else { return (value, [entry("dict_type", loc, "Input should be a valid dictionary", value)]) }
                let title = schema["title"]?.stringValue ?? "object"
                return (value, [entry("model_type", loc, "Input should be a valid dictionary or instance of \(title)", value)])
            }
            return objectCheck(members, schema, at: loc)
        case "array"?:
            guard case .array(let items) = value else { return (value, [entry("list_type", loc, "Input should be a valid list", value)]) }
            // pydantic stops at the first item past `max_length` and reports the length alone.
            if let maximum = schema["maxItems"]?.doubleValue, Double(items.count) > maximum {
                let bound = Int64(maximum)
                let context: JSONValue = .object(JSONObject([
                    ("field_type", .string("List")), ("max_length", .int(bound)), ("actual_length", .int(Int64(items.count))),
                ]))
                return (value, [APIError.validationEntry(
                    type: "too_long", loc: loc, msg: "List should have at most \(bound) item\(bound == 1 ? "" : "s") after validation, not \(items.count)",
                    input: value, ctx: context)])
            }
            guard let itemSchema = schema["items"] else { return (value, []) }
            var coerced: [JSONValue] = []
            var errors: [JSONValue] = []
            for (index, item) in items.enumerated() {
                let result = check(item, itemSchema, at: loc + [.int(Int64(index))])
                coerced.append(result.value)
                errors += result.errors
            }
            return (.array(coerced), errors)
        case "string"?:
            return (value, stringErrors(value, schema, at: loc))
        case "integer"?:
            let number: Int64
            switch value {
            case .int(let whole): number = whole
            case .bool(let flag): number = flag ? 1 : 0
            case .double(let fractional) where fractional.rounded() == fractional && abs(fractional) < 9e18: number = Int64(fractional)
            case .double: return (value, [entry(
                "int_from_float", loc, "Input should be a valid integer, got a number with a fractional part", value)])
            case .string(let text):
                guard let parsed = Int64(text.trimmingCharacters(in: .whitespaces)) else {
                    return (value, [entry("int_parsing", loc, "Input should be a valid integer, unable to parse string as an integer", value)])
                }
                number = parsed
            default: return (value, [entry("int_type", loc, "Input should be a valid integer", value)])
            }
            return (.int(number), boundErrors(Double(number), schema, at: loc, input: value))
        case "number"?:
            let number: Double
            switch value {
            case .int(let whole): number = Double(whole)
            case .double(let fractional): number = fractional
            case .bool(let flag): number = flag ? 1 : 0
            case .string(let text):
                guard let parsed = Double(text.trimmingCharacters(in: .whitespaces)) else {
                    return (value, [entry("float_parsing", loc, "Input should be a valid number, unable to parse string as a number", value)])
                }
                number = parsed
            default: return (value, [entry("float_type", loc, "Input should be a valid number", value)])
            }
            if case .int = value { return (value, boundErrors(number, schema, at: loc, input: value)) }
            return (.double(number), boundErrors(number, schema, at: loc, input: value))
        case "boolean"?:
            switch value {
            case .bool: return (value, [])
            case .int(let number) where number == 0 || number == 1: return (.bool(number == 1), [])
            case .string(let text) where Self.trueWords.contains(text.lowercased()): return (.bool(true), [])
            case .string(let text) where Self.falseWords.contains(text.lowercased()): return (.bool(false), [])
            case .string: return (value, [entry("bool_parsing", loc, "Input should be a valid boolean, unable to interpret input", value)])
            default: return (value, [entry("bool_type", loc, "Input should be a valid boolean", value)])
            }
        default:
            return (value, [])
        }
    }

    /// A smart union's errors, as pydantic reports a value no member takes: each member's
    /// errors, under the member's name (`names` gives the names pydantic shows for members
    /// wrapped by an after-validator, by title). Nil when a member takes the value.
    static func unionErrors(
        _ value: JSONValue, _ members: [JSONValue], at loc: [JSONValue], names: [String: String] = [:]
    ) -> [JSONValue]? {
        var all: [JSONValue] = []
        for member in members {
            let schema = resolve(member)
            let title = schema["title"]?.stringValue ?? "object"
            let errors = errors(value, schema, at: loc + [.string(names[title] ?? title)])
            if errors.isEmpty { return nil }
            all += errors
        }
        return all
    }

    /// `ge`, `gt`, `le`, `lt` as the schema writes them.
    private static func boundErrors(_ number: Double, _ schema: JSONValue, at loc: [JSONValue], input: JSONValue) -> [JSONValue] {
        // pydantic writes the bound as the field's type: `1` for an `int` field even where the
        // document writes `1.0`.
        let integral = schema["type"] == "integer"
        func text(_ bound: JSONValue) -> String {
            switch bound {
            case .int(let whole): return String(whole)
            case .double(let fractional) where integral && fractional.rounded() == fractional && abs(fractional) < 1e15:
                return String(Int64(fractional))
            case .double(let fractional): return PythonRepr.float(fractional)
            default: return "\(bound)"
            }
        }
        if let bound = schema["minimum"], let limit = bound.doubleValue, number < limit {
            return [entry("greater_than_equal", loc, "Input should be greater than or equal to \(text(bound))", input)]
        }
        if let bound = schema["exclusiveMinimum"], let limit = bound.doubleValue, number <= limit {
            return [entry("greater_than", loc, "Input should be greater than \(text(bound))", input)]
        }
        if let bound = schema["maximum"], let limit = bound.doubleValue, number > limit {
            return [entry("less_than_equal", loc, "Input should be less than or equal to \(text(bound))", input)]
        }
        if let bound = schema["exclusiveMaximum"], let limit = bound.doubleValue, number >= limit {
            return [entry("less_than", loc, "Input should be less than \(text(bound))", input)]
        }
        return []
    }

    private static let trueWords: Set<String> = ["true", "t", "yes", "y", "on", "1"]
    private static let falseWords: Set<String> = ["false", "f", "no", "n", "off", "0"]

    private static func objectCheck(_ members: JSONObject, _ schema: JSONValue, at loc: [JSONValue]) -> (value: JSONValue, errors: [JSONValue]) {
        let properties = schema["properties"]?.objectValue ?? [:]
        let required = Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        var coerced = members
        var out: [JSONValue] = []
        for (name, property) in properties {
            if let member = members[name] {
                let result = check(member, property, at: loc + [.string(name)])
                coerced[name] = result.value
                out += result.errors
            } else if required.contains(name) {
                // FastAPI's embedded `Body(...)` parameters are missing with no input; a model's
                // members are missing from the object it was given.
                out.append(entry("missing", loc + [.string(name)], "Field required", isEmbedded(schema) ? .null : .object(members)))
            }
        }
        if schema["additionalProperties"] == false {
            for (name, member) in members where properties[name] == nil {
                out.append(entry("extra_forbidden", loc + [.string(name)], "Extra inputs are not permitted", member))
            }
        }
        return (.object(coerced), out)
    }

    private static func stringErrors(_ value: JSONValue, _ schema: JSONValue, at loc: [JSONValue]) -> [JSONValue] {
        guard case .string(let text) = value else {
            if schema["format"] == "uuid" { return [entry("uuid_type", loc, "UUID input should be a string, bytes or UUID object", value)] }
            if schema["format"] == "date-time", case .int = value { return [] }
            if schema["format"] == "date-time", case .double = value { return [] }
            return [entry("string_type", loc, "Input should be a valid string", value)]
        }
        if let allowed = schema["enum"]?.arrayValue?.compactMap(\.stringValue), !allowed.contains(text) {
            return [entry("enum", loc, "Input should be " + ActionBody.alternatives(allowed), value)]
        }
        if let constant = schema["const"]?.stringValue, constant != text {
            return [entry("literal_error", loc, "Input should be " + ActionBody.alternatives([constant]), value)]
        }
        switch schema["format"]?.stringValue {
        case "uuid"?:
            return UUIDText.parse(text) == nil ? [entry("uuid_parsing", loc, UUIDParsingError.message(text), value)] : []
        case "date-time"?:
            // Prefect's `DateTime` parses strings itself and words its refusal so.
            return PrefectDate.parse(text) == nil ? [entry("value_error", loc, "Value error, Unable to parse string [\(text)]", value)] : []
        default:
            return []
        }
    }

    /// Whether `value` has the JSON shape `schema` describes (to pick a union's alternative).
    private static func matchesShape(_ value: JSONValue, _ schema: JSONValue) -> Bool {
        switch (value, schema["type"]?.stringValue) {
        case (.object, "object"?), (.object, nil), (.array, "array"?), (.string, "string"?), (.bool, "boolean"?),
             (.int, "integer"?), (.int, "number"?), (.double, "number"?): return true
        default: return false
        }
    }

    private static func entry(_ type: String, _ loc: [JSONValue], _ msg: String, _ input: JSONValue) -> JSONValue {
        APIError.validationEntry(type: type, loc: loc, msg: msg, input: input)
    }

    /// `schema` with its `$ref` (and a lone `allOf` wrapper) followed.
    static func resolve(_ schema: JSONValue) -> JSONValue {
        if let reference = schema["$ref"]?.stringValue, reference.hasPrefix("#/components/schemas/"),
            let target = schemas[String(reference.dropFirst("#/components/schemas/".count))]
        {
            return resolve(target)
        }
        if case .array(let parts)? = schema["allOf"], parts.count == 1 { return resolve(parts[0]) }
        return schema
    }
}
