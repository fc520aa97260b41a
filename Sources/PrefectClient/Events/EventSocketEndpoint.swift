import Foundation

/// Where and how to open an event websocket: the API's URL with `ws`/`wss` for `http`/`https`
/// (Prefect's `http_to_ws`) and the socket's path, plus the credentials.
struct EventSocketEndpoint: Sendable {
    var url: URL
    var host: String
    var port: Int
    var requestPath: String
    var usesTLS: Bool
    /// The name sent in TLS's server name indication: the host, unless it is an IP address.
    var serverName: String? {
        var address = in6_addr()
        let literal = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let isAddress = literal.withCString { name in
            inet_pton(AF_INET, name, &address) == 1 || inet_pton(AF_INET6, name, &address) == 1
        }
        return isAddress ? nil : host
    }
    /// `Authorization` for the upgrade request: Basic with the auth string, or Bearer with a
    /// Prefect Cloud API key.
    var authorization: String?
    /// The token of the `auth` message (Prefect's handshake); Prefect Cloud checks the header instead.
    var token: String?
    var performsHandshake: Bool
    var tls: TLSOptions

    struct TLSOptions: Sendable {
        var insecureSkipVerify = false
        var caCertificateFile: String?
    }

    /// The API URL `settings` name, for a websocket client.
    ///
    /// - Throws: ``PrefectArgumentError`` when they name none (the embedded server has no
    ///   websockets in-process).
    static func apiURL(_ settings: PrefectSettings) throws -> URL {
        guard let apiURL = settings.apiURL else {
            throw PrefectArgumentError(argument: "PREFECT_API_URL", message: "must be set to use the event websockets")
        }
        return apiURL
    }

    /// `path` is `/events/in` or `/events/out`. With an API key the emitter authenticates by
    /// its header alone (`PrefectCloudEventsClient`), the subscriber by the handshake too.
    init(apiURL: URL, path: String, authString: String?, apiKey: String?, handshakeWithAPIKey: Bool, tls: TLSOptions) throws {
        guard var components = URLComponents(url: apiURL, resolvingAgainstBaseURL: false),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host
        else { throw PrefectArgumentError(argument: "apiURL", message: "must be an http(s) URL: \(RedactedURL.string(apiURL.absoluteString))") }
        usesTLS = scheme == "https"
        components.scheme = usesTLS ? "wss" : "ws"
        var base = components.path
        while base.hasSuffix("/") { base.removeLast() }
        components.path = base + path
        guard let url = components.url else { throw PrefectArgumentError(argument: "apiURL", message: "has no websocket URL: \(RedactedURL.string(apiURL.absoluteString))") }
        self.url = url
        self.host = host
        self.port = components.port ?? (usesTLS ? 443 : 80)
        self.requestPath = components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
        self.tls = tls
        if let apiKey {
            authorization = "Bearer \(apiKey)"
            token = apiKey
            performsHandshake = handshakeWithAPIKey
        } else {
            authorization = authString.map { "Basic " + Data($0.utf8).base64EncodedString() }
            token = authString
            performsHandshake = true
        }
    }
}
