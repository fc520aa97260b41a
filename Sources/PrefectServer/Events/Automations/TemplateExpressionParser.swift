import Foundation
import PrefectSchemas

/// Parses one Jinja expression (``TemplateExpression``) by precedence: conditional, `or`,
/// `and`, `not`, comparisons and tests, `~` and `+ -`, `* /`, filters, then members and
/// literals.
struct ExpressionParser {
    private enum Token: Equatable {
        case name(String)
        case number(Double, isInteger: Bool)
        case string(String)
        case symbol(String)
    }

    private var tokens: [Token] = []
    private var index = 0

    static func parse(_ source: String) throws -> TemplateExpression {
        var parser = try ExpressionParser(source)
        let expression = try parser.conditional()
        guard parser.index == parser.tokens.count else {
            throw UserTemplate.RenderError(message: "unexpected token in '\(source)'")
        }
        return expression
    }

    private init(_ source: String) throws {
        let characters = Array(source)
        var i = 0
        while i < characters.count {
            let c = characters[i]
            if c.isWhitespace {
                i += 1
            } else if c.isLetter || c == "_" {
                var j = i
                while j < characters.count, characters[j].isLetter || characters[j].isNumber || characters[j] == "_" { j += 1 }
                tokens.append(.name(String(characters[i..<j])))
                i = j
            } else if c.isNumber {
                var j = i
                while j < characters.count, characters[j].isNumber || characters[j] == "." || characters[j] == "_" { j += 1 }
                let text = String(characters[i..<j]).replacingOccurrences(of: "_", with: "")
                guard let number = Double(text) else { throw UserTemplate.RenderError(message: "bad number '\(text)'") }
                tokens.append(.number(number, isInteger: !text.contains(".")))
                i = j
            } else if c == "'" || c == "\"" {
                var j = i + 1
                var text = ""
                while j < characters.count, characters[j] != c {
                    if characters[j] == "\\", j + 1 < characters.count {
                        j += 1
                        switch characters[j] {
                        case "n": text.append("\n")
                        case "t": text.append("\t")
                        default: text.append(characters[j])
                        }
                    } else {
                        text.append(characters[j])
                    }
                    j += 1
                }
                guard j < characters.count else { throw UserTemplate.RenderError(message: "unterminated string") }
                tokens.append(.string(text))
                i = j + 1
            } else {
                let two = i + 1 < characters.count ? String(characters[i...i + 1]) : ""
                if ["==", "!=", "<=", ">=", "//", "**"].contains(two) {
                    tokens.append(.symbol(two))
                    i += 2
                } else if "()[].,|~+-*/%<>:{}=".contains(c) {
                    tokens.append(.symbol(String(c)))
                    i += 1
                } else {
                    throw UserTemplate.RenderError(message: "unexpected char '\(c)'")
                }
            }
        }
    }

    private var current: Token? { index < tokens.count ? tokens[index] : nil }

    private mutating func accept(_ token: Token) -> Bool {
        guard current == token else { return false }
        index += 1
        return true
    }

    private mutating func expect(_ token: Token) throws {
        guard accept(token) else { throw UserTemplate.RenderError(message: "expected \(token)") }
    }

    private mutating func conditional() throws -> TemplateExpression {
        let value = try or()
        guard accept(.name("if")) else { return value }
        let condition = try or()
        let otherwise = accept(.name("else")) ? try conditional() : nil
        return .choice(value, condition: condition, otherwise: otherwise)
    }

    private mutating func or() throws -> TemplateExpression {
        var left = try and()
        while accept(.name("or")) { left = .binary(left, "or", try and()) }
        return left
    }

    private mutating func and() throws -> TemplateExpression {
        var left = try not()
        while accept(.name("and")) { left = .binary(left, "and", try not()) }
        return left
    }

    private mutating func not() throws -> TemplateExpression {
        if accept(.name("not")) { return .unary("not", try not()) }
        return try comparison()
    }

    private mutating func comparison() throws -> TemplateExpression {
        var left = try concatenation()
        while true {
            if case .symbol(let op)? = current, ["==", "!=", "<", ">", "<=", ">="].contains(op) {
                index += 1
                left = .binary(left, op, try concatenation())
            } else if accept(.name("in")) {
                left = .binary(left, "in", try concatenation())
            } else if current == .name("not"), index + 1 < tokens.count, tokens[index + 1] == .name("in") {
                index += 2
                left = .unary("not", .binary(left, "in", try concatenation()))
            } else if accept(.name("is")) {
                let negated = accept(.name("not"))
                guard case .name(let test)? = current else { throw UserTemplate.RenderError(message: "expected a test name") }
                index += 1
                left = .test(left, test, negated: negated)
            } else {
                return left
            }
        }
    }

    private mutating func concatenation() throws -> TemplateExpression {
        var left = try product()
        while case .symbol(let op)? = current, ["~", "+", "-"].contains(op) {
            index += 1
            left = .binary(left, op, try product())
        }
        return left
    }

    private mutating func product() throws -> TemplateExpression {
        var left = try filtered()
        while case .symbol(let op)? = current, ["*", "/", "//", "%"].contains(op) {
            index += 1
            left = .binary(left, op, try filtered())
        }
        return left
    }

    private mutating func filtered() throws -> TemplateExpression {
        var value = try unaryMinus()
        while accept(.symbol("|")) {
            guard case .name(let name)? = current else { throw UserTemplate.RenderError(message: "expected a filter name") }
            index += 1
            value = .filter(value, name, accept(.symbol("(")) ? try arguments(closing: ")") : [])
        }
        return value
    }

    private mutating func unaryMinus() throws -> TemplateExpression {
        if accept(.symbol("-")) { return .unary("-", try unaryMinus()) }
        return try postfix()
    }

    private mutating func postfix() throws -> TemplateExpression {
        var value = try primary()
        while true {
            if accept(.symbol(".")) {
                switch current {
                case .name(let name)?: value = .member(value, .literal(.string(name)))
                case .number(let number, true)?: value = .member(value, .literal(.int(Int64(number))))
                default: throw UserTemplate.RenderError(message: "expected a name after '.'")
                }
                index += 1
            } else if accept(.symbol("[")) {
                value = .member(value, try conditional())
                try expect(.symbol("]"))
            } else if current == .symbol("(") {
                throw UserTemplate.RenderError(message: "calling methods is not supported in templates")
            } else {
                return value
            }
        }
    }

    private mutating func primary() throws -> TemplateExpression {
        guard let token = current else { throw UserTemplate.RenderError(message: "unexpected end of expression") }
        index += 1
        switch token {
        case .number(let number, let isInteger):
            return .literal(isInteger && abs(number) < 9e18 ? .int(Int64(number)) : .double(number))
        case .string(let text):
            return .literal(.string(text))
        case .name("true"), .name("True"): return .literal(.bool(true))
        case .name("false"), .name("False"): return .literal(.bool(false))
        case .name("none"), .name("None"): return .literal(.null)
        case .name(let name): return .name(name)
        case .symbol("("):
            let inner = try conditional()
            try expect(.symbol(")"))
            return inner
        case .symbol("["):
            return .list(try arguments(closing: "]"))
        default:
            throw UserTemplate.RenderError(message: "unexpected '\(token)'")
        }
    }

    /// Comma-separated expressions up to `closing`; `name=value` arguments keep their value.
    private mutating func arguments(closing: String) throws -> [TemplateExpression] {
        var items: [TemplateExpression] = []
        while !accept(.symbol(closing)) {
            if case .name? = current, index + 1 < tokens.count, tokens[index + 1] == .symbol("=") { index += 2 }
            items.append(try conditional())
            if !accept(.symbol(",")) {
                try expect(.symbol(closing))
                break
            }
        }
        return items
    }
}
