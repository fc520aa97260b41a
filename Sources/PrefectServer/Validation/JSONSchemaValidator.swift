import Foundation
import PrefectSchemas

/// JSON Schema (Draft 2020-12) validation as `jsonschema` 4.26 does it for Prefect: every error
/// of an instance, and `best_match`'s pick among them, with `jsonschema`'s messages.
///
/// Keywords: `$ref` (`#/…` pointers), `type`, `enum`, `const`, `minimum`, `maximum`,
/// `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`, `minLength`, `maxLength`, `pattern`,
/// `items`, `prefixItems`, `minItems`, `maxItems`, `uniqueItems`, `properties`,
/// `additionalProperties`, `required`, `minProperties`, `maxProperties`, `allOf`, `anyOf`,
/// `oneOf`, `not`, and `format` when ``checksFormats`` (Prefect's `validate` passes a format
/// checker only when it collects every error, as `/ui/schemas/validate` does).
struct JSONSchemaValidator {
    enum PathElement: Hashable {
        case key(String)
        case index(Int)
    }

    struct SchemaError {
        var path: [PathElement]
        /// How much of `path` belongs to the error this one is context of.
        var base: Int
        var keyword: String
        var message: String
        var context: [SchemaError] = []
        var matchesType: Bool

        var relativePath: ArraySlice<PathElement> { path.dropFirst(base) }
    }

    /// A `$ref` chain deeper than this is taken as circular (Python's `RecursionError`).
    struct CircularReference: Error {}
    /// A `$ref` that names nothing in the schema.
    struct UnresolvableReference: Error {
        let reference: String
    }

    let root: JSONValue
    /// Whether `format` is checked (`date-time`, `date`, `time`, `uuid`, `email`, `ipv4`).
    var checksFormats = false
    /// Hydration errors by the path of the value that failed: reported wherever a schema
    /// applies to that value, after the schema's own keywords (Prefect's `_placeholders`).
    var placeholders: [[PathElement]: String] = [:]
    private static let maximumDepth = 200
    /// The order keywords are checked in (Python iterates the schema's own order; pydantic
    /// writes these in this order).
    private static let keywordOrder = [
        "$ref", "type", "format", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
        "minLength", "maxLength", "pattern", "prefixItems", "items", "minItems", "maxItems", "uniqueItems", "properties",
        "additionalProperties", "required", "minProperties", "maxProperties", "allOf", "anyOf", "oneOf", "not",
    ]

    /// `validator.iter_errors(instance)`: every error, in the order `jsonschema` finds them.
    func allErrors(_ instance: JSONValue) throws -> [SchemaError] {
        try errors(instance, root, path: [], depth: 0)
    }

    /// `best_match(validator.iter_errors(instance))`: nil when the instance is valid.
    func bestError(_ instance: JSONValue) throws -> SchemaError? {
        let errors = try errors(instance, root, path: [], depth: 0)
        guard var best = errors.max(by: { Self.relevance($0, $1) < 0 }) else { return nil }
        while !best.context.isEmpty {
            let ordered = best.context.enumerated().sorted { lhs, rhs in
                let order = Self.relevance(lhs.element, rhs.element)
                return order != 0 ? order < 0 : lhs.offset < rhs.offset
            }.map(\.element)
            if ordered.count >= 2, Self.relevance(ordered[0], ordered[1]) == 0 { return best }
            best = ordered[0]
        }
        return best
    }

    /// jsonschema's `relevance` key compared: shallower paths, then later sibling paths, then
    /// errors of keywords other than `anyOf`/`oneOf`, then errors whose instance is not of the
    /// schema's type, rank higher.
    private static func relevance(_ lhs: SchemaError, _ rhs: SchemaError) -> Int {
        let left = lhs.relativePath, right = rhs.relativePath
        if left.count != right.count { return left.count < right.count ? 1 : -1 }
        for (a, b) in zip(left, right) where a != b {
            switch (a, b) {
            case (.key(let x), .key(let y)): return x < y ? -1 : 1
            case (.index(let x), .index(let y)): return x < y ? -1 : 1
            case (.key, .index): return 1
            case (.index, .key): return -1
            }
        }
        let weak: Set<String> = ["anyOf", "oneOf"]
        let leftStrong = !weak.contains(lhs.keyword), rightStrong = !weak.contains(rhs.keyword)
        if leftStrong != rightStrong { return leftStrong ? 1 : -1 }
        if lhs.matchesType != rhs.matchesType { return lhs.matchesType ? -1 : 1 }
        return 0
    }

    private func errors(_ instance: JSONValue, _ schema: JSONValue, path: [PathElement], depth: Int) throws -> [SchemaError] {
        guard depth < Self.maximumDepth else { throw CircularReference() }
        if case .bool(let allowed) = schema {
            return allowed ? [] : [SchemaError(
                path: path, base: 0, keyword: "false", message: "False schema does not allow \(PythonRepr.of(instance))", matchesType: false)]
        }
        guard case .object(let keywords) = schema else { return [] }
        let matches = Self.matchesType(instance, keywords["type"])
        func fail(_ keyword: String, _ message: String, context: [SchemaError] = []) -> SchemaError {
            SchemaError(path: path, base: 0, keyword: keyword, message: message, context: context, matchesType: matches)
        }
        let shown = PythonRepr.of(instance)
        var out: [SchemaError] = []
        for keyword in Self.keywordOrder {
            guard let value = keywords[keyword] else { continue }
            switch keyword {
            case "$ref":
                guard case .string(let reference) = value else { continue }
                out += try errors(instance, try resolve(reference), path: path, depth: depth + 1)
            case "type":
                let types: [String] = if case .array(let list) = value { list.compactMap(\.stringValue) } else { [value.stringValue ?? ""] }
                if !types.contains(where: { Self.isType(instance, $0) }) {
                    out.append(fail(keyword, "\(shown) is not of type \(types.map(PythonRepr.string).joined(separator: ", "))"))
                }
            case "format":
                guard checksFormats, case .string(let format) = value, case .string(let text) = instance,
                    let conforms = JSONSchemaFormats.check(text, format: format), !conforms
                else { continue }
                out.append(fail(keyword, "\(shown) is not a \(PythonRepr.string(format))"))
            case "enum":
                if case .array(let options) = value, !options.contains(where: { Self.equal($0, instance) }) {
                    out.append(fail(keyword, "\(shown) is not one of \(PythonRepr.of(value))"))
                }
            case "const":
                if !Self.equal(value, instance) { out.append(fail(keyword, "\(PythonRepr.of(value)) was expected")) }
            case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf":
                guard let number = Self.number(instance), let bound = Self.number(value) else { continue }
                let bad: Bool, message: String
                switch keyword {
                case "minimum": (bad, message) = (number < bound, "is less than the minimum of")
                case "maximum": (bad, message) = (number > bound, "is greater than the maximum of")
                case "exclusiveMinimum": (bad, message) = (number <= bound, "is less than or equal to the minimum of")
                case "exclusiveMaximum": (bad, message) = (number >= bound, "is greater than or equal to the maximum of")
                default: (bad, message) = (bound != 0 && (number / bound).rounded() != number / bound, "is not a multiple of")
                }
                if bad { out.append(fail(keyword, "\(shown) \(message) \(PythonRepr.of(value))")) }
            case "minLength", "maxLength":
                guard case .string(let text) = instance, let bound = Self.number(value) else { continue }
                let length = Double(text.unicodeScalars.count)
                if keyword == "minLength", length < bound {
                    out.append(fail(keyword, bound == 1 ? "\(shown) should be non-empty" : "\(shown) is too short"))
                } else if keyword == "maxLength", length > bound {
                    out.append(fail(keyword, bound == 0 ? "\(shown) is expected to be empty" : "\(shown) is too long"))
                }
            case "pattern":
                guard case .string(let text) = instance, case .string(let pattern) = value,
                    let regex = try? NSRegularExpression(pattern: pattern)
                else { continue }
                if regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                    out.append(fail(keyword, "\(shown) does not match \(PythonRepr.string(pattern))"))
                }
            case "prefixItems":
                guard case .array(let items) = instance, case .array(let schemas) = value else { continue }
                for (index, (item, itemSchema)) in zip(items, schemas).enumerated() {
                    out += try errors(item, itemSchema, path: path + [.index(index)], depth: depth + 1)
                }
            case "items":
                guard case .array(let items) = instance else { continue }
                let skip = keywords["prefixItems"]?.arrayValue?.count ?? 0
                for (index, item) in items.enumerated() where index >= skip {
                    out += try errors(item, value, path: path + [.index(index)], depth: depth + 1)
                }
            case "minItems", "maxItems", "minProperties", "maxProperties":
                let count: Int
                switch instance {
                case .array(let items) where keyword.hasSuffix("Items"): count = items.count
                case .object(let members) where keyword.hasSuffix("Properties"): count = members.count
                default: continue
                }
                guard let bound = Self.number(value) else { continue }
                let items = keyword.hasSuffix("Items")
                if keyword.hasPrefix("min"), Double(count) < bound {
                    let reason = bound == 1 ? "should be non-empty" : (items ? "is too short" : "does not have enough properties")
                    out.append(fail(keyword, "\(shown) \(reason)"))
                } else if keyword.hasPrefix("max"), Double(count) > bound {
                    let reason = bound == 0 ? "is expected to be empty" : (items ? "is too long" : "has too many properties")
                    out.append(fail(keyword, "\(shown) \(reason)"))
                }
            case "uniqueItems":
                guard value == true, case .array(let items) = instance else { continue }
                if items.indices.contains(where: { i in items[(i + 1)...].contains { Self.equal($0, items[i]) } }) {
                    out.append(fail(keyword, "\(shown) has non-unique elements"))
                }
            case "properties":
                guard case .object(let members) = instance, case .object(let properties) = value else { continue }
                for name in properties.keys {
                    guard let member = members[name], let propertySchema = properties[name] else { continue }
                    out += try errors(member, propertySchema, path: path + [.key(name)], depth: depth + 1)
                }
            case "additionalProperties":
                guard case .object(let members) = instance else { continue }
                let declared = Set(keywords["properties"]?.objectValue?.keys.map { $0 } ?? [])
                let extras = members.keys.filter { !declared.contains($0) }.sorted()
                if value == false {
                    if !extras.isEmpty {
                        let names = extras.map(PythonRepr.string).joined(separator: ", ")
                        out.append(fail(keyword, "Additional properties are not allowed (\(names) \(extras.count == 1 ? "was" : "were") unexpected)"))
                    }
                } else {
                    for name in extras {
                        guard let member = members[name] else { continue }
                        out += try errors(member, value, path: path + [.key(name)], depth: depth + 1)
                    }
                }
            case "required":
                guard case .object(let members) = instance, case .array(let names) = value else { continue }
                for name in names.compactMap(\.stringValue) where members[name] == nil {
                    out.append(fail(keyword, "\(PythonRepr.string(name)) is a required property"))
                }
            case "allOf":
                for sub in value.arrayValue ?? [] { out += try errors(instance, sub, path: path, depth: depth + 1) }
            case "anyOf", "oneOf":
                var context: [SchemaError] = []
                var valid: [JSONValue] = []
                for sub in value.arrayValue ?? [] {
                    let found = try errors(instance, sub, path: path, depth: depth + 1)
                    if found.isEmpty { valid.append(sub) } else { context += found.map { var error = $0; error.base = path.count; return error } }
                }
                if valid.isEmpty {
                    out.append(fail(keyword, "\(shown) is not valid under any of the given schemas", context: context))
                } else if keyword == "oneOf", valid.count > 1 {
                    out.append(fail(keyword, "\(shown) is valid under each of \(valid.map(PythonRepr.of).joined(separator: ", "))"))
                }
            case "not":
                if try errors(instance, value, path: path, depth: depth + 1).isEmpty {
                    out.append(fail(keyword, "\(shown) should not be valid under \(PythonRepr.of(value))"))
                }
            default:
                break
            }
        }
        if let message = placeholders[path] { out.append(fail("_placeholders", message)) }
        return out
    }

    /// `#/…` JSON pointers into the root schema.
    private func resolve(_ reference: String) throws -> JSONValue {
        guard reference.hasPrefix("#") else { throw UnresolvableReference(reference: reference) }
        var current = root
        for part in reference.dropFirst().split(separator: "/", omittingEmptySubsequences: true) {
            let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if case .array(let items) = current, let index = Int(key), items.indices.contains(index) {
                current = items[index]
            } else if let next = current[key] {
                current = next
            } else {
                throw UnresolvableReference(reference: reference)
            }
        }
        return current
    }

    private static func matchesType(_ instance: JSONValue, _ type: JSONValue?) -> Bool {
        switch type {
        case .string(let name)?: isType(instance, name)
        case .array(let names)?: names.contains { isType(instance, $0.stringValue ?? "") }
        default: false
        }
    }

    /// Draft 2020-12's type checker: integers include whole floats; booleans are not numbers.
    static func isType(_ instance: JSONValue, _ type: String) -> Bool {
        switch (type, instance) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): true
        case ("integer", .int), ("number", .int), ("number", .double): true
        case ("integer", .double(let number)): number.rounded() == number && number.isFinite
        default: false
        }
    }

    private static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }

    /// JSON equality as Python compares: 1 == 1.0, but true is not 1 (jsonschema's `equal`).
    private static func equal(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.bool(let a), .bool(let b)): a == b
        case (.bool, _), (_, .bool): false
        case (.int, .double), (.double, .int), (.int, .int), (.double, .double): number(lhs) == number(rhs)
        case (.array(let a), .array(let b)): a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        case (.object(let a), .object(let b)): a.count == b.count && a.allSatisfy { key, value in b[key].map { equal(value, $0) } ?? false }
        default: lhs == rhs
        }
    }
}
