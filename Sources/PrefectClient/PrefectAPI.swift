/// Versions this SDK speaks.
public enum PrefectAPI {
    /// The version of swift-prefect.
    public static let clientVersion = "0.1.0"
    /// The REST API version of Prefect 3.9.1 (`prefect.client.constants.SERVER_API_VERSION`),
    /// sent in `X-PREFECT-API-VERSION`.
    public static let serverAPIVersion = "0.8.4"
    /// The Prefect release whose API and behaviour this SDK follows.
    public static let targetPrefectVersion = "3.9.1"
    /// The `User-Agent` of every request.
    public static let userAgent = "swift-prefect/\(clientVersion) (API \(serverAPIVersion))"
}
