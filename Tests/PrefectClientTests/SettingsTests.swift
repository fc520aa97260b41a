import Foundation
import PrefectClient
import Testing

@Suite("Settings from the environment and profiles.toml")
struct SettingsTests {
    /// A fresh PREFECT_HOME holding `profiles`.
    private func home(profiles: String?) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prefect-settings-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if let profiles {
            try profiles.write(toFile: directory + "/profiles.toml", atomically: true, encoding: .utf8)
        }
        return directory
    }

    private let profiles = """
        active = "local"

        [profiles.local]
        PREFECT_API_URL = "http://127.0.0.1:4200/api"
        PREFECT_CLIENT_MAX_RETRIES = 7
        PREFECT_CLIENT_CSRF_SUPPORT_ENABLED = false

        [profiles.cloud]
        PREFECT_API_URL = "https://api.prefect.cloud/api/accounts/a/workspaces/w"
        PREFECT_API_KEY = "pnu_profile_key"
        """

    @Test("defaults are Prefect's")
    func defaults() throws {
        let settings = try PrefectSettings.load(environment: ["PREFECT_HOME": try home(profiles: nil)])
        #expect(settings.apiURL == nil)
        #expect(settings.requestTimeout == 60)
        #expect(settings.maxRetries == 5)
        #expect(settings.retryJitterFactor == 0.2)
        #expect(settings.retryExtraCodes.isEmpty)
        #expect(settings.csrfSupportEnabled)
        #expect(!settings.tlsInsecureSkipVerify)
        #expect(settings.customHeaders.isEmpty)
    }

    @Test("the active profile is read, and the environment wins over it")
    func activeProfileAndPrecedence() throws {
        let home = try home(profiles: profiles)
        let fromProfile = try PrefectSettings.load(environment: ["PREFECT_HOME": home])
        #expect(fromProfile.profileName == "local")
        #expect(fromProfile.apiURL?.absoluteString == "http://127.0.0.1:4200/api")
        #expect(fromProfile.maxRetries == 7)
        #expect(!fromProfile.csrfSupportEnabled)

        let overridden = try PrefectSettings.load(environment: [
            "PREFECT_HOME": home, "PREFECT_CLIENT_MAX_RETRIES": "2", "PREFECT_API_URL": "http://10.0.0.1:4200/api",
        ])
        #expect(overridden.maxRetries == 2)
        #expect(overridden.apiURL?.absoluteString == "http://10.0.0.1:4200/api")
        #expect(!overridden.csrfSupportEnabled)
    }

    @Test("PREFECT_PROFILE picks another profile; PREFECT_PROFILES_PATH another file")
    func profileSelection() throws {
        let home = try home(profiles: profiles)
        let cloud = try PrefectSettings.load(environment: ["PREFECT_HOME": home, "PREFECT_PROFILE": "cloud"])
        #expect(cloud.apiKey == "pnu_profile_key")
        #expect(cloud.isCloud)
        #expect(!cloud.description.contains("pnu_profile_key"))

        let other = try self.home(profiles: "active = \"x\"\n[profiles.x]\nPREFECT_API_REQUEST_TIMEOUT = 2.5\n")
        let fromPath = try PrefectSettings.load(environment: [
            "PREFECT_HOME": home, "PREFECT_PROFILES_PATH": other + "/profiles.toml",
        ])
        #expect(fromPath.requestTimeout == 2.5)
        #expect(fromPath.apiURL == nil)

        let missing = #expect(throws: PrefectClientConfigurationError.self) {
            try PrefectSettings.load(environment: ["PREFECT_HOME": home, "PREFECT_PROFILE": "nope"])
        }
        #expect(missing?.setting == "PREFECT_PROFILE")
    }

    @Test("lists, JSON and flags parse as Prefect parses them")
    func valueFormats() throws {
        let settings = try PrefectSettings.load(environment: [
            "PREFECT_HOME": try home(profiles: nil),
            "PREFECT_CLIENT_RETRY_EXTRA_CODES": "404, 500",
            "PREFECT_CLIENT_CUSTOM_HEADERS": #"{"X-Team": "data", "X-Num": 3}"#,
            "PREFECT_API_TLS_INSECURE_SKIP_VERIFY": "yes",
            "PREFECT_API_AUTH_STRING": "admin:pass",
        ])
        #expect(settings.retryExtraCodes == [404, 500])
        #expect(settings.customHeaders == ["X-Team": "data", "X-Num": "3"])
        #expect(settings.tlsInsecureSkipVerify)
        #expect(!settings.description.contains("admin:pass"))
        let bracketed = try PrefectSettings.load(environment: [
            "PREFECT_HOME": try home(profiles: nil), "PREFECT_CLIENT_RETRY_EXTRA_CODES": "[429]",
        ])
        #expect(bracketed.retryExtraCodes == [429])
    }

    @Test(
        "invalid values name the setting",
        arguments: [
            ("PREFECT_CLIENT_MAX_RETRIES", "-1"), ("PREFECT_CLIENT_MAX_RETRIES", "many"),
            ("PREFECT_CLIENT_RETRY_JITTER_FACTOR", "-0.5"), ("PREFECT_CLIENT_RETRY_EXTRA_CODES", "404,abc"),
            ("PREFECT_CLIENT_RETRY_EXTRA_CODES", "999"), ("PREFECT_CLIENT_CSRF_SUPPORT_ENABLED", "maybe"),
            ("PREFECT_CLIENT_CUSTOM_HEADERS", "[1,2]"), ("PREFECT_API_URL", "not a url"),
            ("PREFECT_API_REQUEST_TIMEOUT", "soon"),
        ])
    func invalidValues(name: String, value: String) throws {
        let home = try home(profiles: nil)
        let error = #expect(throws: PrefectClientConfigurationError.self) {
            try PrefectSettings.load(environment: ["PREFECT_HOME": home, name: value])
        }
        #expect(error?.setting == name)
        #expect(error?.description.contains(name) == true)
    }

    @Test("a broken profiles file is a clear error")
    func brokenProfiles() throws {
        let home = try home(profiles: "active = \"local\"\n[profiles.local\nPREFECT_API_URL = 1")
        let error = #expect(throws: PrefectClientConfigurationError.self) {
            try PrefectSettings.load(environment: ["PREFECT_HOME": home])
        }
        #expect(error?.setting == "PREFECT_PROFILES_PATH")
    }
}
