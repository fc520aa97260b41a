#if canImport(Glibc)
    import Glibc
    private let rusageSelf = RUSAGE_SELF.rawValue
#elseif canImport(Darwin)
    import Darwin
    private let rusageSelf = RUSAGE_SELF
#endif

/// User and system CPU seconds of this process, all threads (`getrusage(RUSAGE_SELF)`), the
/// same figure the Python benchmark reports.
enum CPUTime {
    struct Sample: Sendable {
        var user: Double
        var system: Double
    }

    static func sample() -> Sample {
        var usage = rusage()
        getrusage(__rusage_who_t(rusageSelf), &usage)
        return Sample(
            user: Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6,
            system: Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6)
    }

    static func now() -> Double {
        let sample = sample()
        return sample.user + sample.system
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
