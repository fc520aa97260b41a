import Foundation

/// The output of one ``PrefectJSONEncoder`` run: JSON bytes written front to back, and the
/// stack of objects and arrays still open.
///
/// Containers are written as the `Encodable` code opens them. A write into a container first
/// closes every container opened deeper than it, so sequential encoding (what synthesised and
/// generated `encode(to:)` do) streams straight out. Anything that cannot stream (writing into
/// a container after it was closed, `superEncoder`) sets ``needsFallback`` and the encoder
/// starts again with Foundation's `JSONEncoder`.
final class JSONByteWriter {
    struct Frame {
        let id: Int
        let isObject: Bool
        var count = 0
    }

    /// Thrown to stop early once ``needsFallback`` is set.
    struct CannotStream: Error {}

    var bytes: [UInt8] = []
    private(set) var frames: [Frame] = []
    private var nextFrameID = 0
    var needsFallback = false
    /// Whether `encodeIfPresent` of a nil writes the key with `null` (see
    /// ``PrefectJSONEncoder/init(explicitNulls:)``).
    let explicitNulls: Bool
    /// Whether ``StreamEncodable`` models skip their `encode(to:)`.
    let modelsToStream: Bool

    init(explicitNulls: Bool = false, modelsToStream: Bool = true) {
        self.explicitNulls = explicitNulls
        self.modelsToStream = modelsToStream
        bytes.reserveCapacity(512)
    }

    // MARK: containers

    /// Opens an object or array at `depth` (the number of frames that stay open below it).
    func open(isObject: Bool, depth: Int) -> Int {
        closeFrames(downTo: depth)
        nextFrameID += 1
        frames.append(Frame(id: nextFrameID, isObject: isObject))
        bytes.append(isObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
        return nextFrameID
    }

    /// Makes the frame `id` at `depth` the innermost open one and counts a new member of it,
    /// writing the separator; throws when that frame is already closed.
    func beginMember(frame id: Int, depth: Int) throws {
        guard depth < frames.count, frames[depth].id == id else {
            needsFallback = true
            throw CannotStream()
        }
        closeFrames(downTo: depth + 1)
        if frames[depth].count > 0 { bytes.append(UInt8(ascii: ",")) }
        frames[depth].count += 1
    }

    /// Whether frame `id` is still open at `depth`.
    func isOpen(frame id: Int, depth: Int) -> Bool {
        depth < frames.count && frames[depth].id == id
    }

    /// Closes every open frame above the first `depth` ones.
    func closeFrames(downTo depth: Int) {
        while frames.count > depth {
            let frame = frames.removeLast()
            bytes.append(frame.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        }
    }

    // MARK: scalars

    func writeNull() {
        bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
    }

    func write(_ value: Bool) {
        if value {
            bytes.append(contentsOf: [UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "u"), UInt8(ascii: "e")])
        } else {
            bytes.append(
                contentsOf: [UInt8(ascii: "f"), UInt8(ascii: "a"), UInt8(ascii: "l"), UInt8(ascii: "s"), UInt8(ascii: "e")])
        }
    }

    func write<Integer: FixedWidthInteger>(integer value: Integer) {
        if value >= 0 && value < 10 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
        var text = value.description
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Writes a finite number as Foundation's `JSONEncoder` does (`1.0` as `1`); throws for
    /// NaN and infinity, which JSON cannot carry.
    func write<Number: BinaryFloatingPoint & CustomStringConvertible>(
        floatingPoint value: Number, codingPath: @autoclosure () -> [any CodingKey]
    ) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: codingPath(), debugDescription: "Unable to encode \(value) directly in JSON."))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Writes `value` as a JSON string, escaping quotes, backslashes and control characters.
    func write(string value: String) {
        var value = value
        value.withUTF8 { utf8 in
            bytes.append(UInt8(ascii: "\""))
            var start = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if start < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index])) }
                appendEscape(for: byte)
                start = index + 1
            }
            if start < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...])) }
            bytes.append(UInt8(ascii: "\""))
        }
    }

    // MARK: JSON trees

    /// Writes `value` as its `encode(to:)` does through ``PrefectJSONEncoder``, members in their
    /// order; a number JSON cannot carry throws with the coding path below `path`.
    func write(json value: JSONValue, path: () -> [any CodingKey]) throws {
        switch value {
        case .null: writeNull()
        case .bool(let bool): write(bool)
        case .int(let int): write(integer: int)
        case .double(let double): try write(floatingPoint: double, codingPath: path())
        case .string(let string): write(string: string)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                try write(json: element, path: { path() + [IndexCodingKey(index)] })
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            try write(jsonObject: members, path: path)
        }
    }

    func write(jsonObject members: JSONObject, path: () -> [any CodingKey]) throws {
        bytes.append(UInt8(ascii: "{"))
        var first = true
        for (key, member) in members {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            write(string: key)
            bytes.append(UInt8(ascii: ":"))
            try write(json: member, path: { path() + [JSONObject.MemberName(stringValue: key)] })
        }
        bytes.append(UInt8(ascii: "}"))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private func appendEscape(for byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let hex = Self.hexDigits
            bytes.append(contentsOf: [
                UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)],
            ])
        }
    }
}
