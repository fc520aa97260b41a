import PrefectSchemas

/// Shell-style patterns over event names and resource labels, as Prefect matches them
/// (`prefect/server/events/schemas/events.py`: `matches`, `fnmatch.fnmatchcase`): `*` is any
/// run of characters, `?` one character, `[abc]`, `[a-z]` and `[!abc]` a set; case matters; a
/// pattern that starts with `!` matches what the rest does not. Matching takes time in
/// proportion to the pattern's length times the value's, whatever the pattern (no pattern can
/// make evaluation backtrack exponentially).
enum LabelPattern {
    private enum Token {
        case literal(Character)
        case any
        case star
        case set(members: [(Character, Character)], negated: Bool)
    }

    /// `matches(expected, value)`: false when there is no value.
    static func matches(_ expected: String, _ value: String?) -> Bool {
        guard let value else { return false }
        if expected.hasPrefix("!") {
            return !match(globTokens(Array(expected.dropFirst())), Array(value))
        }
        return match(globTokens(Array(expected)), Array(value))
    }

    /// `fnmatch.fnmatchcase(value, pattern)`: the whole value.
    static func fnmatch(_ value: String, _ pattern: String) -> Bool {
        match(globTokens(Array(pattern)), Array(value))
    }

    /// `EventTrigger.event_pattern.match(event)`: each pattern escaped with `*` made `.+`, tried
    /// from the start of the name and not held to its end.
    static func prefixMatches(_ name: String, anyOf patterns: [String]) -> Bool {
        let value = Array(name)
        return patterns.contains { pattern in
            var tokens: [Token] = []
            for character in pattern {
                if character == "*" {
                    tokens += [.any, .star]
                } else {
                    tokens.append(.literal(character))
                }
            }
            return match(tokens + [.star], value)
        }
    }

    /// `fnmatch.translate`'s reading of a pattern: an unclosed `[` is an ordinary character.
    private static func globTokens(_ pattern: [Character]) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        while i < pattern.count {
            switch pattern[i] {
            case "*":
                tokens.append(.star)
                i += 1
            case "?":
                tokens.append(.any)
                i += 1
            case "[":
                if let (set, next) = set(pattern, at: i) {
                    tokens.append(set)
                    i = next
                } else {
                    tokens.append(.literal("["))
                    i += 1
                }
            default:
                tokens.append(.literal(pattern[i]))
                i += 1
            }
        }
        return tokens
    }

    /// A `[...]` set at `start` and where the pattern goes on; nil when it is not closed.
    private static func set(_ pattern: [Character], at start: Int) -> (Token, Int)? {
        var i = start + 1
        var negated = false
        if i < pattern.count, pattern[i] == "!" {
            negated = true
            i += 1
        }
        var members: [(Character, Character)] = []
        var first = true
        while i < pattern.count, pattern[i] != "]" || first {
            first = false
            if i + 2 < pattern.count, pattern[i + 1] == "-", pattern[i + 2] != "]" {
                members.append((pattern[i], pattern[i + 2]))
                i += 3
            } else {
                members.append((pattern[i], pattern[i]))
                i += 1
            }
        }
        guard i < pattern.count else { return nil }
        return (.set(members: members, negated: negated), i + 1)
    }

    /// The whole value against the tokens: one backtrack point, the last star.
    private static func match(_ tokens: [Token], _ value: [Character]) -> Bool {
        var t = 0, v = 0
        var star: (t: Int, v: Int)?
        while v < value.count {
            if t < tokens.count {
                switch tokens[t] {
                case .star:
                    star = (t, v)
                    t += 1
                    continue
                case .any:
                    t += 1
                    v += 1
                    continue
                case .literal(let character) where character == value[v]:
                    t += 1
                    v += 1
                    continue
                case .set(let members, let negated) where members.contains(where: { $0.0 <= value[v] && value[v] <= $0.1 }) != negated:
                    t += 1
                    v += 1
                    continue
                default:
                    break
                }
            }
            guard let last = star else { return false }
            star = (last.t, last.v + 1)
            t = last.t + 1
            v = last.v + 1
        }
        while t < tokens.count, case .star = tokens[t] { t += 1 }
        return t == tokens.count
    }
}

extension LabelPattern {
    /// `ResourceSpecification.matches`: every label the specification names has a value one of
    /// its patterns matches.
    static func matches(_ specification: ResourceSpecification, _ resource: EventResource) -> Bool {
        specification.keys.allSatisfy { label in
            let patterns: [String] = switch specification[label] {
            case .string(let one)?: [one]
            case .array(let many)?: many.compactMap(\.stringValue)
            default: []
            }
            return patterns.contains { matches($0, resource.labels[label]) }
        }
    }

    /// `ResourceSpecification.includes`: an empty specification includes anything; otherwise
    /// one of the candidates must match.
    static func includes(_ specification: ResourceSpecification, _ candidates: [EventResource]) -> Bool {
        specification.isEmpty || candidates.contains { matches(specification, $0) }
    }
}
