import NIOCore

/// Runs Swift concurrency jobs on one SwiftNIO event loop.
///
/// ``AsyncHTTPClientTransport`` runs each exchange with this as its task executor preference,
/// so AsyncHTTPClient's internal suspensions resume on the loop that owns the connection
/// instead of waking a thread of the global pool each time: about half the CPU per request.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
