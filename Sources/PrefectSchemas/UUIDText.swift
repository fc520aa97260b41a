package import Foundation

/// UUIDs written the ways Prefect's server accepts them.
package enum UUIDText {
    /// A UUID as pydantic-core reads one from JSON (the `uuid` crate's `parse_str`): 32 hex
    /// digits, or hyphenated (36), braced (`{…}`) or as a URN (`urn:uuid:…`); nil otherwise.
    package static func parse(_ text: String) -> UUID? {
        var body = Substring(text)
        if body.count == 38, body.hasPrefix("{"), body.hasSuffix("}") {
            body = body.dropFirst().dropLast()
        } else if body.count == 45, body.hasPrefix("urn:uuid:") {
            body = body.dropFirst(9)
        }
        if body.count == 36 { return UUID(uuidString: String(body)) }
        guard body.count == 32 else { return nil }
        return hyphenated(body)
    }

    /// A UUID as Starlette's `{name:uuid}` path convertor matches one (32 hex digits, each of
    /// the four hyphens optional); nil otherwise.
    package static func parsePathParameter(_ text: String) -> UUID? {
        var digits = Substring("")
        var index = text.startIndex
        for (group, length) in [8, 4, 4, 4, 12].enumerated() {
            guard let end = text.index(index, offsetBy: length, limitedBy: text.endIndex) else { return nil }
            digits += text[index..<end]
            index = end
            if group < 4, index < text.endIndex, text[index] == "-" { index = text.index(after: index) }
        }
        guard index == text.endIndex else { return nil }
        return hyphenated(digits)
    }

    /// 32 hex digits as a UUID.
    private static func hyphenated(_ digits: Substring) -> UUID? {
        guard digits.count == 32, digits.allSatisfy(\.isHexDigit), digits.allSatisfy(\.isASCII) else { return nil }
        let text = String(digits)
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(text.dropFirst(range.lowerBound).prefix(range.count))
        }
        return UUID(uuidString: groups.joined(separator: "-"))
    }
}
