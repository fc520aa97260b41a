import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import PrefectSchemas
import ZIPFoundation

/// Prefect 3.9.1's wheel on PyPI: where the server takes Prefect's UI bundles from when none is
/// found on the machine. The wheel is checked against its published SHA-256, its two bundles
/// (`prefect/server/ui/` and `prefect/server/ui-v2/`) are kept under
/// `$PREFECT_HOME/ui/prefect-3.9.1/`, and the wheel itself is not kept.
public enum PrefectUIWheel {
    /// PyPI's address of `prefect-3.9.1-py3-none-any.whl`.
    public static let pypiURL =
        "https://files.pythonhosted.org/packages/8f/da/3c44e2775a24ed354787f98cbba3a53d7697ca94094f2413a331e1ca1aa2/prefect-3.9.1-py3-none-any.whl"
    /// The wheel's SHA-256, as PyPI publishes it.
    static let sha256 = "0c662e26e971b617993eed1f3d02fb8bc3c2dd47bee521b495f6e4dfeb38ae74"
    /// The wheel's size in bytes.
    static let size = 6_987_710
    /// Where each bundle is in the wheel.
    static let bundlePrefixes: [(UIVersion, String)] = [(.v1, "prefect/server/ui/"), (.v2, "prefect/server/ui-v2/")]
    private static let completeMarker = ".complete"

    /// `$PREFECT_HOME/ui/prefect-3.9.1`.
    static func cacheDirectory(home: String) -> URL {
        URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent("ui")
            .appendingPathComponent("prefect-\(UIBundleLocator.prefectVersion)")
    }

    /// The bundles a finished earlier download left, if any.
    static func cached(home: String) -> UIBundleDirectories? {
        let directory = cacheDirectory(home: home)
        let marker = directory.appendingPathComponent(completeMarker)
        guard let recorded = try? String(contentsOf: marker, encoding: .utf8), recorded == sha256 else { return nil }
        let found = UIBundleDirectories(
            v1: UIBundleLocator.bundle(directory.appendingPathComponent("v1")),
            v2: UIBundleLocator.bundle(directory.appendingPathComponent("v2")),
            origin: "the prefect \(UIBundleLocator.prefectVersion) wheel, kept in \(directory.path)")
        return found.v1 != nil && found.v2 != nil ? found : nil
    }

    /// Downloads the wheel from `url`, checks it, and keeps its bundles under `home`.
    ///
    /// - Parameter progress: called with a line of text as the download goes (every 10 %).
    /// - Throws: ``PrefectUIBundleError`` for an answer that is not 200, a wheel whose hash is
    ///   not the published one, an archive without the bundles, or a cache that cannot be written.
    static func download(
        from url: String, home: String, progress: @Sendable (String) -> Void
    ) async throws -> UIBundleDirectories {
        let cache = cacheDirectory(home: home)
        let parent = cache.deletingLastPathComponent()
        let partial = parent.appendingPathComponent(".partial-\(ProcessInfo.processInfo.processIdentifier)-\(UUID.version4().uuidString)")
        let wheel = partial.appendingPathComponent("prefect.whl")
        defer { try? FileManager.default.removeItem(at: partial) }
        do {
            try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
        } catch {
            throw PrefectUIBundleError.cannotWrite(path: parent.path, reason: "\(error.localizedDescription)")
        }
        let digest = try await fetch(url, to: wheel, progress: progress)
        guard digest == sha256 else { throw PrefectUIBundleError.hashMismatch(url: url, expected: sha256, received: digest) }
        try extractBundles(from: wheel, into: partial)
        try? FileManager.default.removeItem(at: wheel)
        do {
            try Data(sha256.utf8).write(to: partial.appendingPathComponent(completeMarker))
            if FileManager.default.fileExists(atPath: cache.path) {
                if let kept = cached(home: home) { return kept }
                try FileManager.default.removeItem(at: cache)
            }
            try FileManager.default.moveItem(at: partial, to: cache)
        } catch {
            if let kept = cached(home: home) { return kept }
            throw PrefectUIBundleError.cannotWrite(path: cache.path, reason: "\(error.localizedDescription)")
        }
        guard let kept = cached(home: home) else {
            throw PrefectUIBundleError.notABundle(url: url)
        }
        return kept
    }

    /// Streams `url` into `file`; returns the SHA-256 of what arrived, in hex.
    private static func fetch(_ url: String, to file: URL, progress: @Sendable (String) -> Void) async throws -> String {
        guard FileManager.default.createFile(atPath: file.path, contents: nil), let handle = try? FileHandle(forWritingTo: file) else {
            throw PrefectUIBundleError.cannotWrite(path: file.path, reason: "the file cannot be created")
        }
        defer { try? handle.close() }
        let host = URL(string: url)?.host ?? url
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(60))
        } catch {
            throw PrefectUIBundleError.downloadFailed(url: url, reason: "\(error)")
        }
        guard response.status == .ok else {
            throw PrefectUIBundleError.downloadFailed(url: url, reason: "the server answered \(response.status.code)")
        }
        let announced = response.headers.first(name: "content-length").flatMap(Int.init) ?? size
        let megabytes = String(format: "%.1f", Double(announced) / 1_000_000)
        var hasher = SHA256()
        var received = 0
        var reportedTenths = -1
        do {
            for try await chunk in response.body {
                received += chunk.readableBytes
                // Ten times the published size is no wheel of ours; stop reading it.
                guard received <= size * 10 else { throw PrefectUIBundleError.hashMismatch(url: url, expected: sha256, received: "(over \(size * 10) bytes)") }
                let bytes = Data(chunk.readableBytesView)
                hasher.update(data: bytes)
                try handle.write(contentsOf: bytes)
                let tenths = announced > 0 ? min(10, received * 10 / announced) : 0
                if tenths != reportedTenths {
                    reportedTenths = tenths
                    progress("Downloading Prefect \(UIBundleLocator.prefectVersion)'s UI (\(megabytes) MB) from \(host): \(tenths * 10) %")
                }
            }
        } catch let error as PrefectUIBundleError {
            throw error
        } catch {
            throw PrefectUIBundleError.downloadFailed(url: url, reason: "\(error)")
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Writes the wheel's `prefect/server/ui/` to `v1/` and `prefect/server/ui-v2/` to `v2/`
    /// under `directory`, each file checked against its CRC-32.
    static func extractBundles(from wheel: URL, into directory: URL) throws {
        let archive: Archive
        do {
            archive = try Archive(url: wheel, accessMode: .read)
        } catch {
            throw PrefectUIBundleError.notABundle(url: wheel.path)
        }
        for entry in archive where entry.type == .file {
            guard let (version, prefix) = bundlePrefixes.first(where: { entry.path.hasPrefix($0.1) }) else { continue }
            let relative = entry.path.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false)
            guard !relative.isEmpty, !relative.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else { continue }
            let destination = relative.reduce(directory.appendingPathComponent(version.rawValue)) {
                $0.appendingPathComponent(String($1))
            }
            do {
                _ = try archive.extract(entry, to: destination)
            } catch {
                throw PrefectUIBundleError.cannotWrite(path: destination.path, reason: "\(error)")
            }
        }
    }
}

/// Why Prefect's UI bundles could not be had; the server serves the API without the UI then.
public enum PrefectUIBundleError: Error, Sendable, CustomStringConvertible {
    case downloadFailed(url: String, reason: String)
    case hashMismatch(url: String, expected: String, received: String)
    case notABundle(url: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .downloadFailed(let url, let reason): "downloading \(url) failed: \(reason)"
        case .hashMismatch(let url, let expected, let received):
            "\(url) is not Prefect \(UIBundleLocator.prefectVersion)'s wheel: its SHA-256 is \(received), not \(expected)"
        case .notABundle(let url): "\(url) holds no UI bundle"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}
