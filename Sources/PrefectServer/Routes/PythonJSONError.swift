import Foundation

/// Where and why Python's `json.loads` refuses a body, as FastAPI reports it in a
/// `json_invalid` error (`loc: ["body", position]`, `ctx.error`): CPython's scanner, read to
/// its first error, positions counted in characters.
enum PythonJSONError {
    struct Diagnosis: Equatable {
        var message: String
        var position: Int
    }

    /// How deep the scanner follows nesting (the decoder refuses deeper documents anyway; the
    /// scanner recurses, and its stack is a task's).
    static let maximumDepth = 600

    /// The diagnosis for `data`, or nil when Python would parse it or it nests too deeply to
    /// say.
    static func diagnose(_ data: Data) -> Diagnosis? {
        let scanner = Scanner(characters: Array(String(decoding: data, as: UTF8.self).unicodeScalars))
        do {
            var index = scanner.skipSpace(0)
            index = try scanner.value(at: index, depth: 0)
            index = scanner.skipSpace(index)
            guard index == scanner.characters.count else { return Diagnosis(message: "Extra data", position: index) }
            return nil
        } catch let diagnosis as Diagnosis {
            return diagnosis
        } catch {
            return nil
        }
    }

    /// Python strings are indexed by code point: the scanner walks Unicode scalars.
    private struct Scanner {
        let characters: [Unicode.Scalar]

        func skipSpace(_ start: Int) -> Int {
            var index = start
            while index < characters.count, [" ", "\t", "\n", "\r"].contains(characters[index]) { index += 1 }
            return index
        }

        func character(_ index: Int) -> Unicode.Scalar? {
            index < characters.count ? characters[index] : nil
        }

        static func isDigit(_ scalar: Unicode.Scalar?) -> Bool {
            guard let scalar else { return false }
            return scalar.value >= 48 && scalar.value <= 57
        }

        static func isHexDigit(_ scalar: Unicode.Scalar) -> Bool {
            isDigit(scalar) || ("a"..."f").contains(scalar) || ("A"..."F").contains(scalar)
        }

        /// The index after the value at `index`.
        func value(at index: Int, depth: Int) throws -> Int {
            guard depth < PythonJSONError.maximumDepth else { throw TooDeep() }
            guard let first = character(index) else { throw Diagnosis(message: "Expecting value", position: index) }
            switch first {
            case "\"": return try string(at: index)
            case "{": return try object(at: index, depth: depth)
            case "[": return try array(at: index, depth: depth)
            default:
                for word in ["null", "true", "false", "NaN", "Infinity", "-Infinity"] where matches(word, at: index) {
                    return index + word.count
                }
                if let end = number(at: index) { return end }
                throw Diagnosis(message: "Expecting value", position: index)
            }
        }

        private func matches(_ word: String, at index: Int) -> Bool {
            let letters = Array(word.unicodeScalars)
            guard index + letters.count <= characters.count else { return false }
            return Array(characters[index..<index + letters.count]) == letters
        }

        /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`
        private func number(at start: Int) -> Int? {
            var index = start
            if character(index) == "-" { index += 1 }
            guard Self.isDigit(character(index)) else { return nil }
            let leadingZero = character(index) == "0"
            index += 1
            if !leadingZero { while Self.isDigit(character(index)) { index += 1 } }
            if character(index) == ".", Self.isDigit(character(index + 1)) {
                index += 2
                while Self.isDigit(character(index)) { index += 1 }
            }
            if character(index) == "e" || character(index) == "E" {
                var exponent = index + 1
                if character(exponent) == "+" || character(exponent) == "-" { exponent += 1 }
                if Self.isDigit(character(exponent)) {
                    index = exponent + 1
                    while Self.isDigit(character(index)) { index += 1 }
                }
            }
            return index
        }

        private func string(at start: Int) throws -> Int {
            var index = start + 1
            while true {
                guard let next = character(index) else { throw Diagnosis(message: "Unterminated string starting at", position: start) }
                if next == "\"" { return index + 1 }
                if next.value < 0x20 {
                    throw Diagnosis(message: "Invalid control character at", position: index)
                }
                if next == "\\" {
                    guard let escaped = character(index + 1) else { throw Diagnosis(message: "Unterminated string starting at", position: start) }
                    if escaped == "u" {
                        let digits = (index + 2..<index + 6).compactMap(character)
                        guard digits.count == 4, digits.allSatisfy(Self.isHexDigit) else {
                            throw Diagnosis(message: "Invalid \\uXXXX escape", position: index + 1)
                        }
                        index += 6
                        continue
                    }
                    guard "\"\\/bfnrt".unicodeScalars.contains(escaped) else {
                        throw Diagnosis(message: "Invalid \\escape", position: index)
                    }
                    index += 2
                    continue
                }
                index += 1
            }
        }

        private func object(at start: Int, depth: Int) throws -> Int {
            var index = skipSpace(start + 1)
            if character(index) == "}" { return index + 1 }
            while true {
                guard character(index) == "\"" else {
                    throw Diagnosis(message: "Expecting property name enclosed in double quotes", position: index)
                }
                index = skipSpace(try string(at: index))
                guard character(index) == ":" else { throw Diagnosis(message: "Expecting ':' delimiter", position: index) }
                index = try value(at: skipSpace(index + 1), depth: depth + 1)
                index = skipSpace(index)
                if character(index) == "}" { return index + 1 }
                guard character(index) == "," else { throw Diagnosis(message: "Expecting ',' delimiter", position: index) }
                index = skipSpace(index + 1)
            }
        }

        private func array(at start: Int, depth: Int) throws -> Int {
            var index = skipSpace(start + 1)
            if character(index) == "]" { return index + 1 }
            while true {
                index = skipSpace(try value(at: index, depth: depth + 1))
                if character(index) == "]" { return index + 1 }
                guard character(index) == "," else { throw Diagnosis(message: "Expecting ',' delimiter", position: index) }
                index = skipSpace(index + 1)
            }
        }
    }
}

extension PythonJSONError.Diagnosis: Error {}

/// Nesting beyond ``PythonJSONError/maximumDepth``.
private struct TooDeep: Error {}
