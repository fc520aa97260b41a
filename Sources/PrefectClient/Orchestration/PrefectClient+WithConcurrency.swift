import Foundation
import HTTPTypes
import Logging
import PrefectSchemas

extension PrefectClient {
    /// Runs `body` while holding `occupy` slots of each global limit in `names`: Prefect's
    /// `concurrency()` context manager (`prefect/concurrency/asyncio.py`).
    ///
    /// The slots are taken under a lease of `leaseDuration` seconds, waiting as the server's
    /// 423 `Retry-After` says while they are taken (at most `timeout`, or `maxRetries` retries);
    /// the lease is renewed every ¾ of its duration while `body` runs (each renewal tried three
    /// times) and released when `body` returns, throws or is cancelled. Names with no limit are
    /// skipped, unless `strict`.
    ///
    /// - Parameters:
    ///   - strict: throw when none of the limits exists, and cancel `body` when the lease
    ///     cannot be renewed (Prefect's `raise_on_lease_renewal_failure` default).
    ///   - holder: who holds the slots (a flow run, task run or deployment), shown by the server.
    ///   - suppressWarnings: no warning when none of the limits exists (`suppress_warnings`).
    /// - Throws: ``ConcurrencySlotAcquisitionError`` when the slots cannot be had; what `body` throws.
    public func withConcurrency<T: Sendable>(
        _ names: [String], occupy: Int = 1, timeout: Duration? = nil, maxRetries: Int? = nil, leaseDuration: Double = 300,
        strict: Bool = false, holder: ConcurrencyLeaseHolder? = nil, suppressWarnings: Bool = false,
        body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        guard !names.isEmpty else { return try await body() }
        let sorted = names.sorted()
        let grant = try await acquireSlotsWithLease(
            sorted, occupy: occupy, timeout: timeout, maxRetries: maxRetries, leaseDuration: leaseDuration, holder: holder)
        guard !grant.limits.isEmpty else {
            if strict { throw ConcurrencySlotAcquisitionError(names: sorted, reason: .limitsMissing) }
            if !suppressWarnings { logger.warning("Concurrency limits \(sorted) do not exist - skipping acquisition.") }
            return try await body()
        }
        do {
            let result = try await whileRenewing(grant.leaseID, leaseDuration: leaseDuration, strict: strict, names: sorted, body: body)
            await releaseUncancelled(grant.leaseID)
            return result
        } catch {
            await releaseUncancelled(grant.leaseID)
            throw error
        }
    }

    /// ``withConcurrency(_:occupy:timeout:maxRetries:leaseDuration:strict:holder:body:)`` on one limit.
    public func withConcurrency<T: Sendable>(
        _ name: String, occupy: Int = 1, timeout: Duration? = nil, maxRetries: Int? = nil, leaseDuration: Double = 300,
        strict: Bool = false, holder: ConcurrencyLeaseHolder? = nil, body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withConcurrency(
            [name], occupy: occupy, timeout: timeout, maxRetries: maxRetries, leaseDuration: leaseDuration, strict: strict,
            holder: holder, body: body)
    }

    /// `ConcurrencySlotAcquisitionWithLeaseService.acquire`: asks until granted, sleeping as
    /// each 423's `Retry-After` says.
    private func acquireSlotsWithLease(
        _ names: [String], occupy: Int, timeout: Duration?, maxRetries: Int?, leaseDuration: Double, holder: ConcurrencyLeaseHolder?
    ) async throws -> ConcurrencyLimitWithLeaseResponse {
        let clock = ContinuousClock()
        let deadline = timeout.map { clock.now.advanced(by: $0) }
        var retriesLeft = maxRetries
        while true {
            if let deadline, clock.now >= deadline, let timeout {
                throw ConcurrencySlotAcquisitionError(names: names, reason: .timedOut(seconds: timeout.seconds))
            }
            let grant: ConcurrencyLimitWithLeaseResponse
            do {
                grant = try await incrementConcurrencySlotsWithLease(
                    names: names, slots: occupy, leaseDuration: leaseDuration, holder: holder)
            } catch let error as PrefectHTTPStatusError where error.statusCode == 423 {
                if let left = retriesLeft, left <= 0 {
                    throw ConcurrencySlotAcquisitionError(names: names, reason: .retriesExhausted, httpError: error)
                }
                retriesLeft = retriesLeft.map { $0 - 1 }
                var wait = error.response.headerFields[.retryAfter].flatMap { RetryPolicy.parseRetryAfter($0) } ?? 1
                if let deadline, let timeout {
                    let remaining = (deadline - clock.now).seconds
                    guard remaining > 0 else { throw ConcurrencySlotAcquisitionError(names: names, reason: .timedOut(seconds: timeout.seconds)) }
                    wait = min(wait, remaining)
                }
                logger.debug("Unable to acquire concurrency slot with lease for \(names). Retrying in \(wait) second(s).")
                try await Task.sleep(for: .wait(seconds: wait))
                continue
            } catch let error as PrefectHTTPStatusError {
                throw ConcurrencySlotAcquisitionError(names: names, reason: .refused, httpError: error)
            }
            if Task.isCancelled {
                // Granted to a caller that is gone: give the slots back now rather than at expiry.
                await releaseUncancelled(grant.leaseID)
                throw CancellationError()
            }
            return grant
        }
    }

    /// Runs `body` beside a loop renewing the lease; a renewal that fails three times cancels
    /// `body` when `strict`, else is logged and the body runs on.
    private func whileRenewing<T: Sendable>(
        _ leaseID: UUID, leaseDuration: Double, strict: Bool, names: [String], body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                do {
                    try await self.renewLease(leaseID, leaseDuration: leaseDuration)
                } catch is CancellationError {
                    return nil
                } catch {
                    guard strict else {
                        self.logger.warning(
                            "Concurrency lease renewal failed - slots are no longer reserved. Execution will continue, but concurrency limits may be exceeded. Lease ID: \(leaseID.prefectString), exception: \(error)")
                        return nil
                    }
                    self.logger.error(
                        "Concurrency lease renewal failed - slots are no longer reserved. Terminating execution to prevent over-allocation. Lease ID: \(leaseID.prefectString), exception: \(error)")
                    throw ConcurrencySlotAcquisitionError(names: names, reason: .leaseLost, httpError: error as? PrefectHTTPStatusError)
                }
                return nil
            }
            defer { group.cancelAll() }
            while let finished = try await group.next() {
                if let result = finished { return result }
            }
            throw CancellationError()
        }
    }

    /// `_lease_renewal_loop`: every ¾ of the lease's duration, renew it (three attempts with
    /// backoff of 1 s, 2 s, … at most 10 s) until cancelled.
    private func renewLease(_ leaseID: UUID, leaseDuration: Double) async throws {
        while true {
            try await Task.sleep(for: .wait(seconds: leaseDuration * 0.75))
            var attempt = 0
            while true {
                do {
                    try await renewConcurrencyLease(leaseID: leaseID, leaseDuration: leaseDuration)
                    break
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    attempt += 1
                    guard attempt < 3 else { throw error }
                    let delay = min(10, pow(2, Double(attempt - 1))) * Double.random(in: 0.5...1)
                    logger.warning("Attempt \(attempt) of function 'concurrency lease renewal' failed with \(error). Retrying in \(delay) seconds...")
                    try await Task.sleep(for: .wait(seconds: delay))
                }
            }
        }
    }

    /// Releases the lease from a task of its own, so a cancelled caller still gives its slots back.
    private func releaseUncancelled(_ leaseID: UUID) async {
        let release = Task { [self] in
            do {
                try await releaseConcurrencySlotsWithLease(leaseID: leaseID)
            } catch {
                logger.warning("Failed to release concurrency lease \(leaseID.prefectString): \(error)")
            }
        }
        await release.value
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
