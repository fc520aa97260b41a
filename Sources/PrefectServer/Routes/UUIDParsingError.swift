/// Why pydantic refuses a string as a UUID, worded as pydantic-core's `uuid_parsing` error
/// ("Input should be a valid UUID, invalid character: found `y` at 0").
enum UUIDParsingError {
    private static let groupLengths = [8, 4, 4, 4, 12]

    /// The message for `text`, which is not a UUID.
    static func message(_ text: String) -> String {
        "Input should be a valid UUID, " + reason(text)
    }

    private static func reason(_ input: String) -> String {
        var body = Substring(input)
        var simple = true
        if body.hasPrefix("{"), body.hasSuffix("}"), body.count >= 2 {
            body = body.dropFirst().dropLast()
            simple = false
        } else if body.hasPrefix("urn:uuid:") {
            body = body.dropFirst("urn:uuid:".count)
            simple = false
        }
        var hyphens: [Int] = []
        for (index, character) in body.enumerated() {
            if character == "-" {
                hyphens.append(index)
            } else if !character.isHexDigit || !character.isASCII {
                return "invalid character: found `\(character)` at \(index)"
            }
        }
        if hyphens.isEmpty, simple, input.count != 36 {
            return "invalid length: found \(input.count)"
        }
        guard hyphens.count == 4 else { return "invalid group count: expected 5, found \(hyphens.count + 1)" }
        var start = 0
        for (group, end) in (hyphens + [body.count]).enumerated() {
            let length = end - start
            if length != groupLengths[group] {
                return "invalid group length in group \(group): expected \(groupLengths[group]), found \(length)"
            }
            start = end + 1
        }
        return "invalid length: found \(input.count)"
    }
}
