import Foundation
import HTTPTypes
import Logging
import PrefectSchemas

extension PrefectHTTPClient {
    /// Whether requests made in this task are sent again after a failure that may have
    /// happened after the server acted on them: the connection lost or timed out while
    /// waiting for the answer, or a gateway's 502 or 504. Default `true`, as Prefect's client.
    ///
    /// Set it to `false` around a call that must not be applied twice and whose outcome can be
    /// read back: the first such failure is then thrown (a ``PrefectTransportError``, or the
    /// 502/504 response) and the caller finds out what the server did. Failures that prove the
    /// server did not act (refused connections, 408, 429, 503) are retried either way. The
    /// flow and task engines use this for state proposals.
    @TaskLocal public static var resendsUnansweredRequests = true

    /// Sends `request`, retrying as `PrefectHttpxAsyncClient._send_with_retry` does.
    ///
    /// - Retried: the policy's status codes; every transport failure but a refused connection
    ///   before the client has ever reached the server, TLS failures and unknown errors.
    /// - A response with `Prefect-Maintenance: true` does not use up an attempt.
    /// - A 403 saying "Invalid CSRF token" drops the token, fetches a new one and sends again at
    ///   once. (Prefect's client also sleeps the exponential back-off there; a rejected token is no
    ///   sign of load, so this client does not.)
    /// - Returns: the first response that is not retried, or the last one when attempts run out.
    func sendWithRetry(_ request: HTTPRequest, body: Data?) async throws -> PrefectResponse {
        var request = request
        let policy = configuration.retryPolicy
        let changesState = Self.stateChangingMethods.contains(request.method)
        var csrfToken: CsrfToken?
        if changesState {
            csrfToken = try await applyCSRFToken(to: &request)
        }
        // The endpoint holds no credentials: its authority is host and port only.
        let url = "\(endpoint.scheme)://\(endpoint.authority)\(request.path ?? "")"
        var attempts = 0
        var lastResponse: PrefectResponse?
        while attempts <= policy.maxRetries {
            var retryAfter: Double?
            let reason: String
            do {
                let exchange = try await transport.send(request, body: body)
                markConnected()
                let response = PrefectResponse(method: request.method, url: url, head: exchange.head, body: exchange.body)
                lastResponse = response
                if !response.isMaintenance {
                    attempts += 1
                }
                if changesState, csrfToken != nil, response.statusCode == 403,
                    response.text.contains("Invalid CSRF token")
                {
                    await csrfTokens.invalidate(csrfToken)
                    csrfToken = try await applyCSRFToken(to: &request)
                    logger.debug("CSRF token rejected; sending again with a new one", metadata: ["url": "\(url)"])
                    continue
                }
                guard policy.retryStatusCodes.contains(response.statusCode) else {
                    return response
                }
                if !Self.resendsUnansweredRequests, Self.gatewayStatusCodes.contains(response.statusCode) {
                    return response
                }
                if let value = response.headerFields[.retryAfter] {
                    retryAfter = RetryPolicy.parseRetryAfter(value)
                }
                reason = "Received response with retryable status code \(response.statusCode)."
            } catch let error as PrefectTransportError where isRetried(error) {
                if !Self.resendsUnansweredRequests, error.kind.mayHaveReachedServer {
                    throw error
                }
                attempts += 1
                if attempts > policy.maxRetries {
                    throw error
                }
                reason = "Encountered retryable exception during request (\(error.kind))."
            }
            // Prefect's client sleeps once more after its last attempt; waiting then helps nobody.
            if attempts > policy.maxRetries { break }
            let delay = policy.delay(afterAttempt: attempts, retryAfter: retryAfter)
            logger.debug(
                "\(reason) Another attempt will be made in \(delay)s. This is attempt \(attempts)/\(policy.maxRetries + 1).",
                metadata: ["method": "\(request.method.rawValue)", "url": "\(url)"])
            try await sleeper.sleep(seconds: delay)
        }
        guard let lastResponse else {
            throw PrefectTransportError(
                kind: .other, method: request.method.rawValue, url: url, underlying: "no attempt was made")
        }
        return lastResponse
    }

    static let stateChangingMethods: Set<HTTPRequest.Method> = [.post, .put, .patch, .delete]

    /// Statuses a gateway answers when the server behind it may or may not have acted.
    package static let gatewayStatusCodes: Set<Int> = [502, 504]

    private func isRetried(_ error: PrefectTransportError) -> Bool {
        error.kind.isAlwaysRetried || (error.kind == .connect && hasConnectedOnce)
    }
}
