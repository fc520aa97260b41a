import Foundation

/// Python's `repr()` of a JSON value, as Prefect's validation messages quote instances
/// (`'a' is not of type 'integer'`, `None`, `True`, `[1, 'a']`, `{'k': 1}`).
public enum PythonRepr {
    public static func of(_ value: JSONValue) -> String {
        switch value {
        case .null: return "None"
        case .bool(let flag): return flag ? "True" : "False"
        case .int(let number): return String(number)
        case .double(let number): return float(number)
        case .string(let text): return string(text)
        case .array(let items): return "[" + items.map(of).joined(separator: ", ") + "]"
        case .object(let members):
            return "{" + members.map { "\(string($0.key)): \(of($0.value))" }.joined(separator: ", ") + "}"
        }
    }

    /// `repr(float)`: shortest round-trip digits, `1.0` keeps its point, exponents as `1e+20`.
    public static func float(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        if number == number.rounded(), abs(number) < 1e16 { return String(format: "%.1f", number) }
        var text = "\(number)"
        if let e = text.firstIndex(of: "e") {
            let exponent = text[text.index(after: e)...]
            if !exponent.hasPrefix("-") && !exponent.hasPrefix("+") { text = text[..<e] + "e+" + exponent }
        }
        return text
    }

    /// `repr(str)`: single quotes unless the text has one and no double quote.
    public static func string(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(scalar) == quote {
                    out += "\\" + String(quote)
                } else if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\x%02x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + String(quote)
    }
}
