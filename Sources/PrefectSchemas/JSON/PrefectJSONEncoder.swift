public import Foundation

/// Encodes `Encodable` values as compact JSON, writing bytes as the values are visited.
///
/// The counterpart of ``PrefectJSONDecoder`` for request bodies: it writes what Foundation's
/// `JSONEncoder` (default strategies) writes, up to member order and `/` left unescaped, at a
/// fraction of the cost, because it builds no intermediate tree. `Data` is written as
/// Base64, `URL` as its absolute string and `Decimal` as a number, as `JSONEncoder` does.
///
/// The models read and written in bulk (runs, states, logs, flows …) and JSON trees
/// (``JSONValue``, ``JSONObject``) skip `encode(to:)` and its containers: their generated
/// ``StreamEncodable`` conformances write bytes directly, with the same output and errors.
///
/// Encoding code that writes into a container after opening a later sibling, or that asks for
/// a `superEncoder`, cannot be streamed; for such a value the encoder hands over to
/// `JSONEncoder`, so the result is always complete.
public struct PrefectJSONEncoder: Sendable {
    /// Whether an absent optional field is written as `"key": null` instead of left out.
    public var explicitNulls: Bool

    /// - Parameter explicitNulls: write `null` for absent optional fields, as Prefect's server
    ///   serialises its responses (every field of the model, `None` as `null`). Request bodies
    ///   leave them out (the default), so that PATCH bodies change only what they name.
    public init(explicitNulls: Bool = false) {
        self.explicitNulls = explicitNulls
        self.modelsToStream = true
    }

    /// Whether ``StreamEncodable`` models are written by their stream encoders (always, but in
    /// the tests that compare both ways of encoding them).
    let modelsToStream: Bool

    init(explicitNulls: Bool, modelsToStream: Bool) {
        self.explicitNulls = explicitNulls
        self.modelsToStream = modelsToStream
    }

    /// The JSON text of `value`.
    ///
    /// - Throws: `EncodingError` for values JSON cannot carry (NaN, infinity), or what
    ///   `value`'s own `encode(to:)` throws.
    public func encode<T: Encodable>(_ value: T) throws -> Data {
        let writer = JSONByteWriter(explicitNulls: explicitNulls, modelsToStream: modelsToStream)
        do {
            try StreamEncoder(writer: writer, depth: 0).encodeValue(value)
            writer.closeFrames(downTo: 0)
            if !writer.needsFallback { return Data(writer.bytes) }
        } catch {
            guard writer.needsFallback else { throw error }
        }
        return try JSONEncoder().encode(value)
    }
}

/// The `Encoder` for one value; also the node of the coding path its containers report.
final class StreamEncoder: Encoder {
    let writer: JSONByteWriter
    /// How many containers enclose this value; a container it opens gets this index.
    let depth: Int
    private let parent: StreamEncoder?
    private let key: (any CodingKey)?
    private var openedFrame: (id: Int, isObject: Bool)?
    private var wroteSingleValue = false

    init(writer: JSONByteWriter, depth: Int, parent: StreamEncoder? = nil, key: (any CodingKey)? = nil) {
        self.writer = writer
        self.depth = depth
        self.parent = parent
        self.key = key
    }

    var codingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var node: StreamEncoder? = self
        while let current = node {
            if let key = current.key { path.append(key) }
            node = current.parent
        }
        return path.reversed()
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// Writes `value` here: the special cases of `JSONEncoder`, else `value.encode(to:)`.
    func encodeValue<T: Encodable>(_ value: T) throws {
        if T.self == Data.self, let data = value as? Data {
            writer.write(string: data.base64EncodedString())
        } else if T.self == URL.self, let url = value as? URL {
            writer.write(string: url.absoluteString)
        } else if T.self == Decimal.self, let decimal = value as? Decimal {
            var text = decimal.description
            text.withUTF8 { writer.bytes.append(contentsOf: $0) }
        } else if writer.modelsToStream, T.self == JSONObject.self, let members = value as? JSONObject {
            writer.closeFrames(downTo: depth)
            try writer.write(jsonObject: members, path: { codingPath })
        } else if writer.modelsToStream, T.self == JSONValue.self, let json = value as? JSONValue {
            writer.closeFrames(downTo: depth)
            try writer.write(json: json, path: { codingPath })
        } else if writer.modelsToStream, let streamed = T.self as? any StreamEncodable.Type {
            try writeStreamed(value, as: streamed)
        } else {
            let start = writer.bytes.count
            try value.encode(to: self)
            if writer.bytes.count == start {
                if depth == 0 { writer.needsFallback = true }
                writer.bytes.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")])
            }
            writer.closeFrames(downTo: depth)
        }
    }

    /// Writes `value`, a `S`, by its ``StreamEncodable`` conformance (a cast between the same
    /// type: no existential box for the model).
    private func writeStreamed<T: Encodable, S: StreamEncodable>(_ value: T, as type: S.Type) throws {
        guard let model = value as? S else { return try value.encode(to: self) }
        try writeObject(model)
    }

    /// Writes `value` in this encoder's place, for a single-value container holding a value
    /// that is not a scalar (an array, a dictionary, a nested model).
    func encodeValueInPlace<T: Encodable>(_ value: T) throws {
        try StreamEncoder(writer: writer, depth: depth, parent: parent, key: key).encodeValue(value)
    }

    /// A child encoder for the member at `key` of a container at `depth - 1`.
    func child(key: any CodingKey) -> StreamEncoder {
        StreamEncoder(writer: writer, depth: depth + 1, parent: self, key: key)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(StreamKeyedContainer<Key>(encoder: self, frameID: openFrame(isObject: true)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        StreamUnkeyedContainer(encoder: self, frameID: openFrame(isObject: false))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        StreamSingleValueContainer(encoder: self)
    }

    /// Claims the one scalar this encoder may write.
    func beginSingleValue() throws {
        guard openedFrame == nil, !wroteSingleValue, writer.frames.count == depth else {
            writer.needsFallback = true
            throw JSONByteWriter.CannotStream()
        }
        wroteSingleValue = true
    }

    /// The frame of this encoder's container: the one already open when asked again for the
    /// same kind, else a new one (or an invalid id when the value cannot be streamed).
    private func openFrame(isObject: Bool) -> Int {
        if let opened = openedFrame {
            if opened.isObject == isObject, writer.isOpen(frame: opened.id, depth: depth) { return opened.id }
            writer.needsFallback = true
            return -1
        }
        guard !wroteSingleValue, writer.frames.count <= depth else {
            writer.needsFallback = true
            return -1
        }
        let id = writer.open(isObject: isObject, depth: depth)
        openedFrame = (id, isObject)
        return id
    }

    /// An encoder whose output is thrown away, for what cannot be streamed (`superEncoder`).
    func detachedForFallback() -> any Encoder {
        writer.needsFallback = true
        return StreamEncoder(writer: JSONByteWriter(), depth: 0, parent: self)
    }
}
