import Foundation

/// The parts of the API URL that every request shares, split once.
struct Endpoint: Sendable, CustomStringConvertible {
    let scheme: String
    let authority: String
    let basePath: String

    init(_ url: URL) throws {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else {
            throw PrefectClientConfigurationError(
                setting: "PREFECT_API_URL",
                message: "'\(RedactedURL.string(url.absoluteString))' is not an http(s) URL with a host")
        }
        self.scheme = scheme
        let bracketedHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        self.authority = components.port.map { "\(bracketedHost):\($0)" } ?? bracketedHost
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        self.basePath = path
    }

    /// `basePath` + `path`, with `query` percent-encoded.
    func path(_ path: String, query: [URLQueryItem]) -> String {
        var result = basePath
        if !path.hasPrefix("/") { result.append("/") }
        result.append(path)
        if !query.isEmpty {
            result.append("?")
            result.append(query.map { item in
                let name = Self.percentEncode(item.name)
                guard let value = item.value else { return name }
                return "\(name)=\(Self.percentEncode(value))"
            }.joined(separator: "&"))
        }
        return result
    }

    var description: String { "\(scheme)://\(authority)\(basePath)" }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func percentEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
