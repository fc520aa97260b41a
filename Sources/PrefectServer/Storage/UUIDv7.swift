import Foundation
import PrefectSchemas

extension UUID {
    /// A time-ordered UUID (RFC 9562 version 7), as Prefect gives states and logs: 48 bits of
    /// Unix milliseconds, then random bits, so ids sort by creation time.
    static func version7(at date: Date = Date()) -> UUID {
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        let (high, low) = KernelRandomBytes.shared.next128()
        return UUID(uuid: (
            UInt8(truncatingIfNeeded: millis >> 40), UInt8(truncatingIfNeeded: millis >> 32),
            UInt8(truncatingIfNeeded: millis >> 24), UInt8(truncatingIfNeeded: millis >> 16),
            UInt8(truncatingIfNeeded: millis >> 8), UInt8(truncatingIfNeeded: millis),
            0x70 | UInt8(truncatingIfNeeded: high >> 60), UInt8(truncatingIfNeeded: high >> 52),
            0x80 | (UInt8(truncatingIfNeeded: high >> 44) & 0x3F), UInt8(truncatingIfNeeded: high >> 36),
            UInt8(truncatingIfNeeded: low >> 56), UInt8(truncatingIfNeeded: low >> 48),
            UInt8(truncatingIfNeeded: low >> 40), UInt8(truncatingIfNeeded: low >> 32),
            UInt8(truncatingIfNeeded: low >> 24), UInt8(truncatingIfNeeded: low >> 16)))
    }
}
