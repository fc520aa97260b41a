import Foundation
import PrefectSchemas

/// What a type's `init(from:)` asked a ``SchemaRecordingDecoder`` for.
final class RecordedShape {
    enum Kind {
        /// Nothing asked yet.
        case unknown
        /// A keyed container: the type is a JSON object with ``members``.
        case object
        /// A single value of this schema (a wrapper around one value).
        case value(JSONObject)
        /// An unkeyed container.
        case array
    }

    enum MemberSchema {
        case schema(JSONObject)
        /// A nested container or super decoder, described once its reading is over.
        case nested(RecordedShape)
    }

    struct Member {
        let key: String
        let schema: MemberSchema
        /// Read with `decodeIfPresent`: the key may be missing or `null`.
        let mayBeMissing: Bool
    }

    var kind = Kind.unknown
    private(set) var members: [Member] = []

    /// Notes a member; a key asked for twice keeps its first reading.
    func record(_ key: String, _ schema: MemberSchema, mayBeMissing: Bool) {
        guard !members.contains(where: { $0.key == key }) else { return }
        members.append(Member(key: key, schema: schema, mayBeMissing: mayBeMissing))
    }
}

/// A `Decoder` that decodes no data: it answers every request with a placeholder value and
/// notes, in ``shape``, which keys and types the decoded type asked for. That is how a plain
/// `Codable` struct yields its parameter schema with nothing written by hand.
///
/// Every key is reported present and non-null (`contains` is true, `decodeNil` false) so that
/// custom `init(from:)`s read each member they can; `allKeys` is empty.
struct SchemaRecordingDecoder: Decoder {
    let recorder: SchemaRecorder
    let codingPath: [any CodingKey]
    let shape: RecordedShape
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(recorder: SchemaRecorder, codingPath: [any CodingKey], shape: RecordedShape = RecordedShape()) {
        self.recorder = recorder
        self.codingPath = codingPath
        self.shape = shape
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        if case .unknown = shape.kind { shape.kind = .object }
        return KeyedDecodingContainer(SchemaKeyedRecorder<Key>(recorder: recorder, codingPath: codingPath, shape: shape))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        if case .unknown = shape.kind { shape.kind = .array }
        return SchemaUnkeyedRecorder(codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SchemaSingleValueRecorder(recorder: recorder, codingPath: codingPath, shape: shape)
    }
}

/// The keyed container of ``SchemaRecordingDecoder``.
struct SchemaKeyedRecorder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let recorder: SchemaRecorder
    let codingPath: [any CodingKey]
    let shape: RecordedShape

    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }

    func decodeNil(forKey key: Key) throws -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try required(type, key) }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try optional(type, key) }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try required(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try required(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try required(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try required(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try required(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try required(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try required(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try required(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try required(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try required(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try required(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try required(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try required(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try required(type, key) }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optional(type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optional(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optional(type, key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try optional(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optional(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try optional(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try optional(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try optional(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try optional(type, key) }

    private func required<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        let (schema, value) = recorder.describe(type)
        shape.record(key.stringValue, .schema(schema), mayBeMissing: false)
        return try value.get()
    }

    private func optional<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        shape.record(key.stringValue, .schema(recorder.schema(of: type)), mayBeMissing: true)
        return nil
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let nested = RecordedShape()
        nested.kind = .object
        shape.record(key.stringValue, .nested(nested), mayBeMissing: false)
        return KeyedDecodingContainer(
            SchemaKeyedRecorder<NestedKey>(recorder: recorder, codingPath: codingPath + [key], shape: nested))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        shape.record(key.stringValue, .schema(["type": "array"]), mayBeMissing: false)
        return SchemaUnkeyedRecorder(codingPath: codingPath + [key])
    }

    func superDecoder() throws -> any Decoder {
        SchemaRecordingDecoder(recorder: recorder, codingPath: codingPath, shape: shape)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        let nested = RecordedShape()
        shape.record(key.stringValue, .nested(nested), mayBeMissing: false)
        return SchemaRecordingDecoder(recorder: recorder, codingPath: codingPath + [key], shape: nested)
    }
}

/// The single-value container of ``SchemaRecordingDecoder``: the type wraps one value, whose
/// schema becomes its own.
struct SchemaSingleValueRecorder: SingleValueDecodingContainer {
    let recorder: SchemaRecorder
    let codingPath: [any CodingKey]
    let shape: RecordedShape

    func decodeNil() -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try value(type) }

    private func value<T: Decodable>(_ type: T.Type) throws -> T {
        let (schema, value) = recorder.describe(type)
        if case .unknown = shape.kind { shape.kind = .value(schema) }
        return try value.get()
    }

    func decode(_ type: Bool.Type) throws -> Bool { try value(type) }
    func decode(_ type: String.Type) throws -> String { try value(type) }
    func decode(_ type: Double.Type) throws -> Double { try value(type) }
    func decode(_ type: Float.Type) throws -> Float { try value(type) }
    func decode(_ type: Int.Type) throws -> Int { try value(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try value(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try value(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try value(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try value(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try value(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try value(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try value(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try value(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try value(type) }
}

/// The unkeyed container of ``SchemaRecordingDecoder``: always empty, so a type read from an
/// array asks for no element.
struct SchemaUnkeyedRecorder: UnkeyedDecodingContainer {
    let codingPath: [any CodingKey]
    var count: Int? { 0 }
    var isAtEnd: Bool { true }
    var currentIndex: Int { 0 }

    func decodeNil() throws -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: "no elements"))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        throw DecodingError.valueNotFound(KeyedDecodingContainer<NestedKey>.self, .init(codingPath: codingPath, debugDescription: "no elements"))
    }

    func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.valueNotFound((any UnkeyedDecodingContainer).self, .init(codingPath: codingPath, debugDescription: "no elements"))
    }

    func superDecoder() throws -> any Decoder {
        throw DecodingError.valueNotFound((any Decoder).self, .init(codingPath: codingPath, debugDescription: "no elements"))
    }
}
