import Foundation

/// Prefect's `{{ name }}` placeholders filled from a dictionary of values (`apply_values`,
/// `prefect/utilities/templating/__init__.py`), as its job templates and its `Custom Webhook`
/// notification block fill theirs: a string that is exactly one placeholder becomes the value
/// itself (of any type), placeholders inside text become the values' text, and objects and
/// arrays are filled member by member. A placeholder without a value makes its whole string
/// unset, and unset members and items are left out; inside text it becomes empty.
/// Placeholder names are dotted paths with `[index]` steps (`get_from_dict`).
public enum PlaceholderValues {
    public static func apply(_ template: JSONValue, _ values: JSONObject) -> JSONValue? {
        switch template {
        case .string(let text):
            return apply(text, values)
        case .object(let members):
            var filled = JSONObject()
            for (key, value) in members {
                if let value = apply(value, values) { filled[key] = value }
            }
            return .object(filled)
        case .array(let items):
            return .array(items.compactMap { apply($0, values) })
        default:
            return template
        }
    }

    private static func apply(_ text: String, _ values: JSONObject) -> JSONValue? {
        let found = placeholders(in: text)
        guard !found.isEmpty else { return .string(text) }
        if found.count == 1, found[0].range == text.startIndex..<text.endIndex, isStandard(found[0].name) {
            return lookup(found[0].name, values)
        }
        var result = ""
        var position = text.startIndex
        for placeholder in found {
            result += text[position..<placeholder.range.lowerBound]
            if placeholder.name.hasPrefix("$") {
                let name = String(placeholder.name.drop { $0 == "$" })
                result += ProcessInfo.processInfo.environment[name] ?? ""
            } else if !isStandard(placeholder.name) {
                result += text[placeholder.range]
            } else if let value = lookup(placeholder.name, values) {
                result += pythonText(value)
            }
            position = placeholder.range.upperBound
        }
        return .string(result + text[position...])
    }

    /// Not a block document (`prefect.blocks.`), variable (`prefect.variables.`) or
    /// environment (`$`) placeholder, which other steps fill.
    private static func isStandard(_ name: String) -> Bool {
        !name.hasPrefix("prefect.blocks.") && !name.hasPrefix("prefect.variables.") && !name.hasPrefix("$")
    }

    /// `PLACEHOLDER_CAPTURE_REGEX`: `{{`, optional spaces, a name of word characters, dots,
    /// dashes, brackets and `$`, optional spaces, `}}`.
    static func placeholders(in text: String) -> [(range: Range<String.Index>, name: String)] {
        text.matches(of: /\{\{\s*([\w\.\-\[\]$]+)\s*\}\}/).map { ($0.range, String($0.output.1)) }
    }

    /// `get_from_dict`: a dotted path with `[index]` steps; nil when any step is missing.
    static func lookup(_ path: String, _ values: JSONObject) -> JSONValue? {
        var current: JSONValue = .object(values)
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            var key = Substring(part)
            var indexes: [Int] = []
            while key.hasSuffix("]"), let open = key.lastIndex(of: "[") {
                guard let index = Int(key[key.index(after: open)..<key.index(before: key.endIndex)]) else { return nil }
                indexes.insert(index, at: 0)
                key = key[..<open]
            }
            if !key.isEmpty {
                guard case .object(let members) = current, let next = members[String(key)] else { return nil }
                current = next
            }
            for index in indexes {
                guard case .array(let items) = current, items.indices.contains(index) else { return nil }
                current = items[index]
            }
        }
        return current
    }

    /// `str(value)` as Python writes a JSON value.
    static func pythonText(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        default: PythonRepr.of(value)
        }
    }
}
