import Foundation
import HTTPTypes
import Logging
import PrefectSchemas

extension PrefectHTTPClient {
    /// Puts a valid CSRF token and this client's id on `request`, fetching a token first if
    /// needed; does nothing when CSRF support is off.
    ///
    /// - Returns: the token applied, or `nil`.
    func applyCSRFToken(to request: inout HTTPRequest) async throws -> CsrfToken? {
        guard csrfTokens.isEnabled else { return nil }
        guard let token = try await csrfTokens.validToken(fetch: { [self] in try await fetchCSRFToken() }) else {
            request.headerFields[.prefectCsrfToken] = nil
            request.headerFields[.prefectCsrfClient] = nil
            return nil
        }
        request.headerFields[.prefectCsrfToken] = token.token
        request.headerFields[.prefectCsrfClient] = csrfClientID.prefectString
        return token
    }

    /// `GET /csrf-token?client=<id>`, as `PrefectHttpxAsyncClient._add_csrf_headers` does.
    ///
    /// A 404 (a server that predates CSRF) or a 422 saying "CSRF protection is disabled."
    /// means the server does not want tokens: CSRF support is switched off for this client.
    private func fetchCSRFToken() async throws -> CSRFTokenStore.FetchResult {
        let response = try await send(
            .get, "/csrf-token",
            query: [URLQueryItem(name: "client", value: csrfClientID.prefectString)],
            raiseOnError: false)
        if response.statusCode == 404
            || (response.statusCode == 422 && response.text.contains("CSRF protection is disabled."))
        {
            logger.debug("The server does not use CSRF tokens; CSRF support is off for this client")
            return .unsupported
        }
        try response.raiseForStatus()
        return .token(try response.decode(CsrfToken.self))
    }
}
