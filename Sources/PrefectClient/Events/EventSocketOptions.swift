/// What an event websocket takes from the client's settings besides the URL and credentials:
/// certificate checks and the timeout for connecting and for each pong.
struct EventSocketOptions: Sendable {
    var timeout: Duration
    var tls: EventSocketEndpoint.TLSOptions

    init(settings: PrefectSettings) {
        timeout = .wait(seconds: settings.requestTimeout)
        tls = .init(insecureSkipVerify: settings.tlsInsecureSkipVerify, caCertificateFile: settings.sslCertFile)
    }
}
