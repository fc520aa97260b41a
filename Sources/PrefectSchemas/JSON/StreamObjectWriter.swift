import Foundation

/// A model that ``PrefectJSONEncoder`` writes straight into its bytes, without `Encoder`
/// containers: member names are written from static text, no container boxes are made.
///
/// `scripts/generate-schemas.py` writes the conformances (`StreamEncoders.swift`) for the same
/// models as ``TapeDecodable``, line for line the same as their generated `encode(to:)`, which
/// every other encoder keeps using.
protocol StreamEncodable: Encodable {
    func encode(stream: inout StreamObjectWriter) throws
}

/// An enum written as its raw string (`StateType`, …), as its `encode(to:)` does.
protocol StreamStringEncodable: Encodable {
    var rawValue: String { get }
}

/// Writes the members of one JSON object for a ``StreamEncodable`` model.
///
/// Mirrors ``StreamKeyedContainer``: `encodeIfPresent` of `nil` leaves the member out, or writes
/// `null` when the encoder writes explicit nulls; `encode` of an optional writes `null` for
/// `nil`; any other value is written by the encoder's own path, with the same coding path.
struct StreamObjectWriter {
    private let encoder: StreamEncoder
    private let writer: JSONByteWriter
    private var count = 0

    init(encoder: StreamEncoder) {
        self.encoder = encoder
        self.writer = encoder.writer
    }

    /// Writes the separator before a member, if one came before it.
    private mutating func beginMember() {
        if count > 0 { writer.bytes.append(UInt8(ascii: ",")) }
        count += 1
    }

    /// Writes the separator and `"key":` (member names are plain ASCII, written as they are).
    private mutating func member(_ key: StaticString) {
        beginMember()
        writer.bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { writer.bytes.append(contentsOf: $0) }
        writer.bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    private mutating func absent(_ key: StaticString) {
        guard writer.explicitNulls else { return }
        member(key)
        writer.writeNull()
    }

    // MARK: scalars

    mutating func encode(_ value: String, _ key: StaticString) throws {
        member(key)
        writer.write(string: value)
    }

    mutating func encode(_ value: Int, _ key: StaticString) throws {
        member(key)
        writer.write(integer: value)
    }

    mutating func encode(_ value: Double, _ key: StaticString) throws {
        member(key)
        try writer.write(floatingPoint: value, codingPath: encoder.codingPath + [TapeKey(key)])
    }

    mutating func encode(_ value: Bool, _ key: StaticString) throws {
        member(key)
        writer.write(value)
    }

    mutating func encodeIfPresent(_ value: String?, _ key: StaticString) throws {
        guard let value else { return absent(key) }
        try encode(value, key)
    }

    mutating func encodeIfPresent(_ value: Int?, _ key: StaticString) throws {
        guard let value else { return absent(key) }
        try encode(value, key)
    }

    mutating func encodeIfPresent(_ value: Double?, _ key: StaticString) throws {
        guard let value else { return absent(key) }
        try encode(value, key)
    }

    mutating func encodeIfPresent(_ value: Bool?, _ key: StaticString) throws {
        guard let value else { return absent(key) }
        try encode(value, key)
    }

    /// A value that may be `nil` but is never left out: `null` then, as `Optional`'s `encode(to:)`.
    mutating func encode<T: Encodable>(_ value: T?, _ key: StaticString) throws {
        guard let value else {
            member(key)
            return writer.writeNull()
        }
        try encode(value, key)
    }

    /// A string member whose name is data (an event resource's label), escaped as
    /// ``JSONObject``'s member names are.
    mutating func encode(_ value: String, name: String) {
        beginMember()
        writer.write(string: name)
        writer.bytes.append(UInt8(ascii: ":"))
        writer.write(string: value)
    }

    // MARK: UUIDs, in lower case as Prefect writes them

    mutating func encodePrefectUUID(_ id: UUID, _ key: StaticString) throws {
        try encode(id.prefectString, key)
    }

    mutating func encodePrefectUUID(_ ids: [UUID], _ key: StaticString) throws {
        try encode(ids.map(\.prefectString), key)
    }

    mutating func encodePrefectUUIDIfPresent(_ id: UUID?, _ key: StaticString) throws {
        try encodeIfPresent(id?.prefectString, key)
    }

    mutating func encodePrefectUUIDIfPresent(_ ids: [UUID]?, _ key: StaticString) throws {
        try encodeIfPresent(ids?.map(\.prefectString), key)
    }

    // MARK: nested values

    mutating func encode<T: StreamEncodable>(_ value: T, _ key: StaticString) throws {
        member(key)
        try StreamEncoder(writer: writer, depth: writer.frames.count, parent: encoder, key: TapeKey(key)).writeObject(value)
    }

    mutating func encodeIfPresent<T: StreamEncodable>(_ value: T?, _ key: StaticString) throws {
        guard let value else { return absent(key) }
        try encode(value, key)
    }

    mutating func encode<T: StreamStringEncodable>(_ value: T, _ key: StaticString) throws {
        try encode(value.rawValue, key)
    }

    mutating func encodeIfPresent<T: StreamStringEncodable>(_ value: T?, _ key: StaticString) throws {
        guard let value else { return absent(key) }
        try encode(value, key)
    }

    /// Any other value, through the encoder's own path (`JSONObject`, arrays, unions …).
    mutating func encode<T: Encodable>(_ value: T, _ key: StaticString) throws {
        member(key)
        try StreamEncoder(writer: writer, depth: writer.frames.count, parent: encoder, key: TapeKey(key)).encodeValue(value)
    }

    mutating func encodeIfPresent<T: Encodable>(_ value: T?, _ key: StaticString) throws {
        guard let value else { return absent(key) }
        try encode(value, key)
    }
}

extension StreamEncoder {
    /// Writes `value` as one object here, by its ``StreamEncodable`` conformance.
    func writeObject<T: StreamEncodable>(_ value: T) throws {
        writer.closeFrames(downTo: depth)
        writer.bytes.append(UInt8(ascii: "{"))
        var object = StreamObjectWriter(encoder: self)
        try value.encode(stream: &object)
        writer.bytes.append(UInt8(ascii: "}"))
    }
}
