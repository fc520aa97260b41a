import Foundation

/// The two UI bundles Prefect 3.9.1 ships, by the name its settings and cookies use.
enum UIVersion: String, Sendable, CaseIterable {
    case v1, v2
}

/// Directories holding Prefect 3.9.1's UI bundles, and where they were found.
struct UIBundleDirectories: Sendable, Equatable {
    var v1: URL?
    var v2: URL?
    /// Where they come from, for the server's banner.
    var origin: String

    func directory(_ version: UIVersion) -> URL? { version == .v1 ? v1 : v2 }
    var isEmpty: Bool { v1 == nil && v2 == nil }
}

/// Finds Prefect 3.9.1's UI bundles on this machine without running Python: in
/// `PREFECT_UI_STATIC_DIRECTORY`, in the download cache under `PREFECT_HOME`, or in a `prefect`
/// 3.9.1 install (the one whose `prefect` command is on `PATH`, then the usual site-packages).
///
/// A bundle is a directory with an `index.html`. Prefect keeps v1 in `prefect/server/ui` and v2
/// in `prefect/server/ui-v2` (`prefect/__init__.py`).
enum UIBundleLocator {
    /// Prefect's version whose bundles the server serves: its UI calls the API of that version.
    static let prefectVersion = "3.9.1"

    /// A static directory as Prefect reads `PREFECT_UI_STATIC_DIRECTORY`: `v1/` and `v2/` under
    /// it, or a single (v1) bundle at its root.
    static func staticDirectory(_ path: String) -> UIBundleDirectories? {
        let root = URL(fileURLWithPath: path, isDirectory: true)
        var found = UIBundleDirectories(
            v1: bundle(root.appendingPathComponent("v1")), v2: bundle(root.appendingPathComponent("v2")),
            origin: "PREFECT_UI_STATIC_DIRECTORY (\(path))")
        if found.isEmpty { found.v1 = bundle(root) }
        return found.isEmpty ? nil : found
    }

    /// The bundles of the `prefect` package in a site-packages directory, when it is 3.9.1.
    static func sitePackages(_ directory: URL) -> UIBundleDirectories? {
        let distInfo = directory.appendingPathComponent("prefect-\(prefectVersion).dist-info")
        guard FileManager.default.fileExists(atPath: distInfo.path) else { return nil }
        let server = directory.appendingPathComponent("prefect/server")
        let found = UIBundleDirectories(
            v1: bundle(server.appendingPathComponent("ui")), v2: bundle(server.appendingPathComponent("ui-v2")),
            origin: "the prefect \(prefectVersion) package in \(directory.path)")
        return found.isEmpty ? nil : found
    }

    /// The bundles of a local `prefect` 3.9.1 install, if there is one.
    static func localInstall(environment: [String: String]) -> UIBundleDirectories? {
        for directory in candidateSitePackages(environment: environment) {
            if let found = sitePackages(directory) { return found }
        }
        return nil
    }

    /// Site-packages directories to look in: those of the interpreter the `prefect` commands on
    /// `PATH` run with, then the system's and the user's.
    static func candidateSitePackages(environment: [String: String]) -> [URL] {
        var prefixes: [URL] = []
        for directory in (environment["PATH"] ?? "").split(separator: ":") where !directory.isEmpty {
            let command = URL(fileURLWithPath: String(directory)).appendingPathComponent("prefect")
            guard FileManager.default.isExecutableFile(atPath: command.path) else { continue }
            prefixes.append(command.deletingLastPathComponent().deletingLastPathComponent())
            if let interpreter = shebangInterpreter(of: command) {
                let resolved = interpreter.resolvingSymlinksInPath()
                prefixes.append(interpreter.deletingLastPathComponent().deletingLastPathComponent())
                prefixes.append(resolved.deletingLastPathComponent().deletingLastPathComponent())
            }
        }
        prefixes += ["/usr/local", "/usr"].map { URL(fileURLWithPath: $0) }
        if let home = environment["HOME"] { prefixes.append(URL(fileURLWithPath: home).appendingPathComponent(".local")) }
        var seen = Set<String>()
        var directories: [URL] = []
        for prefix in prefixes {
            for directory in pythonLibraries(under: prefix) where seen.insert(directory.path).inserted {
                directories.append(directory)
            }
        }
        return directories
    }

    /// `lib/python3.*/{site,dist}-packages` and `lib/python3/dist-packages` under `prefix`.
    private static func pythonLibraries(under prefix: URL) -> [URL] {
        let lib = prefix.appendingPathComponent("lib")
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? [])
            .filter { $0.hasPrefix("python3") }.sorted()
        return versions.flatMap { version in
            ["site-packages", "dist-packages"].map { lib.appendingPathComponent(version).appendingPathComponent($0) }
        }.filter { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// The interpreter a script's `#!` line names (`#!/usr/bin/env python3` names none).
    private static func shebangInterpreter(of script: URL) -> URL? {
        guard let handle = try? FileHandle(forReadingFrom: script) else { return nil }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 512), let text = String(data: head, encoding: .utf8),
            text.hasPrefix("#!"), let line = text.dropFirst(2).split(separator: "\n").first
        else { return nil }
        let path = line.split(separator: " ").first.map(String.init) ?? ""
        guard path.hasPrefix("/"), !path.hasSuffix("/env") else { return nil }
        return URL(fileURLWithPath: path)
    }

    /// `directory` when it holds a bundle (an `index.html`).
    static func bundle(_ directory: URL) -> URL? {
        var isDirectory: ObjCBool = false
        let index = directory.appendingPathComponent("index.html")
        guard FileManager.default.fileExists(atPath: index.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return nil
        }
        return directory
    }
}
