import Foundation
import PrefectSchemas

/// Values of Prefect's models that Jinja shows differently from their JSON: a datetime renders
/// as Python's `str(datetime)` (`2026-12-06 04:50:00.123456+00:00`) and a state type as its
/// enum (`StateType.COMPLETED`), while `tojson` and comparisons see the JSON value. The
/// context marks such strings (a private-use character no JSON text of Prefect's holds) and
/// the renderer reads the mark.
enum TemplateMarks {
    private static let mark: Character = "\u{E000}"
    private static let separator: Character = "\u{E001}"

    /// The datetime members of Prefect's objects and events.
    private static let dateKeys: Set<String> = [
        "created", "updated", "occurred", "received", "timestamp", "start_time", "end_time", "expected_start_time",
        "next_scheduled_start_time", "scheduled_time", "pause_timeout", "last_polled", "last_heartbeat_time", "triggered",
        "cache_expiration", "estimated_start_time",
    ]

    /// `value` with its datetimes and state types marked.
    static func model(_ value: JSONValue) -> JSONValue {
        mark(value, key: nil)
    }

    private static func mark(_ value: JSONValue, key: String?) -> JSONValue {
        switch value {
        case .object(let members):
            var out = JSONObject()
            for (name, member) in members {
                if name == "type" && key == "state" || name == "state_type", case .string(let raw) = member {
                    out[name] = .string("\(mark)EStateType.\(raw)\(separator)\(raw)")
                } else {
                    out[name] = mark(member, key: name)
                }
            }
            return .object(out)
        case .array(let items):
            return .array(items.map { mark($0, key: key) })
        case .string(let text) where key.map(dateKeys.contains) == true && PrefectDate.parse(text) != nil:
            return .string("\(mark)D\(text)")
        default:
            return value
        }
    }

    /// What Jinja shows for a marked string; the string itself otherwise.
    static func display(_ text: String) -> String {
        guard text.first == mark else { return text }
        let body = text.dropFirst(2)
        switch text.dropFirst().first {
        case "D":
            guard let date = PrefectDate.parse(String(body)) else { return String(body) }
            return pythonString(date)
        default:
            return String(body.prefix { $0 != separator })
        }
    }

    /// The JSON value of a marked string; the string itself otherwise.
    static func plain(_ text: String) -> String {
        guard text.first == mark else { return text }
        switch text.dropFirst().first {
        case "D": return String(text.dropFirst(2))
        default: return text.firstIndex(of: separator).map { String(text[text.index(after: $0)...]) } ?? text
        }
    }

    /// `str(datetime)` of a UTC datetime: its `isoformat()` (``EventCounting/isoformat(_:)``) with
    /// a space between date and time.
    static func pythonString(_ date: Date) -> String {
        var text = EventCounting.isoformat(date)
        if let separator = text.firstIndex(of: "T") { text.replaceSubrange(separator...separator, with: " ") }
        return text
    }
}
