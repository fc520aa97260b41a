import Foundation
import Logging
import Synchronization

extension PrefectClient {
    /// `GET /health`: `nil` when the API answered, else the error that prevented it
    /// (Prefect's `api_healthcheck`).
    public func apiHealthcheck() async -> (any Error)? {
        do {
            _ = try await http.get("/health")
            return nil
        } catch {
            return error
        }
    }

    /// `GET /hello`, for testing connectivity (Prefect's `hello`).
    public func hello() async throws -> PrefectResponse {
        try await http.get("/hello")
    }

    /// `GET /admin/version`: the server's Prefect version, e.g. `3.9.1` (Prefect's `api_version`).
    public func apiVersion() async throws -> String {
        try await http.get("/admin/version").decode(String.self)
    }

    /// The version of this SDK (Prefect's `client_version`).
    public func clientVersion() -> String {
        PrefectAPI.clientVersion
    }

    /// Checks that the server speaks the same major Prefect version as this SDK
    /// (Prefect's `raise_for_api_version_mismatch`). Prefect Cloud is always compatible.
    ///
    /// Logs a warning when the server is older than the Prefect release this SDK follows.
    ///
    /// - Throws: ``PrefectAPIVersionMismatchError`` when the major versions differ; the request's
    ///   own error (unreachable, unauthorized) when the version cannot be read.
    public func raiseForAPIVersionMismatch() async throws {
        guard serverType != .cloud else { return }
        let serverVersion = try await apiVersion()
        let target = PrefectVersion(PrefectAPI.targetPrefectVersion)
        guard let server = PrefectVersion(serverVersion), let target else {
            throw PrefectAPIVersionMismatchError(serverVersion: serverVersion)
        }
        guard server.major == target.major else {
            throw PrefectAPIVersionMismatchError(serverVersion: serverVersion)
        }
        if server < target {
            logger.warning(
                "Your Prefect server is running an older version of Prefect than this client follows, which may result in unexpected behavior. Please upgrade your Prefect server from version \(serverVersion) to version \(PrefectAPI.targetPrefectVersion) or higher."
            )
        }
    }

    /// ``raiseForAPIVersionMismatch()`` once per client: later calls return at once after a
    /// check has passed (Prefect's `raise_for_api_version_mismatch_once`).
    public func raiseForAPIVersionMismatchOnce() async throws {
        if versionChecked.withLock({ $0 }) { return }
        try await raiseForAPIVersionMismatch()
        versionChecked.withLock { $0 = true }
    }
}

/// The server runs a Prefect major version this SDK does not speak.
public struct PrefectAPIVersionMismatchError: Error, Sendable, CustomStringConvertible, Hashable {
    /// What `/admin/version` answered.
    public var serverVersion: String

    public var description: String {
        "Found incompatible versions: client follows Prefect \(PrefectAPI.targetPrefectVersion), server: \(serverVersion). Major versions must match."
    }
}

/// The numeric release parts of a Prefect version such as `3.9.1` or `3.9.1.dev4+g1234`.
struct PrefectVersion: Comparable {
    let parts: [Int]

    init?(_ text: String) {
        var parts: [Int] = []
        for piece in text.split(separator: ".") {
            let digits = piece.prefix(while: \.isNumber)
            guard let number = Int(digits) else { break }
            parts.append(number)
            if digits.count != piece.count { break }
        }
        guard !parts.isEmpty else { return nil }
        self.parts = parts
    }

    var major: Int { parts[0] }

    static func < (lhs: PrefectVersion, rhs: PrefectVersion) -> Bool {
        for index in 0..<max(lhs.parts.count, rhs.parts.count) {
            let left = index < lhs.parts.count ? lhs.parts[index] : 0
            let right = index < rhs.parts.count ? rhs.parts[index] : 0
            if left != right { return left < right }
        }
        return false
    }
}
