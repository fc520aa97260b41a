/// Conversions of floating-point values that came from a request, a database row or the
/// network into integers, which never trap: Swift's `Int64(_: Double)` traps on NaN, on
/// infinities and outside the integer's range.
extension Int64 {
    /// `value` rounded toward zero and held within `Int64`'s range; 0 for NaN.
    package init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= 0x1p63 {
            self = .max
        } else if value <= -0x1p63 {
            self = .min
        } else {
            self = Int64(value.rounded(.towardZero))
        }
    }
}

extension Int {
    /// `value` rounded toward zero and held within `Int`'s range; 0 for NaN.
    package init(saturating value: Double) {
        self = Int(truncatingIfNeeded: Int64(saturating: value))
    }
}
