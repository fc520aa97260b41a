import Foundation
import PrefectSchemas
import Synchronization

/// Holds one client's CSRF token: fetched lazily, one fetch in flight shared by every request
/// that waits for it, refreshed shortly before it expires, and switched off for good when the
/// server has no CSRF protection.
actor CSRFTokenStore {
    /// What the fetch found.
    enum FetchResult: Sendable {
        case token(CsrfToken)
        /// The server does not use CSRF tokens: stop asking.
        case unsupported
    }

    /// Tokens this close to expiry are refreshed before use, so a request never carries a token
    /// that expires on its way (Prefect's server issues tokens for an hour by default).
    static let refreshMargin: TimeInterval = 10

    private var token: CsrfToken?
    private var inFlight: Task<FetchResult, any Error>?
    private let enabled: Atomic<Bool>

    init(enabled: Bool) {
        self.enabled = Atomic(enabled)
    }

    /// Whether tokens are still used; readable without a hop to the actor, so requests to a
    /// server without CSRF protection skip the store entirely.
    nonisolated var isEnabled: Bool { enabled.load(ordering: .relaxed) }

    /// A token valid for at least ``refreshMargin`` more seconds, fetching one if needed;
    /// `nil` when CSRF support is off.
    func validToken(fetch: @escaping @Sendable () async throws -> FetchResult) async throws -> CsrfToken? {
        guard isEnabled else { return nil }
        if let token, token.expiration.timeIntervalSinceNow > Self.refreshMargin {
            return token
        }
        let task: Task<FetchResult, any Error>
        if let inFlight {
            task = inFlight
        } else {
            task = Task { try await fetch() }
            inFlight = task
        }
        let result: FetchResult
        do {
            result = try await task.value
        } catch {
            if inFlight == task { inFlight = nil }
            throw error
        }
        if inFlight == task { inFlight = nil }
        switch result {
        case .token(let fresh):
            if let current = token, current.expiration >= fresh.expiration { return current }
            token = fresh
            return fresh
        case .unsupported:
            enabled.store(false, ordering: .relaxed)
            token = nil
            return nil
        }
    }

    /// Forgets `rejected` after the server called it invalid; a newer token stays.
    func invalidate(_ rejected: CsrfToken?) {
        if token == rejected { token = nil }
    }
}
