import Foundation
import PrefectSchemas
import TOMLKit

/// Prefect's `profiles.toml`: named groups of settings, one of them active.
///
/// ```toml
/// active = "local"
///
/// [profiles.local]
/// PREFECT_API_URL = "http://127.0.0.1:4200/api"
/// ```
///
/// As Prefect's CLI does, `PREFECT_PROFILE` in the environment picks the profile, else the
/// file's `active` key.
public struct PrefectProfiles: Sendable, Hashable {
    /// The profile named by the file's `active` key.
    public var activeName: String?
    /// Each profile's settings, as text.
    public var profiles: [String: [String: String]]

    public init(activeName: String? = nil, profiles: [String: [String: String]] = [:]) {
        self.activeName = activeName
        self.profiles = profiles
    }

    /// Reads a profiles file; a missing file is an empty collection.
    ///
    /// - Throws: ``PrefectClientConfigurationError`` naming `PREFECT_PROFILES_PATH` when the file
    ///   is not valid TOML or has the wrong shape.
    public static func load(path: String) throws -> PrefectProfiles {
        guard FileManager.default.fileExists(atPath: path) else { return PrefectProfiles() }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw PrefectClientConfigurationError(
                setting: "PREFECT_PROFILES_PATH", message: "cannot read '\(path)': \(error.localizedDescription)")
        }
        return try parse(text, path: path)
    }

    /// Parses the text of a profiles file.
    public static func parse(_ text: String, path: String = "profiles.toml") throws -> PrefectProfiles {
        let document: JSONValue
        do {
            let json = try TOMLTable(string: text).convert(to: .json)
            document = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        } catch let error as TOMLParseError {
            throw PrefectClientConfigurationError(
                setting: "PREFECT_PROFILES_PATH",
                message: "'\(path)' is not valid TOML (line \(error.source.begin.line)): \(error.description)")
        } catch {
            throw PrefectClientConfigurationError(
                setting: "PREFECT_PROFILES_PATH", message: "'\(path)' is not valid TOML: \(error)")
        }
        var result = PrefectProfiles(activeName: document["active"]?.stringValue)
        guard let profiles = document["profiles"] else { return result }
        guard case .object(let byName) = profiles else {
            throw PrefectClientConfigurationError(
                setting: "PREFECT_PROFILES_PATH", message: "'profiles' in '\(path)' is not a table")
        }
        for (name, settings) in byName {
            guard case .object(let values) = settings else {
                throw PrefectClientConfigurationError(
                    setting: "PREFECT_PROFILES_PATH", message: "profile '\(name)' in '\(path)' is not a table")
            }
            result.profiles[name] = values.dictionary.compactMapValues(Self.settingText)
        }
        return result
    }

    /// A TOML value as the text an environment variable would hold.
    private static func settingText(_ value: JSONValue) -> String? {
        switch value {
        case .null: nil
        case .string(let text): text
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .array, .object: value.jsonText
        }
    }
}
