import Foundation
import PrefectSchemas

/// Evaluates parsed templates (``UserTemplate``): values are JSON, `nil` is Jinja's chainable
/// undefined, output is Python's `str()` of each value.
struct TemplateRenderer {
    let filters: TemplateFilters
    /// Loops nested deeper than this, or more items rendered than ``maximumIterations``, fail
    /// the render (Prefect's sandbox limits `range` the same way).
    private static let maximumIterations = 100_000
    private var iterations = 0

    init(filters: TemplateFilters) {
        self.filters = filters
    }

    mutating func render(_ nodes: [TemplateNode], _ scope: inout JSONObject) throws -> String {
        var out = ""
        for node in nodes {
            switch node {
            case .text(let text):
                out += text
            case .output(let expression):
                out += Self.text(try evaluate(expression, scope))
            case .conditional(let branches):
                for branch in branches where try branch.condition.map({ Self.truthy(try evaluate($0, scope)) }) ?? true {
                    out += try render(branch.body, &scope)
                    break
                }
            case .loop(let variable, let sequence, let body, let otherwise):
                let items = Self.items(try evaluate(sequence, scope))
                if items.isEmpty {
                    out += try render(otherwise, &scope)
                    continue
                }
                var inner = scope
                for (index, item) in items.enumerated() {
                    iterations += 1
                    guard iterations <= Self.maximumIterations else {
                        throw UserTemplate.RenderError(message: "the template loops more than \(Self.maximumIterations) times")
                    }
                    inner[variable] = item
                    inner["loop"] = [
                        "index": .int(Int64(index + 1)), "index0": .int(Int64(index)), "first": .bool(index == 0),
                        "last": .bool(index == items.count - 1), "length": .int(Int64(items.count)),
                    ]
                    out += try render(body, &inner)
                }
            }
        }
        return out
    }

    func evaluate(_ expression: TemplateExpression, _ scope: JSONObject) throws -> JSONValue? {
        switch expression {
        case .literal(let value):
            return value
        case .name(let name):
            return scope[name]
        case .member(let base, let key):
            return Self.member(try evaluate(base, scope), try evaluate(key, scope))
        case .list(let items):
            return .array(try items.map { try evaluate($0, scope) ?? .null })
        case .choice(let value, let condition, let otherwise):
            if Self.truthy(try evaluate(condition, scope)) { return try evaluate(value, scope) }
            return try otherwise.flatMap { try evaluate($0, scope) }
        case .unary("not", let operand):
            return .bool(!Self.truthy(try evaluate(operand, scope)))
        case .unary(_, let operand):
            switch try evaluate(operand, scope) {
            case .int(let number)?: return .int(0 &- number)
            case .double(let number)?: return .double(-number)
            default: throw UserTemplate.RenderError(message: "bad operand type for unary -")
            }
        case .binary(let left, "and", let right):
            let value = try evaluate(left, scope)
            return Self.truthy(value) ? try evaluate(right, scope) : value
        case .binary(let left, "or", let right):
            let value = try evaluate(left, scope)
            return Self.truthy(value) ? value : try evaluate(right, scope)
        case .binary(let left, let op, let right):
            return try Self.binary(try evaluate(left, scope), op, try evaluate(right, scope))
        case .test(let operand, let test, let negated):
            let result = try Self.test(try evaluate(operand, scope), test)
            return .bool(result != negated)
        case .filter(let operand, let name, let arguments):
            return try filter(name, try evaluate(operand, scope), try arguments.map { try evaluate($0, scope) })
        }
    }

    // MARK: - Values

    /// `value[key]` and `value.key`: members of objects, items of arrays (negative from the
    /// end), and a resource's `id`, `name` and `role` (its `prefect.resource.*` labels).
    static func member(_ value: JSONValue?, _ key: JSONValue?) -> JSONValue? {
        switch (value, key) {
        case (.object(let members)?, .string(let name)?):
            if let found = members[name] { return found }
            if members["prefect.resource.id"] != nil, ["id", "name", "role"].contains(name) {
                return members["prefect.resource.\(name)"]
            }
            return nil
        case (.array(let items)?, .int(let position)?):
            let index = position < 0 ? Int64(items.count) + position : position
            return index >= 0 && index < Int64(items.count) ? items[Int(index)] : nil
        default:
            return nil
        }
    }

    static func truthy(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?: false
        case .bool(let flag)?: flag
        case .int(let number)?: number != 0
        case .double(let number)?: number != 0
        case .string(let text)?: !text.isEmpty
        case .array(let items)?: !items.isEmpty
        case .object(let members)?: !members.isEmpty
        }
    }

    /// `str(value)`; undefined is empty.
    static func text(_ value: JSONValue?) -> String {
        switch value {
        case nil: ""
        case .string(let text)?: TemplateMarks.display(text)
        case let value?: PythonRepr.of(plain(value))
        }
    }

    /// The value with its marked strings as their JSON values (``TemplateMarks``).
    static func plain(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): .string(TemplateMarks.plain(text))
        case .array(let items): .array(items.map(plain))
        case .object(let members): .object(members.mapValues(plain))
        default: value
        }
    }

    static func items(_ value: JSONValue?) -> [JSONValue] {
        switch value {
        case .array(let items)?: items
        case .object(let members)?: members.keys.map(JSONValue.string)
        case .string(let text)?: text.map { .string(String($0)) }
        default: []
        }
    }

    private static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let number)?: Double(number)
        case .double(let number)?: number
        case .bool(let flag)?: flag ? 1 : 0
        default: nil
        }
    }

    private static func equal(_ left: JSONValue?, _ right: JSONValue?) -> Bool {
        if let a = number(left), let b = number(right), !(left?.isBool ?? false) || (right?.isBool ?? false) { return a == b }
        return left.map(plain) == right.map(plain)
    }

    private static func binary(_ left: JSONValue?, _ op: String, _ right: JSONValue?) throws -> JSONValue? {
        switch op {
        case "==": return .bool(equal(left, right))
        case "!=": return .bool(!equal(left, right))
        case "~": return .string(text(left) + text(right))
        case "in":
            switch right {
            case .string(let text)?: return .bool(left?.stringValue.map { TemplateMarks.plain(text).contains(TemplateMarks.plain($0)) } ?? false)
            case .array(let items)?: return .bool(items.contains { equal($0, left) })
            case .object(let members)?: return .bool(left?.stringValue.map { members[$0] != nil } ?? false)
            default: throw UserTemplate.RenderError(message: "argument of type '\(typeName(right))' is not iterable")
            }
        case "<", ">", "<=", ">=":
            let order: ComparisonResult
            if let a = number(left), let b = number(right) {
                order = a < b ? .orderedAscending : a > b ? .orderedDescending : .orderedSame
            } else if case .string(let marked)? = left, case .string(let other)? = right {
                let a = TemplateMarks.plain(marked), b = TemplateMarks.plain(other)
                order = a < b ? .orderedAscending : a > b ? .orderedDescending : .orderedSame
            } else {
                throw UserTemplate.RenderError(
                    message: "'\(op)' not supported between instances of '\(typeName(left))' and '\(typeName(right))'")
            }
            switch op {
            case "<": return .bool(order == .orderedAscending)
            case ">": return .bool(order == .orderedDescending)
            case "<=": return .bool(order != .orderedDescending)
            default: return .bool(order != .orderedAscending)
            }
        case "+":
            if case .string(let a)? = left, case .string(let b)? = right { return .string(a + b) }
            if case .array(let a)? = left, case .array(let b)? = right { return .array(a + b) }
            return try arithmetic(left, op, right)
        default:
            return try arithmetic(left, op, right)
        }
    }

    private static func arithmetic(_ left: JSONValue?, _ op: String, _ right: JSONValue?) throws -> JSONValue? {
        guard let a = number(left), let b = number(right) else {
            throw UserTemplate.RenderError(
                message: "unsupported operand type(s) for \(op): '\(typeName(left))' and '\(typeName(right))'")
        }
        let integers = left?.isInteger == true && right?.isInteger == true
        switch op {
        case "+": return integers ? .int(Int64(a) &+ Int64(b)) : .double(a + b)
        case "-": return integers ? .int(Int64(a) &- Int64(b)) : .double(a - b)
        case "*": return integers ? .int(Int64(a) &* Int64(b)) : .double(a * b)
        case "/":
            guard b != 0 else { throw UserTemplate.RenderError(message: "division by zero") }
            return .double(a / b)
        case "//":
            guard b != 0 else { throw UserTemplate.RenderError(message: "integer division or modulo by zero") }
            return integers ? .int(Int64((a / b).rounded(.down))) : .double((a / b).rounded(.down))
        default:
            guard b != 0 else { throw UserTemplate.RenderError(message: "integer division or modulo by zero") }
            let remainder = a - b * (a / b).rounded(.down)
            return integers ? .int(Int64(remainder)) : .double(remainder)
        }
    }

    private static func test(_ value: JSONValue?, _ test: String) throws -> Bool {
        switch test {
        case "defined": return value != nil
        case "undefined": return value == nil
        case "none": return value == .null
        case "true": return value == .bool(true)
        case "false": return value == .bool(false)
        case "number": return value?.isInteger == true || { if case .double? = value { return true }; return false }()
        case "string": return value?.stringValue != nil
        case "mapping": if case .object? = value { return true }; return false
        case "sequence", "iterable":
            switch value {
            case .array?, .object?, .string?: return true
            default: return false
            }
        default: throw UserTemplate.RenderError(message: "No test named '\(test)'.")
        }
    }

    static func typeName(_ value: JSONValue?) -> String {
        switch value {
        case nil: "Undefined"
        case .null?: "NoneType"
        case .bool?: "bool"
        case .int?: "int"
        case .double?: "float"
        case .string?: "str"
        case .array?: "list"
        case .object?: "dict"
        }
    }
}
