import Foundation
import PrefectSchemas

/// The container types a parameter schema describes by their element, found with a dynamic
/// cast (`T.self as? any SchemaArrayShape.Type`): a recording decoder cannot learn an array's
/// element type or a dictionary's value type from `init(from:)`, which reads no element of an
/// empty container.
protocol SchemaArrayShape {
    static var schemaElement: any Decodable.Type { get }
    /// `uniqueItems` (a `Set`, as pydantic writes a `set[...]`).
    static var schemaUniqueItems: Bool { get }
    static var schemaPlaceholder: Self { get }
}

extension Array: SchemaArrayShape where Element: Decodable {
    static var schemaElement: any Decodable.Type { Element.self }
    static var schemaUniqueItems: Bool { false }
    static var schemaPlaceholder: Self { [] }
}

extension Set: SchemaArrayShape where Element: Decodable {
    static var schemaElement: any Decodable.Type { Element.self }
    static var schemaUniqueItems: Bool { true }
    static var schemaPlaceholder: Self { [] }
}

/// `[String: Value]`: a JSON object whose members are all `Value` (`additionalProperties`).
protocol SchemaDictionaryShape {
    static var schemaValue: any Decodable.Type { get }
    static var schemaPlaceholder: Self { get }
}

extension Dictionary: SchemaDictionaryShape where Key == String, Value: Decodable {
    static var schemaValue: any Decodable.Type { Value.self }
    static var schemaPlaceholder: Self { [:] }
}

/// `Wrapped?`: `anyOf` the wrapped schema and `null`.
protocol SchemaOptionalShape {
    static var schemaWrapped: any Decodable.Type { get }
    static var schemaPlaceholder: Self { get }
}

extension Optional: SchemaOptionalShape where Wrapped: Decodable {
    static var schemaWrapped: any Decodable.Type { Wrapped.self }
    static var schemaPlaceholder: Self { nil }
}

/// A `CaseIterable` enum with `String` or integer raw values: its cases are the schema's
/// `enum`, as pydantic lists a `str` or `int` `Enum`'s values.
enum SchemaEnumCases {
    /// The raw values of `type`'s cases and its first case, or nil when `type` is not such an
    /// enum (or has no cases).
    static func of<T>(_ type: T.Type) -> (values: [JSONValue], first: T)? {
        guard let iterable = type as? any CaseIterable.Type else { return nil }
        return cases(iterable, as: type)
    }

    private static func cases<C: CaseIterable, T>(_ iterable: C.Type, as type: T.Type) -> (values: [JSONValue], first: T)? {
        var values: [JSONValue] = []
        for item in iterable.allCases {
            guard let raw = (item as? any RawRepresentable)?.rawValue else { return nil }
            switch raw {
            case let text as String: values.append(.string(text))
            case let number as any BinaryInteger:
                guard let exact = Int64(exactly: number) else { return nil }
                values.append(.int(exact))
            default: return nil
            }
        }
        guard let first = iterable.allCases.first as? T else { return nil }
        return (values, first)
    }
}
