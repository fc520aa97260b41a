import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// A fault-injecting HTTP proxy on a loopback port, in front of a real Prefect API: each
/// request is forwarded to the upstream server, or answered with a fault instead — some
/// faults before the request reaches the server (the server never acts), some after (the
/// server acted, the client never hears).
///
/// Every fault kind is injected at least once (on requests `firstFaults` names), and then at
/// the given rates from a seeded generator.
public final class FaultProxy: Sendable {
    /// One way a request goes wrong.
    public enum Fault: String, Sendable, CaseIterable, CustomStringConvertible {
        /// 429 with `Retry-After`, not forwarded.
        case tooManyRequests
        /// 503, not forwarded.
        case unavailable
        /// An HTML 502 page, as a gateway answers, not forwarded.
        case htmlBadGateway
        /// The connection closed before forwarding.
        case dropBeforeForwarding
        /// Forwarded and answered by the server; the connection closed instead of answering.
        case dropAfterForwarding
        /// Forwarded and answered by the server; a 502 answered instead.
        case badGatewayAfterForwarding
        /// Forwarded and answered by the server; the answer held back until the client gives up.
        case stallAfterForwarding

        public var description: String { rawValue }

        /// Whether the server acted on the request before the client saw the fault.
        public var afterForwarding: Bool {
            switch self {
            case .dropAfterForwarding, .badGatewayAfterForwarding, .stallAfterForwarding: true
            default: false
            }
        }
    }

    private let server: FaultInjectionServer
    private let upstreamClient: HTTPClient
    private let tally: Tally

    /// `http://127.0.0.1:<port>/api`.
    public var apiURL: URL { server.apiURL }

    /// How often each fault was injected.
    public var faults: [Fault: Int] { tally.counts.withLock { $0 } }

    /// Requests the proxy received.
    public var requestCount: Int { server.requests.count }

    private init(server: FaultInjectionServer, upstreamClient: HTTPClient, tally: Tally) {
        self.server = server
        self.upstreamClient = upstreamClient
        self.tally = tally
    }

    /// Starts a proxy for `upstream` (an API URL such as `http://127.0.0.1:4200/api`).
    ///
    /// - Parameters:
    ///   - rates: the chance of each fault per request, after the first ones.
    ///   - firstFaults: a fault for each of these request indexes, so every kind happens.
    ///   - seed: seeds the generator that draws the faults.
    public static func start(
        upstream: URL, rates: [Fault: Double], firstFaults: [Int: Fault] = [:], seed: UInt64 = 7,
        retryAfterSeconds: String = "0.2"
    ) async throws -> FaultProxy {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let tally = Tally(seed: seed)
        let base = "\(upstream.scheme ?? "http")://\(upstream.host ?? "127.0.0.1"):\(upstream.port ?? 80)"
        let server = try await FaultInjectionServer.start { request, index in
            let fault = firstFaults[index] ?? tally.generator.withLock { generator in
                let draw = Double(generator.next() >> 11) / Double(1 << 53)
                var total = 0.0
                for fault in Fault.allCases {
                    total += rates[fault] ?? 0
                    if draw < total { return fault }
                }
                return nil
            }
            if let fault { tally.counts.withLock { $0[fault, default: 0] += 1 } }
            switch fault {
            case .tooManyRequests:
                return .json(429, #"{"detail":"Too many requests"}"#, headers: [("Retry-After", retryAfterSeconds)])
            case .unavailable:
                return .json(503, #"{"exception_message":"Service Unavailable"}"#)
            case .htmlBadGateway:
                return .respond(
                    status: 502, headers: [("Content-Type", "text/html")],
                    body: "<html><body><h1>502 Bad Gateway</h1></body></html>")
            case .dropBeforeForwarding:
                return .closeWithoutResponse
            case nil, .dropAfterForwarding, .badGatewayAfterForwarding, .stallAfterForwarding:
                break
            }
            let answer = await forward(request, to: base, with: client)
            switch fault {
            case .dropAfterForwarding: return .closeWithoutResponse
            case .badGatewayAfterForwarding: return .respond(status: 502, headers: [("Content-Type", "text/html")], body: "<html>502</html>")
            case .stallAfterForwarding: return .stall
            default: return answer
            }
        }
        return FaultProxy(server: server, upstreamClient: client, tally: tally)
    }

    /// Stops the proxy and its upstream client.
    public func stop() async {
        await server.stop()
        try? await upstreamClient.shutdown()
    }

    private static func forward(
        _ request: FaultInjectionServer.Request, to base: String, with client: HTTPClient
    ) async -> FaultInjectionServer.Action {
        var upstream = HTTPClientRequest(url: base + request.uri)
        upstream.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers where !Self.hopByHop.contains(name.lowercased()) {
            upstream.headers.add(name: name, value: value)
        }
        if !request.body.isEmpty {
            upstream.body = .bytes(ByteBuffer(bytes: request.body))
        }
        do {
            let response = try await client.execute(upstream, timeout: .seconds(60))
            let body = try await response.body.collect(upTo: 64 << 20)
            let headers = response.headers.filter { !Self.hopByHop.contains($0.name.lowercased()) }.map { ($0.name, $0.value) }
            return .respond(status: Int(response.status.code), headers: headers, body: String(buffer: body))
        } catch {
            return .json(502, #"{"detail":"upstream failed: \#(error)"}"#)
        }
    }

    private static let hopByHop: Set<String> = ["host", "connection", "content-length", "transfer-encoding", "keep-alive"]
}

/// What the proxy injected, and the generator that decides.
private final class Tally: Sendable {
    let counts = Mutex<[FaultProxy.Fault: Int]>([:])
    let generator: Mutex<SplitMix64>

    init(seed: UInt64) {
        generator = Mutex(SplitMix64(seed: seed))
    }
}

/// A small, seedable generator (SplitMix64), so a fault plan can be drawn again.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
