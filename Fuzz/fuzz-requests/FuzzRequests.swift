import Foundation
import FuzzDriver
import HTTPTypes
import PrefectClient
import PrefectServer
import Synchronization

/// libFuzzer target over the embedded server's request path: an input is
/// `METHOD PATH\nBODY` (`PATH` below `/api`, the body anything), sent through
/// ``InProcessTransport`` to a ``PrefectServerApp`` on a throw-away database. Any answer is
/// fine; a trap, a sanitizer report or a request that never ends is a finding. Every 2,000
/// inputs the database starts afresh, so it does not grow without bound.
///
/// Built by `scripts/fuzz-native.sh requests` (seeded with the requests of the recorded
/// differential scenarios); without `FUZZING` it replays the files it is given.
final class RequestFuzzing: Sendable {
    static let shared = RequestFuzzing()

    private struct Server {
        var app: PrefectServerApp
        var transport: InProcessTransport
        var directory: URL
        var served = 0
    }

    private let server = Mutex<Server?>(nil)
    static let requestsPerDatabase = 2_000

    private func current() throws -> (InProcessTransport, PrefectServerApp) {
        try server.withLock { server in
            if let running = server, running.served < Self.requestsPerDatabase {
                server?.served += 1
                return (running.transport, running.app)
            }
            if let old = server {
                old.app.close()
                try? FileManager.default.removeItem(at: old.directory)
            }
            // In memory when the machine has /dev/shm: a commit's fsync is then free.
            let base = FileManager.default.fileExists(atPath: "/dev/shm")
                ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory
            let directory = base.appendingPathComponent("fuzz-requests-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let app = try PrefectServerApp.open(databasePath: directory.appendingPathComponent("fuzz.db").path)
            let fresh = Server(app: app, transport: InProcessTransport(app: app), directory: directory)
            server = fresh
            return (fresh.transport, fresh.app)
        }
    }

    /// The request an input stands for.
    static func request(_ bytes: UnsafeBufferPointer<UInt8>) -> (HTTPRequest, Data?)? {
        let text = Data(bytes)
        guard let newline = text.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let line = String(decoding: text[..<newline], as: UTF8.self)
        let parts = line.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, let method = HTTPRequest.Method(String(parts[0])) else { return nil }
        let body = Data(text[text.index(after: newline)...])
        var request = HTTPRequest(method: method, scheme: "http", authority: "ephemeral-prefect", path: "/api" + parts[1])
        request.headerFields[.contentType] = "application/json"
        return (request, body.isEmpty ? nil : body)
    }

    func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let (request, body) = Self.request(bytes), let (transport, _) = try? current() else { return }
        let done = Completion()
        Task {
            _ = try? await transport.send(request, body: body)
            done.finish()
        }
        done.wait()
    }
}

/// libFuzzer calls the target synchronously on its own thread; the request runs on Swift's
/// cooperative pool and this thread waits for it (a harness-only bridge: the server itself
/// never blocks a thread on async work).
private final class Completion: @unchecked Sendable {
    // NSCondition is thread-safe; `finished` is only touched under it.
    private let condition = NSCondition()
    private var finished = false

    func finish() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    func wait() {
        condition.lock()
        while !finished { condition.wait() }
        condition.unlock()
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequests(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    RequestFuzzing.shared.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

@main
struct FuzzerMain {
    /// Under `FUZZING`, libFuzzer with its command line; otherwise a replay of the files given.
    static func main() throws {
        try FuzzDriver.main(fuzzRequests)
    }
}
