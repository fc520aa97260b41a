/// The UI's base paths, as Prefect 3.9.1 resolves them from `PREFECT_UI_SERVE_BASE`
/// (`_normalize_ui_base_url`, `_resolve_ui_base_urls`, `_path_targets_ui`, `_relative_ui_path`,
/// `_build_ui_path` in `prefect/server/api/server.py`).
struct UIPaths: Sendable, Equatable {
    /// Where the v1 UI is served: the serve base, or its parent when the base ends in `/v2`.
    let v1Base: String
    /// Where the v2 UI is served: `<v1Base>/v2`, or the serve base when it ends in `/v2`.
    let v2Base: String

    init(serveBase: String) {
        let base = Self.normalize(serveBase)
        if base == "/v2" {
            (v1Base, v2Base) = ("/", base)
        } else if base.hasSuffix("/v2") {
            let parent = String(base.dropLast(3))
            (v1Base, v2Base) = (parent.isEmpty ? "/" : parent, base)
        } else {
            (v1Base, v2Base) = (base, Self.join(base, "v2"))
        }
    }

    /// `/ui-settings` under the v1 base.
    var settingsPath: String { Self.join(v1Base, "ui-settings") }

    /// A base as Prefect writes it: a leading `/`, no trailing one (but `/` itself).
    static func normalize(_ base: String) -> String {
        guard !base.isEmpty else { return "/" }
        var base = base.hasPrefix("/") ? base : "/" + base
        if base != "/" {
            while base.hasSuffix("/") { base.removeLast() }
        }
        return base.isEmpty ? "/" : base
    }

    /// `suffix` under `base`.
    static func join(_ base: String, _ suffix: String) -> String {
        let base = normalize(base)
        let suffix = "/" + suffix.drop { $0 == "/" }
        return base == "/" ? suffix : base + suffix
    }

    /// Whether `path` is under `base`.
    static func targets(_ path: String, base: String) -> Bool {
        base == "/" ? path.hasPrefix("/") : path == base || path.hasPrefix(base + "/")
    }

    /// `path` relative to `base`, `/` at least.
    static func relative(_ path: String, base: String) -> String {
        if base == "/" { return path.isEmpty ? "/" : path }
        let relative = path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
        return relative.isEmpty ? "/" : relative
    }

    /// `relative` under `base`; the base's own root keeps its trailing `/`.
    static func build(_ base: String, _ relative: String) -> String {
        let base = normalize(base)
        let relative = relative.hasPrefix("/") ? relative : "/" + relative
        if base == "/" { return relative }
        return relative == "/" ? base + "/" : base + relative
    }
}
