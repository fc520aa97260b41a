import Foundation
import Hummingbird
import PrefectClient
import PrefectSchemas

/// One setting of Prefect 3.9.1's settings model (generated in ``PrefectSettingsTree``).
struct PrefectSettingLeaf: Sendable {
    /// How a value from the environment or a profile is read, as pydantic reads that field.
    enum Kind: Sendable {
        case string, bool, int, float, list, object, secret
        /// A set of integers (`PREFECT_CLIENT_RETRY_EXTRA_CODES`): JSON, or comma-separated.
        case intList
        /// A `timedelta` given in seconds, answered as ISO 8601 (`PT1H`).
        case seconds
    }

    let path: [String]
    let names: [String]
    let kind: Kind
    let defaultJSON: String
}

/// `GET /admin/settings` (Prefect's `api/admin.py` `read_settings`): the server's settings, whole,
/// secrets as `**********`, as Prefect 3.9.1 answers them. Each setting is its first environment
/// name that is set (the environment, then the active profile), read as Prefect reads that
/// field, or else Prefect's default; the defaults that depend on others (`PREFECT_HOME`'s paths,
/// `ui_url`, `server.ui.api_url`, `api.ssl_cert_file` from `SSL_CERT_FILE`) are worked out as
/// Prefect's `_defaults.py` and its models do.
enum AdminSettings {
    static let homePlaceholder = "/__PREFECT_HOME__"
    static let obfuscated = #""**********""#

    /// Worked out on the first request, once per process (Prefect reads its settings at start):
    /// an app opened in-process by a client that never asks pays nothing.
    private static let processAnswer = Data(document(environment: ProcessInfo.processInfo.environment).utf8)

    static func register(on api: RouterGroup<PrefectRequestContext>) {
        api.get("admin/settings") { _, _ in JSONResponse.raw(processAnswer) }
    }

    /// The whole answer, as JSON text.
    static func document(environment: [String: String]) -> String {
        guard let (source, home) = try? PrefectSettings.settingSource(environment: environment) else {
            return render(values: PrefectSettingsTree.leaves.map { ($0.path, $0.defaultJSON) })
        }
        var values: [(path: [String], json: String)] = []
        var given: [String: String] = [:]
        for leaf in PrefectSettingsTree.leaves {
            let key = leaf.path.joined(separator: ".")
            if let text = leaf.names.lazy.compactMap({ source.text($0) }).first, let json = read(text, as: leaf.kind) {
                given[key] = text
                values.append((leaf.path, json))
            } else {
                values.append((leaf.path, leaf.defaultJSON.replacingOccurrences(of: homePlaceholder, with: jsonEscaped(home))))
            }
        }
        let apiURL = given["api.url"]
        for index in values.indices {
            switch values[index].path.joined(separator: ".") {
            case "server.ui.api_url" where given["server.ui.api_url"] == nil:
                let host = given["server.api.host"] ?? "127.0.0.1"
                let port = given["server.api.port"] ?? "4200"
                values[index].json = jsonString(apiURL ?? "http://\(host):\(port)/api")
            case "api.ssl_cert_file" where given["api.ssl_cert_file"] == nil:
                values[index].json = environment["SSL_CERT_FILE"].map(jsonString) ?? "null"
            case "ui_url" where given["ui_url"] == nil:
                values[index].json = apiURL.map { jsonString(defaultUIURL(apiURL: $0, given: given)) } ?? "null"
            default: break
            }
        }
        return render(values: values)
    }

    /// Prefect's `default_ui_url`: the API's address without its `/api`, Cloud's API made its UI.
    static func defaultUIURL(apiURL: String, given: [String: String]) -> String {
        var url = apiURL
        let cloudAPI = given["cloud.api_url"] ?? "https://api.prefect.cloud/api"
        let cloudUI = given["cloud.ui_url"] ?? "https://app.prefect.cloud"
        if url.hasPrefix(cloudAPI), !cloudUI.isEmpty { url = url.replacingOccurrences(of: cloudAPI, with: cloudUI) }
        if url.hasSuffix("/api") { url.removeLast(4) }
        return url.replacingOccurrences(of: "/api/", with: "/").replacingOccurrences(of: "/accounts/", with: "/account/")
            .replacingOccurrences(of: "/workspaces/", with: "/workspace/")
    }

    /// A set value as JSON; nil when it does not read as `kind` (the default stands then).
    static func read(_ text: String, as kind: PrefectSettingLeaf.Kind) -> String? {
        switch kind {
        case .string: return jsonString(text)
        case .secret: return obfuscated
        case .bool:
            switch text.lowercased() {
            case "1", "true", "t", "yes", "y", "on": return "true"
            case "0", "false", "f", "no", "n", "off": return "false"
            default: return nil
            }
        case .int: return Int(text).map(String.init)
        case .float: return Double(text).flatMap { $0.isFinite ? pythonFloat($0) : nil }
        case .seconds: return durationSeconds(text).flatMap { $0.isFinite && $0 >= 0 ? jsonString(isoDuration(seconds: $0)) : nil }
        case .list:
            if let parsed = try? PrefectJSON.decode(JSONValue.self, from: Data(text.utf8)), case .array = parsed { return compactJSON(parsed) }
            let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return "[" + items.map(jsonString).joined(separator: ",") + "]"
        case .intList:
            if let parsed = try? PrefectJSON.decode([Int].self, from: Data(text.utf8)) { return "[" + parsed.map(String.init).joined(separator: ",") + "]" }
            let items = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !items.contains(nil) else { return nil }
            return "[" + items.compactMap { $0.map(String.init) }.joined(separator: ",") + "]"
        case .object:
            guard let parsed = try? PrefectJSON.decode(JSONValue.self, from: Data(text.utf8)), case .object = parsed else { return nil }
            return compactJSON(parsed)
        }
    }

    /// A duration as pydantic reads a `timedelta` from text: ISO 8601 (`P1D`, `PT1M30S`) or
    /// `[D day[s], ]HH:MM:SS[.ffffff]`; nil for anything else.
    static func durationSeconds(_ text: String) -> Double? {
        if text.hasPrefix("P") { return ISODuration.seconds(text) }
        var rest = Substring(text)
        var days = 0.0
        if let comma = rest.firstIndex(of: ",") {
            let dayPart = rest[..<comma].split(separator: " ")
            guard dayPart.count == 2, dayPart[1].hasPrefix("day"), let count = Double(dayPart[0]) else { return nil }
            days = count
            rest = rest[rest.index(after: comma)...].drop { $0 == " " }
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let hours = Double(parts[0]), let minutes = Double(parts[1]), let seconds = Double(parts[2]) else {
            return nil
        }
        return days * 86_400 + hours * 3600 + minutes * 60 + seconds
    }

    /// A float as Python writes it: `60.0`, `0.2`.
    static func pythonFloat(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e16 { return String(format: "%.1f", value) }
        return "\(value)"
    }

    /// A duration as pydantic writes a `timedelta`: `PT1H`, `P7D`, `PT1M30S`, `PT0S`.
    static func isoDuration(seconds total: Double) -> String {
        let days = Int(total / 86_400)
        var rest = total - Double(days) * 86_400
        let hours = Int(rest / 3600)
        rest -= Double(hours) * 3600
        let minutes = Int(rest / 60)
        rest -= Double(minutes) * 60
        var text = "P" + (days > 0 ? "\(days)D" : "")
        var time = ""
        if hours > 0 { time += "\(hours)H" }
        if minutes > 0 { time += "\(minutes)M" }
        if rest > 0 { time += (rest == rest.rounded() ? "\(Int(rest))" : "\(rest)") + "S" }
        if time.isEmpty, days == 0 { time = "0S" }
        if !time.isEmpty { text += "T" + time }
        return text
    }

    /// Nested objects from the settings' paths, in their order.
    static func render(values: [(path: [String], json: String)]) -> String {
        var output = ""
        var open: [String] = []
        var first = true
        for (path, json) in values {
            let parents = Array(path.dropLast())
            var common = 0
            while common < min(open.count, parents.count), open[common] == parents[common] { common += 1 }
            while open.count > common {
                output += "}"
                open.removeLast()
                first = false
            }
            if output.isEmpty { output = "{" }
            for name in parents[common...] {
                output += (first ? "" : ",") + jsonString(name) + ":{"
                open.append(name)
                first = true
            }
            output += (first ? "" : ",") + jsonString(path.last ?? "") + ":" + json
            first = false
        }
        output += String(repeating: "}", count: open.count) + "}"
        return output
    }

    static func jsonString(_ text: String) -> String { "\"" + jsonEscaped(text) + "\"" }

    private static func jsonEscaped(_ text: String) -> String {
        let encoded = (try? ServerJSON.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
        return String(encoded.dropFirst().dropLast())
    }

    private static func compactJSON(_ value: JSONValue) -> String? {
        (try? ServerJSON.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }
}
