public import Foundation

extension PrefectJSON {
    /// `json` (an object) without the top-level members named in `keys`, whose values must be
    /// scalars (numbers, strings, booleans, null). Members of nested objects with the same names
    /// are kept: the document is parsed, not searched.
    ///
    /// The embedded server stores runs without the fields Prefect computes at read time
    /// (`estimated_run_time`, `estimated_start_time_delta`) and writes them in front when it
    /// answers, so a list of runs is answered without decoding them.
    ///
    /// - Throws: `DecodingError.dataCorrupted` for malformed JSON, a top-level value that is not
    ///   an object, or a named member whose value is an array or object.
    public static func removingTopLevelKeys(_ keys: Set<String>, from json: Data) throws -> Data {
        try json.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws -> Data in
            let bytes = raw.bindMemory(to: UInt8.self)
            let tape: JSONTape
            do {
                tape = try JSONTape.parse(bytes)
            } catch let error as JSONSyntaxError {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: error.description, underlyingError: error))
            }
            let tokens = tape.tokens
            guard let root = tokens.first, root.kind == .object else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "Expected a JSON object"))
            }
            var cuts: [Range<Int>] = []
            var index = 1
            while index < Int(root.next) {
                let key = tokens[index]
                let value = tokens[index + 1]
                let name = JSONScalars.string(bytes, key)
                if keys.contains(name) {
                    guard value.kind != .object, value.kind != .array else {
                        throw DecodingError.dataCorrupted(.init(
                            codingPath: [], debugDescription: "The value of '\(name)' is not a scalar"))
                    }
                    cuts.append(memberRange(bytes, keyStart: Int(key.start) - 1, valueEnd: Int(value.end)))
                }
                index = Int(value.next)
            }
            guard !cuts.isEmpty else { return json }
            var out = Data(capacity: bytes.count)
            var position = 0
            for cut in cuts.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                if cut.lowerBound > position {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position..<cut.lowerBound]))
                }
                position = max(position, cut.upperBound)
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position...]))
            return out
        }
    }

    /// The bytes of one member with one adjacent comma: the one before it, or, for the first
    /// member, the one after it.
    private static func memberRange(_ bytes: UnsafeBufferPointer<UInt8>, keyStart: Int, valueEnd: Int) -> Range<Int> {
        var before = keyStart - 1
        while before >= 0, isWhitespace(bytes[before]) { before -= 1 }
        if before >= 0, bytes[before] == UInt8(ascii: ",") { return before..<valueEnd }
        var after = valueEnd
        while after < bytes.count, isWhitespace(bytes[after]) { after += 1 }
        if after < bytes.count, bytes[after] == UInt8(ascii: ",") { return keyStart..<(after + 1) }
        return keyStart..<valueEnd
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
