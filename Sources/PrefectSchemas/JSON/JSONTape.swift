/// A parsed JSON document as a flat list of tokens over the original bytes.
///
/// Containers record where their subtree ends, so a reader can skip a value in one step;
/// strings and numbers are byte ranges, turned into Swift values only when asked for.
struct JSONTape {
    enum Kind: UInt8 {
        case null, `true`, `false`, number, string, escapedString, array, object
    }

    struct Token {
        var kind: Kind
        /// Strings and numbers: first byte. Containers: number of elements (members for objects).
        var start: Int32
        /// Strings and numbers: end byte (exclusive).
        var end: Int32
        /// Index of the token after this value and everything inside it.
        var next: Int32
    }

    var tokens: [Token]

    /// The deepest nesting of arrays and objects accepted, as Foundation's `JSONSerialization`.
    ///
    /// Decoding a value recurses once per level; without a bound, a document such as
    /// `[[[…]]]` 100,000 levels deep would overflow the stack of whichever thread decodes it.
    static let maximumDepth = 512

    /// Parses `bytes` as one JSON value (RFC 8259), rejecting anything else, and any document
    /// of 2 GiB or more (the tokens count bytes in 32 bits).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> JSONTape {
        guard bytes.count < Int(Int32.max) else {
            throw JSONSyntaxError(offset: Int(Int32.max), reason: "a document of 2 GiB or more")
        }
        var parser = JSONTapeParser(bytes: bytes)
        return try parser.parseDocument()
    }
}

/// Malformed JSON, with the byte offset where reading stopped.
public struct JSONSyntaxError: Error, Sendable, CustomStringConvertible, Hashable {
    /// Offset of the offending byte from the start of the document.
    public var offset: Int
    /// What was expected there.
    public var reason: String

    public var description: String { "Malformed JSON at byte \(offset): \(reason)" }
}

private struct JSONTapeParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var tokens: [JSONTape.Token] = []
    /// Open containers: token index.
    var stack: [Int] = []

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        tokens.reserveCapacity(max(16, bytes.count / 8))
    }

    private func fail(_ reason: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: position, reason: reason)
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func parseDocument() throws(JSONSyntaxError) -> JSONTape {
        skipWhitespace()
        try parseValue()
        skipWhitespace()
        guard position == bytes.count else { throw fail("unexpected data after the JSON value") }
        return JSONTape(tokens: tokens)
    }

    /// Parses one value iteratively; containers are closed through `stack`.
    private mutating func parseValue() throws(JSONSyntaxError) {
        // Each open container expects: a value (arrays), or a key then a value (objects).
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw fail("unexpected end of input") }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "{"):
                try checkDepth()
                position += 1
                tokens.append(.init(kind: .object, start: 0, end: 0, next: 0))
                stack.append(tokens.count - 1)
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    if try closeContainer() { return }
                    continue
                }
                try parseKey()
                continue
            case UInt8(ascii: "["):
                try checkDepth()
                position += 1
                tokens.append(.init(kind: .array, start: 0, end: 0, next: 0))
                stack.append(tokens.count - 1)
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    if try closeContainer() { return }
                }
                continue
            case UInt8(ascii: "\""):
                try parseString()
            case UInt8(ascii: "t"):
                try literal("true", .true)
            case UInt8(ascii: "f"):
                try literal("false", .false)
            case UInt8(ascii: "n"):
                try literal("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try parseNumber()
            default:
                throw fail("expected a JSON value")
            }
            if try afterValue() { return }
        }
    }

    private func checkDepth() throws(JSONSyntaxError) {
        guard stack.count < JSONTape.maximumDepth else {
            throw fail("arrays and objects nested deeper than \(JSONTape.maximumDepth) levels")
        }
    }

    /// After a value inside containers: `,` continues, `]`/`}` closes. Returns true when the
    /// top-level value is complete.
    private mutating func afterValue() throws(JSONSyntaxError) -> Bool {
        while true {
            guard let open = stack.last else { return true }
            tokens[open].start += 1
            skipWhitespace()
            guard position < bytes.count else { throw fail("unexpected end of input") }
            let byte = bytes[position]
            let isObject = tokens[open].kind == .object
            if byte == UInt8(ascii: ",") {
                position += 1
                if isObject {
                    skipWhitespace()
                    try parseKey()
                }
                return false
            }
            if (isObject && byte == UInt8(ascii: "}")) || (!isObject && byte == UInt8(ascii: "]")) {
                position += 1
                stack.removeLast()
                tokens[open].next = Int32(tokens.count)
                continue
            }
            throw fail(isObject ? "expected ',' or '}'" : "expected ',' or ']'")
        }
    }

    /// Closes an empty container; returns true when it was the top-level value.
    private mutating func closeContainer() throws(JSONSyntaxError) -> Bool {
        guard let open = stack.popLast() else { return true }
        tokens[open].next = Int32(tokens.count)
        if stack.isEmpty { return true }
        // The empty container is itself a value of its parent.
        return try afterValue()
    }

    private mutating func parseKey() throws(JSONSyntaxError) {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
            throw fail("expected a string key")
        }
        try parseString()
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw fail("expected ':'") }
        position += 1
    }

    private mutating func parseString() throws(JSONSyntaxError) {
        position += 1
        let start = position
        skipPlainWords()
        var escaped = false
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let index = Int32(tokens.count)
                tokens.append(.init(kind: escaped ? .escapedString : .string, start: Int32(start), end: Int32(position), next: index + 1))
                position += 1
                return
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                position += 1
                guard position < bytes.count else { break }
                switch bytes[position] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 1
                case UInt8(ascii: "u"):
                    guard position + 4 < bytes.count else { throw fail("truncated \\u escape") }
                    for offset in 1...4 where hexValue(bytes[position + offset]) == nil {
                        throw fail("invalid \\u escape")
                    }
                    position += 5
                default:
                    throw fail("invalid escape")
                }
                continue
            }
            if byte < 0x20 { throw fail("control character in string") }
            position += 1
        }
        throw fail("unterminated string")
    }

    /// Skips the string's bytes eight at a time up to the first quote, backslash or control
    /// character, where the byte loop of ``parseString()`` goes on.
    @inline(__always)
    private mutating func skipPlainWords() {
        guard let base = bytes.baseAddress else { return }
        let raw = UnsafeRawPointer(base)
        let count = bytes.count
        while position + 8 <= count {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            let special = Self.stringSpecialBytes(word)
            if special != 0 {
                position += special.trailingZeroBitCount / 8
                return
            }
            position += 8
        }
    }

    /// The high bit of each byte of `word` (first byte lowest) that is `"`, `\` or below 0x20,
    /// exact up to the first such byte (a borrow can also mark bytes after it, never one before).
    @inline(__always)
    static func stringSpecialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
        return special & highs
    }

    private mutating func literal(_ word: StaticString, _ kind: JSONTape.Kind) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw fail("expected \(word)") }
        let matches = word.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[position + $0] == expected[$0] }
        }
        guard matches else { throw fail("expected \(word)") }
        let index = Int32(tokens.count)
        tokens.append(.init(kind: kind, start: Int32(position), end: Int32(position + count), next: index + 1))
        position += count
    }

    private mutating func parseNumber() throws(JSONSyntaxError) {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { throw fail("expected a digit") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else { throw fail("expected a digit after '.'") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else { throw fail("expected an exponent") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        let index = Int32(tokens.count)
        tokens.append(.init(kind: .number, start: Int32(start), end: Int32(position), next: index + 1))
    }
}

@inline(__always)
func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

/// The value of a hex digit, or nil for any other byte (``hexNibble(_:)`` without the marker).
@inline(__always)
func hexValue(_ byte: UInt8) -> UInt8? {
    let value = hexNibble(byte)
    return value == 0xFF ? nil : value
}
