import Foundation

/// Turns token bytes into Swift values without intermediate strings.
enum JSONScalars {
    /// A string token's text, unescaping when needed.
    static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ token: JSONTape.Token) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[Int(token.start)..<Int(token.end)])
        guard token.kind == .escapedString else { return String(decoding: slice, as: UTF8.self) }
        return unescape(slice)
    }

    private static func unescape(_ slice: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var index = 0
        while index < slice.count {
            let byte = slice[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < slice.count else {
                out.append(byte)
                index += 1
                continue
            }
            let escape = slice[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(slice, index)
                index += 4
                if (0xD800..<0xDC00).contains(scalar), index + 5 < slice.count, slice[index] == UInt8(ascii: "\\"),
                    slice[index + 1] == UInt8(ascii: "u")
                {
                    let low = hex4(slice, index + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                }
                let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(character).utf8))
            default: out.append(escape)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex4(_ slice: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 where at + offset < slice.count {
            value = value << 4 | UInt32(hexValue(slice[at + offset]) ?? 0)
        }
        return value
    }

    /// An integer token; `nil` when it has a fraction or does not fit.
    static func int64(_ bytes: UnsafeBufferPointer<UInt8>, _ token: JSONTape.Token) -> Int64? {
        var index = Int(token.start)
        let end = Int(token.end)
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        var value: Int64 = 0
        while index < end {
            let byte = bytes[index]
            guard isDigit(byte) else {
                // 1.0 or 1e3: accept when the value is integral.
                guard let double = double(bytes, token), double.rounded() == double, abs(double) < 9.2e18 else {
                    return nil
                }
                return Int64(double)
            }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            if overflow1 || overflow2 { return nil }
            value = sum
            index += 1
        }
        return negative ? -value : value
    }

    private static let powersOfTen: [Double] = (0...22).map { pow(10, Double($0)) }

    /// A number token as a `Double`: exact fast path for short decimals, `strtod` otherwise.
    static func double(_ bytes: UnsafeBufferPointer<UInt8>, _ token: JSONTape.Token) -> Double? {
        var index = Int(token.start)
        let end = Int(token.end)
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        while index < end, isDigit(bytes[index]) {
            mantissa = mantissa &* 10 &+ UInt64(bytes[index] - UInt8(ascii: "0"))
            digits += 1
            index += 1
        }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < end, isDigit(bytes[index]) {
                mantissa = mantissa &* 10 &+ UInt64(bytes[index] - UInt8(ascii: "0"))
                digits += 1
                exponent -= 1
                index += 1
            }
        }
        if index == end, digits <= 15, exponent >= -22 {
            var value = Double(mantissa)
            if exponent < 0 { value /= powersOfTen[-exponent] }
            return negative ? -value : value
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(token.start)..<end]), as: UTF8.self)
        return Double(text)
    }

    /// A canonical or upper-case UUID string token, parsed from its bytes.
    static func uuid(_ bytes: UnsafeBufferPointer<UInt8>, _ token: JSONTape.Token) -> UUID? {
        guard token.kind == .string, token.end - token.start == 36 else {
            // The other forms pydantic takes (32 digits, braced, a URN), off the fast path.
            guard token.kind == .string || token.kind == .escapedString else { return nil }
            return UUIDText.parse(string(bytes, token))
        }
        let base = Int(token.start)
        guard bytes[base + 8] == UInt8(ascii: "-"), bytes[base + 13] == UInt8(ascii: "-"),
            bytes[base + 18] == UInt8(ascii: "-"), bytes[base + 23] == UInt8(ascii: "-")
        else { return nil }
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let valid = withUnsafeMutableBytes(of: &value) { raw -> Bool in
            // Any digit that is not hex sets a high bit here.
            var invalid: UInt8 = 0
            for pair in 0..<16 {
                // Pairs 4, 6, 8 and 10 start after a hyphen.
                let offset = base + 2 * pair + (pair >= 4 ? 1 : 0) + (pair >= 6 ? 1 : 0) + (pair >= 8 ? 1 : 0) + (pair >= 10 ? 1 : 0)
                let high = hexNibble(bytes[offset])
                let low = hexNibble(bytes[offset + 1])
                invalid |= high | low
                raw[pair] = high << 4 | low
            }
            return invalid & 0xF0 == 0
        }
        return valid ? UUID(uuid: value) : nil
    }
}

/// The value of a hex digit, or 0xFF for any other byte.
@inline(__always)
func hexNibble(_ byte: UInt8) -> UInt8 {
    let digit = byte &- UInt8(ascii: "0")
    if digit < 10 { return digit }
    let letter = (byte | 0x20) &- UInt8(ascii: "a")
    if letter < 6 { return letter &+ 10 }
    return 0xFF
}
