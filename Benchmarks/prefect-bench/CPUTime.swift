#if canImport(Glibc)
    import Glibc
    private let RUSAGE_SELF_WHO = RUSAGE_SELF.rawValue
#elseif canImport(Darwin)
    import Darwin
    private let RUSAGE_SELF_WHO = RUSAGE_SELF
#endif

/// User + system CPU seconds of this process, all threads (`getrusage(RUSAGE_SELF)`), the same
/// figure the Python benchmark reports.
enum CPUTime {
    static func now() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF_WHO, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
