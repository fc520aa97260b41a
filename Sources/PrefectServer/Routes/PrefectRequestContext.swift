import Hummingbird
import Logging

/// The request context of the embedded API: Hummingbird's core storage and the request's
/// logger, creatable from a network connection or, for the in-process transport, from a
/// logger alone.
struct PrefectRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
    }

    /// A context with no connection behind it.
    init(logger: Logger) {
        coreContext = CoreRequestContextStorage(source: LoggerSource(logger: logger))
    }

    /// The largest request body the API reads; a larger one is answered 413.
    var maxUploadSize: Int { APIBody.maximumSize }
}

private struct LoggerSource: RequestContextSource {
    let logger: Logger
}
