public import Foundation

extension UUID {
    /// The UUID in lower case, as Prefect writes ids (`uuidString.lowercased()`, without the
    /// formatting and case-mapping passes).
    public var prefectString: String {
        let digits: StaticString = "0123456789abcdef"
        return withUnsafeBytes(of: uuid) { raw in
            digits.withUTF8Buffer { hex in
                String(unsafeUninitializedCapacity: 36) { out in
                    var position = 0
                    for (index, byte) in raw.enumerated() {
                        if index == 4 || index == 6 || index == 8 || index == 10 {
                            out[position] = UInt8(ascii: "-")
                            position += 1
                        }
                        out[position] = hex[Int(byte >> 4)]
                        out[position + 1] = hex[Int(byte & 0x0F)]
                        position += 2
                    }
                    return position
                }
            }
        }
    }
}
