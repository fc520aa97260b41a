/// A JSON object whose members keep the order they were written in.
///
/// Prefect keeps the order of users' data (a flow run's `parameters`, a variable's value, a
/// block's fields, a job template) as JSON gives it — Python's `dict` is ordered — and its UI
/// shows members in that order. `JSONObject` reads like a `Dictionary` (subscripts, `keys`,
/// `values`, `mapValues`, `filter`, `merge`) and iterates in member order; a member set again
/// keeps its place (as a `dict` does), a new one goes last. Equality and hashing ignore the
/// order, as equality of two `dict`s does.
public struct JSONObject: Sendable {
    /// The member names in order.
    public private(set) var keys: [String]
    private var storage: [String: JSONValue]

    public init() {
        keys = []
        storage = [:]
    }

    /// The members of a `Dictionary`, which has no order of its own: sorted by name, so the
    /// result is the same in every process.
    public init(_ dictionary: [String: JSONValue]) {
        keys = dictionary.keys.sorted()
        storage = dictionary
    }

    /// Members in the given order; a name given twice keeps its first place and its last value.
    public init<S: Sequence>(_ members: S) where S.Element == (String, JSONValue) {
        self.init()
        for (key, value) in members { self[key] = value }
    }

    /// Members in the given order (`Dictionary(uniqueKeysWithValues:)`'s spelling).
    public init<S: Sequence>(uniqueKeysWithValues members: S) where S.Element == (String, JSONValue) {
        self.init(members)
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// The values in member order.
    public var values: [JSONValue] { keys.compactMap { storage[$0] } }

    /// The members as a `Dictionary` (their order lost).
    public var dictionary: [String: JSONValue] { storage }

    /// The member named `key`; setting `nil` removes it.
    public subscript(key: String) -> JSONValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else {
                removeValue(forKey: key)
            }
        }
    }

    public subscript(key: String, default defaultValue: @autoclosure () -> JSONValue) -> JSONValue {
        get { storage[key] ?? defaultValue() }
        set { self[key] = newValue }
    }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let removed = storage.removeValue(forKey: key) else { return nil }
        keys.removeAll { $0 == key }
        return removed
    }

    public func mapValues(_ transform: (JSONValue) throws -> JSONValue) rethrows -> JSONObject {
        var out = self
        for key in keys { out.storage[key] = try transform(storage[key] ?? .null) }
        return out
    }

    public func compactMapValues(_ transform: (JSONValue) throws -> JSONValue?) rethrows -> JSONObject {
        var out = JSONObject()
        for (key, value) in self {
            if let mapped = try transform(value) { out[key] = mapped }
        }
        return out
    }

    /// The members `isIncluded` keeps, in order.
    public func filter(_ isIncluded: ((key: String, value: JSONValue)) throws -> Bool) rethrows -> JSONObject {
        var out = JSONObject()
        for member in self where try isIncluded(member) { out[member.key] = member.value }
        return out
    }

    /// Adds `other`'s members after this object's; for a name both have, `combine` decides the
    /// value (which keeps this object's place).
    public mutating func merge<S: Sequence>(
        _ other: S, uniquingKeysWith combine: (JSONValue, JSONValue) throws -> JSONValue
    ) rethrows where S.Element == (key: String, value: JSONValue) {
        for (key, value) in other {
            self[key] = try storage[key].map { try combine($0, value) } ?? value
        }
    }

    public mutating func merge(_ other: [String: JSONValue], uniquingKeysWith combine: (JSONValue, JSONValue) throws -> JSONValue) rethrows {
        try merge(JSONObject(other), uniquingKeysWith: combine)
    }

    public func merging<S: Sequence>(
        _ other: S, uniquingKeysWith combine: (JSONValue, JSONValue) throws -> JSONValue
    ) rethrows -> JSONObject where S.Element == (key: String, value: JSONValue) {
        var out = self
        try out.merge(other, uniquingKeysWith: combine)
        return out
    }

    public func merging(_ other: [String: JSONValue], uniquingKeysWith combine: (JSONValue, JSONValue) throws -> JSONValue) rethrows -> JSONObject {
        try merging(JSONObject(other), uniquingKeysWith: combine)
    }
}

extension JSONObject: Sequence {
    public typealias Element = (key: String, value: JSONValue)

    public struct Iterator: IteratorProtocol {
        let object: JSONObject
        var index = 0

        public mutating func next() -> (key: String, value: JSONValue)? {
            guard index < object.keys.count else { return nil }
            let key = object.keys[index]
            index += 1
            return (key, object.storage[key] ?? .null)
        }
    }

    public func makeIterator() -> Iterator { Iterator(object: self) }

    public var underestimatedCount: Int { keys.count }
}

extension JSONObject: Hashable {
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool { lhs.storage == rhs.storage }
    public func hash(into hasher: inout Hasher) { hasher.combine(storage) }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}

extension JSONObject: Codable {
    /// A member name in a coding path (also ``JSONByteWriter``'s, which writes objects directly).
    struct MemberName: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The members in the order the decoder lists them (``PrefectJSONDecoder`` lists them as
    /// written).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: MemberName.self)
        self.init()
        for key in container.allKeys {
            self[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: MemberName.self)
        for (key, value) in self {
            try container.encode(value, forKey: MemberName(stringValue: key))
        }
    }
}

extension JSONObject: CustomStringConvertible {
    public var description: String {
        "[" + map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "]"
    }
}
