import Foundation
import PrefectSchemas

/// Looks a setting up in the environment, then in the active profile, and parses it the way
/// Prefect's pydantic settings do, naming the setting and where it came from on bad input.
package struct SettingSource {
    let environment: [String: String]
    let profile: [String: String]
    let profileName: String?
    let profilesPath: String

    func lookup(_ name: String) -> (value: String, origin: String)? {
        if let value = environment[name] { return (value, "environment") }
        if let value = profile[name], let profileName {
            return (value, "profile '\(profileName)' in \(profilesPath)")
        }
        return nil
    }

    private func invalid(_ name: String, _ origin: String, _ message: String) -> PrefectClientConfigurationError {
        PrefectClientConfigurationError(setting: name, message: "\(message) (from the \(origin))")
    }

    /// The raw text; an empty value counts as unset.
    package func text(_ name: String) -> String? {
        guard let (value, _) = lookup(name) else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    func url(_ name: String) throws -> URL? {
        guard let value = text(name), let (_, origin) = lookup(name) else { return nil }
        guard let url = URL(string: value), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", url.host != nil
        else {
            throw invalid(name, origin, "expected an http(s) URL such as http://127.0.0.1:4200/api")
        }
        return url
    }

    package func flag(_ name: String) throws -> Bool? {
        guard let value = text(name), let (_, origin) = lookup(name) else { return nil }
        switch value.lowercased() {
        case "1", "true", "t", "yes", "y", "on": return true
        case "0", "false", "f", "no", "n", "off": return false
        default: throw invalid(name, origin, "expected true or false, got '\(value)'")
        }
    }

    package func wholeNumber(_ name: String, minimum: Int) throws -> Int? {
        guard let value = text(name), let (_, origin) = lookup(name) else { return nil }
        guard let number = Int(value), number >= minimum else {
            throw invalid(name, origin, "expected a whole number ≥ \(minimum), got '\(value)'")
        }
        return number
    }

    package func number(_ name: String, minimum: Double) throws -> Double? {
        guard let value = text(name), let (_, origin) = lookup(name) else { return nil }
        guard let number = Double(value), number.isFinite, number >= minimum else {
            throw invalid(name, origin, "expected a number ≥ \(minimum), got '\(value)'")
        }
        return number
    }

    /// `"404,429"`, `"[404, 429]"` or `"429"`.
    func statusCodes(_ name: String) throws -> Set<Int>? {
        guard let value = text(name), let (_, origin) = lookup(name) else { return nil }
        let list = value.hasPrefix("[") && value.hasSuffix("]") ? String(value.dropFirst().dropLast()) : value
        var codes: Set<Int> = []
        for part in list.split(separator: ",") {
            let item = part.trimmingCharacters(in: .whitespaces)
            guard let code = Int(item), (100...599).contains(code) else {
                throw invalid(name, origin, "expected HTTP status codes such as '404,429', got '\(item)'")
            }
            codes.insert(code)
        }
        return codes
    }

    /// A JSON object of header names to string values.
    func headers(_ name: String) throws -> [String: String]? {
        guard let value = text(name), let (_, origin) = lookup(name) else { return nil }
        guard let json = try? JSONDecoder().decode(JSONValue.self, from: Data(value.utf8)),
            case .object(let members) = json
        else {
            throw invalid(name, origin, "expected a JSON object such as {\"X-Team\": \"data\"}")
        }
        var headers: [String: String] = [:]
        for (header, member) in members {
            switch member {
            case .string(let text): headers[header] = text
            case .int(let number): headers[header] = String(number)
            case .double(let number): headers[header] = String(number)
            case .bool(let flag): headers[header] = flag ? "true" : "false"
            default: throw invalid(name, origin, "the value of header '\(header)' is not a string")
            }
        }
        return headers
    }
}
