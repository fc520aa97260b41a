import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PrefectTestSupport
import Testing
import ZIPFoundation

@testable import PrefectServer

/// Prefect's UI on `prefect-swift server start`: base paths, bundles found and downloaded, and
/// the answers `create_ui_app` gives (redirects, `index.html` fallback, `/ui-settings`), here on
/// small bundles of the test's own. `scripts/check-ui-serving.py` compares the real bundles with
/// the stock server's answers.
@Suite("Prefect's UI on server start")
struct UIServingTests {
    @Test("serve bases resolve as Prefect's _resolve_ui_base_urls does")
    func basePaths() {
        let cases: [(String, String, String, String)] = [
            ("/", "/", "/v2", "/ui-settings"), ("", "/", "/v2", "/ui-settings"),
            ("/prefect/", "/prefect", "/prefect/v2", "/prefect/ui-settings"), ("prefect", "/prefect", "/prefect/v2", "/prefect/ui-settings"),
            ("/v2", "/", "/v2", "/ui-settings"), ("/prefect/v2/", "/prefect", "/prefect/v2", "/prefect/ui-settings"),
        ]
        for (serveBase, v1, v2, settings) in cases {
            let paths = UIPaths(serveBase: serveBase)
            #expect(paths.v1Base == v1 && paths.v2Base == v2 && paths.settingsPath == settings, "\(serveBase)")
        }
        #expect(UIPaths.build("/prefect/v2", "/") == "/prefect/v2/")
        #expect(UIPaths.build("/", "/runs") == "/runs")
        #expect(UIPaths.relative("/prefect", base: "/prefect") == "/")
        #expect(!UIPaths.targets("/prefectx", base: "/prefect"))
    }

    @Test("settings: Prefect's names and their older PREFECT_UI_* aliases; a bad flag names the setting")
    func options() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("ui-options-\(UUID().uuidString)").path
        let loaded = try PrefectUIOptions.load(environment: [
            "PREFECT_HOME": home, "PREFECT_UI_ENABLED": "false", "PREFECT_SERVER_UI_SERVE_BASE": "/prefect",
            "PREFECT_UI_API_URL": "http://ui.example/api", "PREFECT_SERVER_UI_V2_ENABLED": "0",
        ])
        #expect(!loaded.enabled && !loaded.v2Enabled && loaded.serveBase == "/prefect" && loaded.apiURL == "http://ui.example/api")
        #expect(loaded.wheelURL == PrefectUIWheel.pypiURL && loaded.home == home)
        #expect(throws: (any Error).self) { try PrefectUIOptions.load(environment: ["PREFECT_HOME": home, "PREFECT_SERVER_UI_ENABLED": "maybe"]) }
    }

    @Test("a wheel's two bundles are extracted; other files and paths leaving the folder are not")
    func extractsBundles() throws {
        let folder = try ScratchFolder("ui-wheel")
        defer { folder.remove() }
        let wheel = folder.directory.appendingPathComponent("prefect.whl")
        let archive = try Archive(url: wheel, accessMode: .create)
        let entries = [
            "prefect/server/ui/index.html": "v1 /PREFECT_UI_SERVE_BASE_REPLACE_PLACEHOLDER/",
            "prefect/server/ui/assets/app.js": "console.log(1)",
            "prefect/server/ui-v2/index.html": "v2",
            "prefect/server/ui-v2/../../../escape.txt": "no",
            "prefect/server/api/server.py": "not a bundle",
        ]
        for (path, text) in entries.sorted(by: { $0.key < $1.key }) {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let target = folder.directory.appendingPathComponent("out")
        try PrefectUIWheel.extractBundles(from: wheel, into: target)
        #expect(try String(contentsOf: target.appendingPathComponent("v1/index.html"), encoding: .utf8) == "v1 /PREFECT_UI_SERVE_BASE_REPLACE_PLACEHOLDER/")
        #expect(try String(contentsOf: target.appendingPathComponent("v1/assets/app.js"), encoding: .utf8) == "console.log(1)")
        #expect(try String(contentsOf: target.appendingPathComponent("v2/index.html"), encoding: .utf8) == "v2")
        #expect(!FileManager.default.fileExists(atPath: folder.directory.appendingPathComponent("escape.txt").path))
        #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("v1/api").path))
    }

    @Test("a download that is not Prefect's wheel is refused and nothing is kept")
    func refusesWrongWheel() async throws {
        let folder = try ScratchFolder("ui-download")
        defer { folder.remove() }
        try await FaultInjectionServer.with(handler: { request, _ in
            request.path.hasSuffix("missing.whl") ? .json(404, #"{"detail":"Not Found"}"#) : .respond(status: 200, body: "PK not the wheel")
        }) { server in
            let base = "http://127.0.0.1:\(server.port)"
            let wrong = await #expect(throws: PrefectUIBundleError.self) {
                try await PrefectUIWheel.download(from: base + "/prefect.whl", home: folder.directory.path) { _ in }
            }
            #expect(wrong.map { "\($0)" }?.contains("is not Prefect 3.9.1's wheel") == true)
            let missing = await #expect(throws: PrefectUIBundleError.self) {
                try await PrefectUIWheel.download(from: base + "/missing.whl", home: folder.directory.path) { _ in }
            }
            #expect(missing.map { "\($0)" }?.contains("answered 404") == true)
        }
        #expect(PrefectUIWheel.cached(home: folder.directory.path) == nil)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.directory.appendingPathComponent("ui").path)
        #expect(left.isEmpty, "no partial download is left: \(left)")
    }

    @Test("server start serves the bundles: redirects, fallback, placeholder, ETag, ui-settings, no escape from the folder")
    func servesBundles() async throws {
        let folder = try ScratchFolder("ui-serve")
        defer { folder.remove() }
        let bundles = folder.directory.appendingPathComponent("bundles")
        try Self.write("<html>v1 <script src=\"/PREFECT_UI_SERVE_BASE_REPLACE_PLACEHOLDER/assets/a.js\">", to: bundles.appendingPathComponent("v1/index.html"))
        try Self.write("<html>v2 /PREFECT_UI_SERVE_BASE_REPLACE_PLACEHOLDER/", to: bundles.appendingPathComponent("v2/index.html"))
        try Self.write("import '/PREFECT_UI_SERVE_BASE_REPLACE_PLACEHOLDER/x.js'", to: bundles.appendingPathComponent("v2/assets/app.js"))
        try Self.write("secret", to: folder.directory.appendingPathComponent("outside.txt"))
        let server = try await ServerProcess(database: folder.database, environment: [
            "PREFECT_HOME": folder.directory.path, "PREFECT_SERVER_UI_ENABLED": "true",
            "PREFECT_UI_STATIC_DIRECTORY": bundles.path, "PREFECT_UI_SERVE_BASE": "/prefect",
        ])
        defer { server.kill(SIGTERM) }
        let root = "http://127.0.0.1:\(server.apiURL.port ?? 0)"
        #expect(server.startupOutput.contains("Check out the dashboard at \(root)/prefect/v2/"))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        defer { _ = client.shutdown() }
        func get(_ path: String, _ headers: [(String, String)] = []) async throws -> (status: Int, headers: HTTPHeaders, body: String) {
            var request = HTTPClientRequest(url: root + path)
            request.headers.add(contentsOf: headers)
            let response = try await client.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), response.headers, String(buffer: body))
        }
        let html = [("Accept", "text/html,application/xhtml+xml")]

        let opened = try await get("/prefect", html)
        #expect(opened.status == 307 && opened.headers.first(name: "location") == "/prefect/v2/")
        let chosenV1 = try await get("/prefect/?tab=1", html + [("Cookie", "theme=dark; prefect_ui_version=v1")])
        #expect(chosenV1.status == 200 && chosenV1.body.hasPrefix("<html>v1 <script src=\"/prefect/assets/a.js\">"))
        let v2 = try await get("/prefect/v2/", html)
        #expect(v2.status == 200 && v2.body == "<html>v2 /prefect/v2/" && v2.headers.first(name: "content-type") == "text/html; charset=utf-8")
        let route = try await get("/prefect/v2/runs/flow-run/1234", html)
        #expect(route.status == 200 && route.body == v2.body, "a route of the UI's own is its index.html")
        let missingAsset = try await get("/prefect/v2/runs/flow-run/1234")
        #expect(missingAsset.status == 404 && missingAsset.body == #"{"detail":"Not Found"}"#)
        let script = try await get("/prefect/v2/assets/app.js")
        #expect(script.body == "import '/prefect/v2/x.js'" && script.headers.first(name: "content-type") == "text/javascript; charset=utf-8")
        let etag = try #require(script.headers.first(name: "etag"))
        #expect(try await get("/prefect/v2/assets/app.js", [("If-None-Match", etag)]).status == 304)
        for escape in ["/prefect/v2/../../outside.txt", "/prefect/v2/%2e%2e/%2e%2e/outside.txt", "/prefect/v2/assets%2f..%2f..%2f..%2foutside.txt"] {
            let answer = try await get(escape)
            #expect(answer.status == 404 && !answer.body.contains("secret"), "\(escape): \(answer.status) \(answer.body)")
        }
        let settings = try await get("/prefect/ui-settings")
        #expect(settings.body == #"{"api_url":"\#(root)/api","csrf_enabled":false,"auth":null,"flags":[],"default_ui":"v2","available_uis":["v1","v2"],"v1_base_url":"/prefect","v2_base_url":"/prefect/v2"}"#)
        let api = try await get("/api/health")
        #expect(api.body == "true", "the API stays the API's")
        let outside = try await get("/elsewhere", html)
        #expect(outside.status == 404)
    }

    @Test("--no-ui and PREFECT_UI_ENABLED=false serve no UI, and say so")
    func disabled() async throws {
        let folder = try ScratchFolder("ui-off")
        defer { folder.remove() }
        let server = try await ServerProcess(database: folder.database, arguments: ["--no-ui"], environment: [
            "PREFECT_HOME": folder.directory.path, "PREFECT_SERVER_UI_ENABLED": "true",
        ])
        defer { server.kill(SIGTERM) }
        #expect(server.startupOutput.contains("The dashboard is disabled. Set `PREFECT_UI_ENABLED=1` to re-enable it."))
    }

    static func write(_ text: String, to file: URL) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }
}
