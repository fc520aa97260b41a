/// The Prefect client's version in a `User-Agent` header (`prefect/3.9.1 (API 0.8.4)`), as
/// Prefect's `get_prefect_client_version` finds it with the pattern
/// `prefect/(\d+\.\d+\.\d+(?:[a-z.+0-9]+)?) \(API \S+\)` matched against the whole header.
///
/// Read by hand, in one pass over the header's bytes: every request is checked, and a Swift
/// `Regex` literal is parsed again each time it is evaluated (12 % of an in-process create).
enum PrefectUserAgent {
    /// The version, or nil when the header is not a Prefect client's.
    static func clientVersion(_ userAgent: String) -> String? {
        var utf8 = userAgent.utf8[...]
        guard utf8.starts(with: "prefect/".utf8) else { return nil }
        utf8 = utf8.dropFirst("prefect/".utf8.count)
        guard let space = utf8.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        let version = utf8[..<space]
        guard isVersion(version), isAPIClause(utf8[utf8.index(after: space)...]) else { return nil }
        return String(Substring(version))
    }

    /// `\d+\.\d+\.\d+` followed by any of `[a-z.+0-9]`: three dotted numbers first, then only
    /// characters of that set (which a greedy `\d+` or `[a-z.+0-9]+` both take).
    private static func isVersion(_ text: Substring.UTF8View) -> Bool {
        var rest = text
        for part in 0..<3 {
            let digits = rest.prefix(while: isDigit)
            guard !digits.isEmpty else { return false }
            rest = rest.dropFirst(digits.count)
            if part < 2 {
                guard rest.first == UInt8(ascii: ".") else { return false }
                rest = rest.dropFirst()
            }
        }
        return rest.allSatisfy { isDigit($0) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "+") }
    }

    /// `\(API \S+\)` to the end: at least one non-space character between `(API ` and the
    /// closing parenthesis, which ends the header.
    private static func isAPIClause(_ text: Substring.UTF8View) -> Bool {
        guard text.starts(with: "(API ".utf8), text.last == UInt8(ascii: ")") else { return false }
        let inner = Substring(text.dropFirst("(API ".utf8.count).dropLast())
        return !inner.isEmpty && !inner.contains(where: \.isWhitespace)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
