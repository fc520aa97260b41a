import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension PrefectTransportError {
    /// Sorts an AsyncHTTPClient, SwiftNIO or ``NIOHTTP1Transport`` error into the kinds
    /// Prefect's retry logic knows.
    static func classify(_ error: any Error, method: String, url: String) -> PrefectTransportError {
        PrefectTransportError(kind: kind(of: error), method: method, url: url, underlying: String(describing: error))
    }

    static func kind(of error: any Error) -> Kind {
        switch error {
        case let error as HTTP1TransportError:
            switch error {
            case .readTimeout: return .readTimeout
            case .shutDown: return .localProtocol
            case .responseTooLarge, .tooManyRedirects: return .other
            }
        case let error as WriteFailure:
            let underlying = kind(of: error.underlying)
            return underlying == .other || underlying == .read ? .write : underlying
        case let error as HTTPClientError:
            switch error {
            case .connectTimeout, .tlsHandshakeTimeout, .httpProxyHandshakeTimeout, .socksHandshakeTimeout:
                return .connectTimeout
            case .readTimeout, .deadlineExceeded:
                return .readTimeout
            case .writeTimeout:
                return .writeTimeout
            case .getConnectionFromPoolTimeout:
                return .poolTimeout
            case .remoteConnectionClosed:
                return .read
            case .invalidURL, .emptyHost, .emptyScheme, .alreadyShutdown:
                return .localProtocol
            case .bodyLengthMismatch, .identityCodingIncorrectlyPresent, .contentLengthMissing:
                return .remoteProtocol
            default:
                return .other
            }
        case let error as ChannelError:
            switch error {
            case .connectTimeout: return .connectTimeout
            case .ioOnClosedChannel, .eof, .alreadyClosed, .outputClosed, .inputClosed: return .read
            default: return .other
            }
        case let error as IOError:
            switch error.errnoCode {
            case ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL: return .connect
            case ECONNRESET, ECONNABORTED: return .read
            case EPIPE: return .write
            case ETIMEDOUT: return .connectTimeout
            default: return .other
            }
        case is HTTPParserError:
            return .remoteProtocol
        case is NIOSSLError, is BoringSSLError:
            return .tls
        case is NIOConnectionError, is SocketAddressError:
            return .connect
        default:
            return .other
        }
    }
}
