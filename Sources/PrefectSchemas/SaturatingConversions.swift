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

extension Duration {
    /// The longest wait: about 31 years, far inside what `Task.sleep` can count in nanoseconds.
    package static let longestWait = Duration.seconds(1_000_000_000)

    /// `seconds` as a duration to wait, held within 0…``longestWait`` (NaN as 0):
    /// `Duration.seconds(_: Double)` traps outside its range, and a wait may come from a
    /// response (`Retry-After`, a `WAIT`'s `delay_seconds`), a setting or a user's flow.
    package static func wait(seconds: Double) -> Duration {
        guard seconds > 0 else { return .zero }
        guard seconds < 1_000_000_000 else { return longestWait }
        return .seconds(seconds)
    }
}
