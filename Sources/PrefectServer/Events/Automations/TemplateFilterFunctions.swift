import Foundation
import PrefectSchemas

/// The filters of ``UserTemplate``: Jinja's own that templates use (`default`, `lower`,
/// `upper`, `title`, `capitalize`, `length`, `join`, `tojson`, `first`, `last`, `replace`,
/// `trim`, `string`, `int`, `float`, `abs`, `round`, `list`, `sort`, `unique`, `reverse`,
/// `safe`, `escape`), and Prefect's `ui_url`, `ui_resource_events_url` and `flow_run_id`.
extension TemplateRenderer {
    func filter(_ name: String, _ value: JSONValue?, _ arguments: [JSONValue?]) throws -> JSONValue? {
        func argument(_ index: Int) -> JSONValue? { index < arguments.count ? arguments[index] : nil }
        func string() -> String { Self.text(value) }
        switch name {
        case "default", "d":
            let useFalsy = Self.truthy(argument(1))
            if value == nil || (useFalsy && !Self.truthy(value)) { return argument(0) ?? .string("") }
            return value
        case "lower": return .string(string().lowercased())
        case "upper": return .string(string().uppercased())
        case "title": return .string(string().capitalized)
        case "capitalize":
            let text = string()
            return .string(text.prefix(1).uppercased() + text.dropFirst().lowercased())
        case "length", "count":
            switch value {
            case .string(let text)?: return .int(Int64(text.count))
            case .array(let items)?: return .int(Int64(items.count))
            case .object(let members)?: return .int(Int64(members.count))
            case nil: return .int(0)
            default: throw UserTemplate.RenderError(message: "object of type '\(Self.typeName(value))' has no len()")
            }
        case "join":
            let separator = argument(0).map { Self.text($0) } ?? ""
            return .string(Self.items(value).map { Self.text($0) }.joined(separator: separator))
        case "tojson":
            let indent = argument(0).flatMap { if case .int(let n) = $0 { Int(n) } else { nil } }
            return .string(PythonJSON.dumps(Self.plain(value ?? .null), sortKeys: true, indent: indent, htmlSafe: true))
        case "first": return Self.items(value).first
        case "last": return Self.items(value).last
        case "replace":
            return .string(string().replacingOccurrences(of: argument(0).map { Self.text($0) } ?? "", with: argument(1).map { Self.text($0) } ?? ""))
        case "trim", "strip": return .string(string().trimmingCharacters(in: .whitespacesAndNewlines))
        case "string": return .string(string())
        case "safe": return value
        case "escape", "e":
            return .string(string().replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&#34;")
                .replacingOccurrences(of: "'", with: "&#39;"))
        case "int":
            switch value {
            case .int?: return value
            case .double(let number)?: return number.isFinite ? .int(Int64(number.rounded(.towardZero))) : argument(0) ?? .int(0)
            case .string(let text)?: return Int64(text.trimmingCharacters(in: .whitespaces)).map(JSONValue.int) ?? argument(0) ?? .int(0)
            case .bool(let flag)?: return .int(flag ? 1 : 0)
            default: return argument(0) ?? .int(0)
            }
        case "float":
            switch value {
            case .int(let number)?: return .double(Double(number))
            case .double?: return value
            case .string(let text)?: return Double(text.trimmingCharacters(in: .whitespaces)).map(JSONValue.double) ?? argument(0) ?? .double(0)
            default: return argument(0) ?? .double(0)
            }
        case "abs":
            switch value {
            case .int(let number)?: return .int(number == .min ? number : abs(number))
            case .double(let number)?: return .double(abs(number))
            default: throw UserTemplate.RenderError(message: "bad operand type for abs(): '\(Self.typeName(value))'")
            }
        case "round":
            let precision = argument(0).flatMap { if case .int(let n) = $0 { Int(n) } else { nil } } ?? 0
            guard let number = value.flatMap({ v -> Double? in if case .int(let n) = v { Double(n) } else if case .double(let d) = v { d } else { nil } }) else {
                throw UserTemplate.RenderError(message: "round() needs a number")
            }
            let scale = pow(10, Double(min(max(precision, 0), 15)))
            return .double((number * scale).rounded(.toNearestOrEven) / scale)
        case "list": return .array(Self.items(value))
        case "sort": return .array(Self.items(value).sorted { Self.text($0) < Self.text($1) })
        case "reverse":
            if case .string(let text)? = value { return .string(String(text.reversed())) }
            return .array(Self.items(value).reversed())
        case "unique":
            var seen: [JSONValue] = []
            for item in Self.items(value) where !seen.contains(item) { seen.append(item) }
            return .array(seen)
        case "ui_url":
            return uiURL(value).map(JSONValue.string) ?? .null
        case "ui_resource_events_url":
            return resourceEventsURL(value).map(JSONValue.string) ?? .null
        case "flow_run_id":
            guard case .string(let text)? = value,
                  let match = text.firstMatch(of: /flow-run\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/) else { return .null }
            return .string(String(match.output.1))
        default:
            throw UserTemplate.RenderError(message: "No filter named '\(name)'.")
        }
    }

    /// The kind and id of a context object or a resource.
    private func kindAndID(_ value: JSONValue?) -> (kind: String, id: String)? {
        guard case .object(let members)? = value else { return nil }
        if let resourceID = members["prefect.resource.id"]?.stringValue, resourceID.hasPrefix("prefect."),
           let dot = resourceID.lastIndex(of: ".") {
            return (String(resourceID[resourceID.index(resourceID.startIndex, offsetBy: 8)..<dot]), String(resourceID[resourceID.index(after: dot)...]))
        }
        guard let id = members["id"]?.stringValue, let kind = filters.kinds[id] else { return nil }
        return (kind, id)
    }

    /// `url_for(obj, "ui")` (`prefect/utilities/urls.py`).
    private func uiURL(_ value: JSONValue?) -> String? {
        guard let base = filters.uiURL, let (kind, id) = kindAndID(value) else { return nil }
        let formats = [
            "flow": "flows/flow/", "flow-run": "runs/flow-run/", "task-run": "runs/task-run/", "block-document": "blocks/block/",
            "work-pool": "work-pools/work-pool/", "work-queue": "work-queues/work-queue/",
            "concurrency-limit": "concurrency-limits/concurrency-limit/", "deployment": "deployments/deployment/",
            "automation": "automations/automation/",
        ]
        guard let path = formats[kind] else { return nil }
        var name = id
        if kind == "work-pool", case .object(let members)? = value, let poolName = members["name"]?.stringValue { name = poolName }
        return base.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + "/" + path + name
    }

    /// `ui_resource_events_url`.
    private func resourceEventsURL(_ value: JSONValue?) -> String? {
        guard let base = filters.uiURL, let (kind, id) = kindAndID(value) else { return nil }
        let root = base.hasSuffix("/") ? base : base + "/"
        return root + "events?resource=prefect.\(kind).\(id)"
    }
}

/// Python's `json.dumps` (`", "` and `": "` separators, ASCII only) as Jinja's `tojson` calls
/// it, `htmlSafe` escaping `<`, `>`, `&` and `'` as `htmlsafe_json_dumps` does.
enum PythonJSON {
    static func dumps(_ value: JSONValue, sortKeys: Bool, indent: Int? = nil, htmlSafe: Bool = false) -> String {
        var out = ""
        write(value, sortKeys: sortKeys, indent: indent, level: 0, htmlSafe: htmlSafe, into: &out)
        return out
    }

    private static func write(_ value: JSONValue, sortKeys: Bool, indent: Int?, level: Int, htmlSafe: Bool, into out: inout String) {
        let newline = indent.map { "\n" + String(repeating: " ", count: $0 * (level + 1)) }
        let closing = indent.map { "\n" + String(repeating: " ", count: $0 * level) } ?? ""
        let separator = indent == nil ? ", " : ","
        switch value {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .int(let number): out += String(number)
        case .double(let number):
            out += number.isNaN ? "NaN" : number.isInfinite ? (number > 0 ? "Infinity" : "-Infinity") : PythonRepr.float(number)
        case .string(let text): out += quoted(text, htmlSafe: htmlSafe)
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += separator }
                out += newline ?? ""
                write(item, sortKeys: sortKeys, indent: indent, level: level + 1, htmlSafe: htmlSafe, into: &out)
            }
            out += closing + "]"
        case .object(let members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{"
            let keys = sortKeys ? members.keys.sorted() : members.keys
            for (index, key) in keys.enumerated() {
                if index > 0 { out += separator }
                out += (newline ?? "") + quoted(key, htmlSafe: htmlSafe) + ": "
                write(members[key] ?? .null, sortKeys: sortKeys, indent: indent, level: level + 1, htmlSafe: htmlSafe, into: &out)
            }
            out += closing + "}"
        }
    }

    private static func quoted(_ text: String, htmlSafe: Bool) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "<" where htmlSafe: out += "\\u003c"
            case ">" where htmlSafe: out += "\\u003e"
            case "&" where htmlSafe: out += "\\u0026"
            case "'" where htmlSafe: out += "\\u0027"
            default:
                if scalar.value < 0x20 || scalar.value > 0x7E {
                    if scalar.value > 0xFFFF {
                        let v = scalar.value - 0x10000
                        out += String(format: "\\u%04x\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF))
                    } else {
                        out += String(format: "\\u%04x", scalar.value)
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
