import Foundation
import PrefectSchemas

/// The Jinja templates of automation actions (`render_user_template`,
/// `prefect/server/utilities/user_templates.py`): a run-deployment action's parameters, a
/// webhook's payload, a notification's subject and body, rendered with the firing's context.
///
/// The part of Jinja that these templates use: `{{ expression }}`, `{% if %}` / `{% elif %}` /
/// `{% else %}` / `{% endif %}`, `{% for x in y %}` (with `{% else %}` and `loop.index`,
/// `loop.first`, `loop.last`), `{# comments #}` and `-` whitespace control. Expressions have
/// literals, names, `.attribute` and `[index]`, filters with arguments, `not`, `and`, `or`,
/// comparisons, `in`, `is defined` / `is none`, `~`, `+ - * /` and `x if c else y`. A missing
/// name or member is undefined at every depth and renders empty (`ChainableUndefined`).
/// Anything else fails the render with a message naming it, as a Jinja error fails Prefect's.
enum UserTemplate {
    struct RenderError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// `maybe_template`.
    static func isTemplate(_ text: String) -> Bool {
        text.contains("{{") || text.contains("{%")
    }

    static func render(_ template: String, context: JSONObject, filters: TemplateFilters = TemplateFilters()) throws -> String {
        guard isTemplate(template) else { return template }
        var parser = try TemplateParser(template)
        let nodes = try parser.parse()
        var renderer = TemplateRenderer(filters: filters)
        var scope = context
        return try renderer.render(nodes, &scope)
    }

    /// The names of `types` that a template reads (`matching_types_in_templates`), so that
    /// only those objects are fetched for its context.
    static func names(in templates: [String], among types: Set<String>) -> Set<String> {
        var found: Set<String> = []
        for template in templates where isTemplate(template) {
            for match in template.matches(of: /[A-Za-z_][A-Za-z0-9_]*/) where types.contains(String(match.output)) {
                found.insert(String(match.output))
            }
        }
        return found
    }
}

/// The filters templates may use, beyond Jinja's own: Prefect's `ui_url` and
/// `ui_resource_events_url` (`prefect/server/events/jinja_filters.py`), which need the UI's
/// address (`PREFECT_UI_URL`; none renders them as `None`).
struct TemplateFilters: Sendable {
    var uiURL: String?
    /// The kind (`flow-run`, `deployment`, …) of each object of the context, by id, for
    /// `ui_url`.
    var kinds: [String: String] = [:]

    init(uiURL: String? = ProcessInfo.processInfo.environment["PREFECT_UI_URL"]) {
        self.uiURL = uiURL
    }
}

indirect enum TemplateNode {
    case text(String)
    case output(TemplateExpression)
    case conditional([(condition: TemplateExpression?, body: [TemplateNode])])
    case loop(variable: String, sequence: TemplateExpression, body: [TemplateNode], otherwise: [TemplateNode])
}

indirect enum TemplateExpression {
    case literal(JSONValue)
    case name(String)
    case member(TemplateExpression, TemplateExpression)
    case filter(TemplateExpression, String, [TemplateExpression])
    case unary(String, TemplateExpression)
    case binary(TemplateExpression, String, TemplateExpression)
    case test(TemplateExpression, String, negated: Bool)
    case list([TemplateExpression])
    case choice(TemplateExpression, condition: TemplateExpression, otherwise: TemplateExpression?)
}

/// Splits a template into text, outputs and blocks, and parses each expression.
struct TemplateParser {
    private enum Piece {
        case text(String)
        case output(String)
        case statement(String)
    }

    private var pieces: [Piece] = []
    private var position = 0

    init(_ template: String) throws {
        var rest = Substring(template)
        var trimNextLeading = false
        while !rest.isEmpty {
            guard let open = rest.firstRange(of: /\{[{%#]/) else {
                pieces.append(.text(trimNextLeading ? String(rest.drop(while: \.isWhitespace)) : String(rest)))
                break
            }
            var text = rest[..<open.lowerBound]
            if trimNextLeading { text = text.drop(while: \.isWhitespace) }
            let kind = rest[rest.index(after: open.lowerBound)]
            var inner = rest[open.upperBound...]
            if inner.first == "-" {
                while text.last?.isWhitespace == true { text = text.dropLast() }
                inner = inner.dropFirst()
            }
            pieces.append(.text(String(text)))
            let close: String = switch kind {
            case "{": "}}"
            case "%": "%}"
            default: "#}"
            }
            guard let end = inner.firstRange(of: close) else {
                throw UserTemplate.RenderError(message: "unexpected end of template, expected '\(close)'")
            }
            var body = inner[..<end.lowerBound]
            trimNextLeading = body.last == "-"
            if trimNextLeading { body = body.dropLast() }
            let content = body.trimmingCharacters(in: .whitespacesAndNewlines)
            switch kind {
            case "{": pieces.append(.output(content))
            case "%": pieces.append(.statement(content))
            default: break
            }
            rest = inner[end.upperBound...]
        }
    }

    mutating func parse() throws -> [TemplateNode] {
        let (nodes, end) = try parseNodes(until: [])
        if let end { throw UserTemplate.RenderError(message: "Encountered unknown tag '\(end)'.") }
        return nodes
    }

    /// Nodes up to one of the `until` statements (answered), or the end.
    private mutating func parseNodes(until: Set<String>) throws -> ([TemplateNode], String?) {
        var nodes: [TemplateNode] = []
        while position < pieces.count {
            let piece = pieces[position]
            position += 1
            switch piece {
            case .text(let text):
                if !text.isEmpty { nodes.append(.text(text)) }
            case .output(let source):
                nodes.append(.output(try ExpressionParser.parse(source)))
            case .statement(let source):
                let keyword = String(source.prefix { !$0.isWhitespace })
                if until.contains(keyword) {
                    position -= 1
                    return (nodes, source)
                }
                let rest = source.dropFirst(keyword.count).trimmingCharacters(in: .whitespaces)
                switch keyword {
                case "if": nodes.append(try parseIf(rest))
                case "for": nodes.append(try parseFor(rest))
                default: throw UserTemplate.RenderError(message: "Encountered unknown tag '\(keyword)'.")
                }
            }
        }
        if !until.isEmpty { throw UserTemplate.RenderError(message: "Unexpected end of template. Jinja was looking for \(until.sorted())") }
        return (nodes, nil)
    }

    private mutating func statement() -> String {
        guard case .statement(let source) = pieces[position] else { return "" }
        position += 1
        return source
    }

    private mutating func parseIf(_ condition: String) throws -> TemplateNode {
        var branches: [(TemplateExpression?, [TemplateNode])] = []
        var current: TemplateExpression? = try ExpressionParser.parse(condition)
        while true {
            let (body, _) = try parseNodes(until: ["elif", "else", "endif"])
            branches.append((current, body))
            let source = statement()
            if source.hasPrefix("endif") { break }
            if source.hasPrefix("elif") {
                current = try ExpressionParser.parse(String(source.dropFirst(4)))
            } else {
                let (rest, _) = try parseNodes(until: ["endif"])
                branches.append((nil, rest))
                _ = statement()
                break
            }
        }
        return .conditional(branches.map { (condition: $0.0, body: $0.1) })
    }

    private mutating func parseFor(_ header: String) throws -> TemplateNode {
        guard let match = header.wholeMatch(of: /([A-Za-z_][A-Za-z0-9_]*)\s+in\s+(.+)/) else {
            throw UserTemplate.RenderError(message: "expected 'for <name> in <expression>', got '\(header)'")
        }
        let sequence = try ExpressionParser.parse(String(match.output.2))
        let (body, end) = try parseNodes(until: ["else", "endfor"])
        _ = statement()
        var otherwise: [TemplateNode] = []
        if end == "else" {
            (otherwise, _) = try parseNodes(until: ["endfor"])
            _ = statement()
        }
        return .loop(variable: String(match.output.1), sequence: sequence, body: body, otherwise: otherwise)
    }
}
