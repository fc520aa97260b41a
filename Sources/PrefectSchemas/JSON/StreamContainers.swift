/// A JSON object being written by ``PrefectJSONEncoder``.
struct StreamKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: StreamEncoder
    let frameID: Int

    var codingPath: [any CodingKey] { encoder.codingPath }

    private var writer: JSONByteWriter { encoder.writer }

    /// Writes the separator and `"key":`.
    private func member(_ key: Key) throws {
        try writer.beginMember(frame: frameID, depth: encoder.depth)
        writer.write(string: key.stringValue)
        writer.bytes.append(UInt8(ascii: ":"))
    }

    mutating func encodeNil(forKey key: Key) throws {
        try member(key)
        writer.writeNull()
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        try member(key)
        writer.write(value)
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        try member(key)
        writer.write(string: value)
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        try member(key)
        try writer.write(floatingPoint: value, codingPath: codingPath + [key])
    }

    mutating func encode(_ value: Float, forKey key: Key) throws {
        try member(key)
        try writer.write(floatingPoint: value, codingPath: codingPath + [key])
    }

    mutating func encode(_ value: Int, forKey key: Key) throws { try encodeInteger(value, forKey: key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try encodeInteger(value, forKey: key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try encodeInteger(value, forKey: key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try encodeInteger(value, forKey: key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try encodeInteger(value, forKey: key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try encodeInteger(value, forKey: key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try encodeInteger(value, forKey: key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try encodeInteger(value, forKey: key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try encodeInteger(value, forKey: key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try encodeInteger(value, forKey: key) }

    private func encodeInteger<Integer: FixedWidthInteger>(_ value: Integer, forKey key: Key) throws {
        try member(key)
        writer.write(integer: value)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try member(key)
        try encoder.child(key: key).encodeValue(value)
    }

    // MARK: absent values: left out, or `null` when the writer writes explicit nulls

    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try present(value, key) { try $0.encode($1, forKey: key) } }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try present(value, key) { try $0.encode($1, forKey: key) } }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try present(value, key) { try $0.encode($1, forKey: key) } }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try present(value, key) { try $0.encode($1, forKey: key) } }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try present(value, key) { try $0.encode($1, forKey: key) } }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try present(value, key) { try $0.encode($1, forKey: key) } }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try present(value, key) { try $0.encode($1, forKey: key) } }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try present(value, key) { try $0.encode($1, forKey: key) } }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try present(value, key) { try $0.encode($1, forKey: key) } }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try present(value, key) { try $0.encode($1, forKey: key) } }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try present(value, key) { try $0.encode($1, forKey: key) } }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try present(value, key) { try $0.encode($1, forKey: key) } }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try present(value, key) { try $0.encode($1, forKey: key) } }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try present(value, key) { try $0.encode($1, forKey: key) } }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        try present(value, key) { try $0.encode($1, forKey: key) }
    }

    private mutating func present<Value>(
        _ value: Value?, _ key: Key, _ encode: (inout Self, Value) throws -> Void
    ) throws {
        if let value {
            try encode(&self, value)
        } else if writer.explicitNulls {
            try encodeNil(forKey: key)
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = encoder.child(key: key)
        guard (try? member(key)) != nil else {
            return KeyedEncodingContainer(StreamKeyedContainer<NestedKey>(encoder: child, frameID: -1))
        }
        return child.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = encoder.child(key: key)
        guard (try? member(key)) != nil else { return StreamUnkeyedContainer(encoder: child, frameID: -1) }
        return child.unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { encoder.detachedForFallback() }

    mutating func superEncoder(forKey key: Key) -> any Encoder { encoder.detachedForFallback() }
}

/// A JSON array being written by ``PrefectJSONEncoder``.
struct StreamUnkeyedContainer: UnkeyedEncodingContainer {
    let encoder: StreamEncoder
    let frameID: Int

    var codingPath: [any CodingKey] { encoder.codingPath }

    var count: Int {
        let depth = encoder.depth
        return writer.isOpen(frame: frameID, depth: depth) ? writer.frames[depth].count : 0
    }

    private var writer: JSONByteWriter { encoder.writer }

    /// Writes the separator; returns the new element's index.
    private func element() throws -> Int {
        try writer.beginMember(frame: frameID, depth: encoder.depth)
        return writer.frames[encoder.depth].count - 1
    }

    mutating func encodeNil() throws {
        _ = try element()
        writer.writeNull()
    }

    mutating func encode(_ value: Bool) throws {
        _ = try element()
        writer.write(value)
    }

    mutating func encode(_ value: String) throws {
        _ = try element()
        writer.write(string: value)
    }

    mutating func encode(_ value: Double) throws {
        let index = try element()
        try writer.write(floatingPoint: value, codingPath: codingPath + [IndexCodingKey(index)])
    }

    mutating func encode(_ value: Float) throws {
        let index = try element()
        try writer.write(floatingPoint: value, codingPath: codingPath + [IndexCodingKey(index)])
    }

    mutating func encode(_ value: Int) throws { try encodeInteger(value) }
    mutating func encode(_ value: Int8) throws { try encodeInteger(value) }
    mutating func encode(_ value: Int16) throws { try encodeInteger(value) }
    mutating func encode(_ value: Int32) throws { try encodeInteger(value) }
    mutating func encode(_ value: Int64) throws { try encodeInteger(value) }
    mutating func encode(_ value: UInt) throws { try encodeInteger(value) }
    mutating func encode(_ value: UInt8) throws { try encodeInteger(value) }
    mutating func encode(_ value: UInt16) throws { try encodeInteger(value) }
    mutating func encode(_ value: UInt32) throws { try encodeInteger(value) }
    mutating func encode(_ value: UInt64) throws { try encodeInteger(value) }

    private func encodeInteger<Integer: FixedWidthInteger>(_ value: Integer) throws {
        _ = try element()
        writer.write(integer: value)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let index = try element()
        try encoder.child(key: IndexCodingKey(index)).encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        guard let index = try? element() else {
            return KeyedEncodingContainer(StreamKeyedContainer<NestedKey>(encoder: encoder, frameID: -1))
        }
        return encoder.child(key: IndexCodingKey(index)).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        guard let index = try? element() else { return StreamUnkeyedContainer(encoder: encoder, frameID: -1) }
        return encoder.child(key: IndexCodingKey(index)).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { encoder.detachedForFallback() }
}

/// The one scalar (or nested value) of a ``StreamEncoder``.
struct StreamSingleValueContainer: SingleValueEncodingContainer {
    let encoder: StreamEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }

    private var writer: JSONByteWriter { encoder.writer }

    mutating func encodeNil() throws {
        try encoder.beginSingleValue()
        writer.writeNull()
    }

    mutating func encode(_ value: Bool) throws {
        try encoder.beginSingleValue()
        writer.write(value)
    }

    mutating func encode(_ value: String) throws {
        try encoder.beginSingleValue()
        writer.write(string: value)
    }

    mutating func encode(_ value: Double) throws {
        try encoder.beginSingleValue()
        try writer.write(floatingPoint: value, codingPath: codingPath)
    }

    mutating func encode(_ value: Float) throws {
        try encoder.beginSingleValue()
        try writer.write(floatingPoint: value, codingPath: codingPath)
    }

    mutating func encode(_ value: Int) throws { try encodeInteger(value) }
    mutating func encode(_ value: Int8) throws { try encodeInteger(value) }
    mutating func encode(_ value: Int16) throws { try encodeInteger(value) }
    mutating func encode(_ value: Int32) throws { try encodeInteger(value) }
    mutating func encode(_ value: Int64) throws { try encodeInteger(value) }
    mutating func encode(_ value: UInt) throws { try encodeInteger(value) }
    mutating func encode(_ value: UInt8) throws { try encodeInteger(value) }
    mutating func encode(_ value: UInt16) throws { try encodeInteger(value) }
    mutating func encode(_ value: UInt32) throws { try encodeInteger(value) }
    mutating func encode(_ value: UInt64) throws { try encodeInteger(value) }

    private func encodeInteger<Integer: FixedWidthInteger>(_ value: Integer) throws {
        try encoder.beginSingleValue()
        writer.write(integer: value)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try encoder.beginSingleValue()
        try encoder.encodeValueInPlace(value)
    }
}

/// The coding key of an array element.
struct IndexCodingKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }

    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}
