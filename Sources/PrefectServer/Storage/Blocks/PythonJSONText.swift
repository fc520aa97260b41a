import PrefectSchemas

/// JSON text exactly as Python's `json.dumps(value, sort_keys=True)` writes it: `", "` and
/// `": "` separators, keys sorted by code point, non-ASCII characters escaped as `\uXXXX`
/// (`ensure_ascii`), floats as Python's `repr`. What Prefect hashes for a block schema's checksum
/// (`utilities/hashing.py` `hash_objects`), so the same schema gets the same checksum here.
enum PythonJSONText {
    static func dumps(_ value: JSONValue) -> String {
        var text = ""
        write(value, into: &text)
        return text
    }

    private static func write(_ value: JSONValue, into text: inout String) {
        switch value {
        case .null: text += "null"
        case .bool(let flag): text += flag ? "true" : "false"
        case .int(let number): text += String(number)
        case .double(let number): text += float(number)
        case .string(let string): writeString(string, into: &text)
        case .array(let items):
            text += "["
            for (index, item) in items.enumerated() {
                if index > 0 { text += ", " }
                write(item, into: &text)
            }
            text += "]"
        case .object(let members):
            text += "{"
            let keys = members.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
            for (index, key) in keys.enumerated() {
                if index > 0 { text += ", " }
                writeString(key, into: &text)
                text += ": "
                write(members[key] ?? .null, into: &text)
            }
            text += "}"
        }
    }

    /// Python's `float.__repr__`: the shortest text that reads back as the same double, with
    /// `.0` on integral values and an exponent from 1e16 up and below 1e-4.
    static func float(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
        let magnitude = abs(number)
        if magnitude != 0, magnitude >= 1e16 || magnitude < 1e-4 {
            return exponential(number)
        }
        let shortest = "\(number)"
        if shortest.contains("e") { return exponential(number) }
        return shortest
    }

    /// `1e+16`, `1.5e-05`: Python's exponent has a sign and at least two digits.
    private static func exponential(_ number: Double) -> String {
        let shortest = "\(number)"
        var mantissa = shortest
        var exponent = 0
        if let marker = shortest.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(shortest[..<marker])
            exponent = Int(shortest[shortest.index(after: marker)...]) ?? 0
        }
        let negative = mantissa.hasPrefix("-")
        var digits = negative ? String(mantissa.dropFirst()) : mantissa
        if digits.hasSuffix(".0") { digits.removeLast(2) }
        // Normalise to one digit before the point.
        var whole = digits
        var fraction = ""
        if let point = digits.firstIndex(of: ".") {
            whole = String(digits[..<point])
            fraction = String(digits[digits.index(after: point)...])
        }
        var significant = whole + fraction
        exponent += whole.count - 1
        while significant.hasPrefix("0"), significant.count > 1 {
            significant.removeFirst()
            exponent -= 1
        }
        while significant.hasSuffix("0"), significant.count > 1 { significant.removeLast() }
        let head = String(significant.prefix(1))
        let tail = String(significant.dropFirst())
        let sign = exponent < 0 ? "-" : "+"
        let power = abs(exponent) < 10 ? "0\(abs(exponent))" : "\(abs(exponent))"
        return (negative ? "-" : "") + head + (tail.isEmpty ? "" : "." + tail) + "e" + sign + power
    }

    private static func writeString(_ string: String, into text: inout String) {
        text += "\""
        for unit in string.utf16 {
            switch unit {
            case 0x22: text += "\\\""
            case 0x5C: text += "\\\\"
            case 0x0A: text += "\\n"
            case 0x0D: text += "\\r"
            case 0x09: text += "\\t"
            case 0x08: text += "\\b"
            case 0x0C: text += "\\f"
            case 0x20...0x7E: text.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        text += "\""
    }
}
