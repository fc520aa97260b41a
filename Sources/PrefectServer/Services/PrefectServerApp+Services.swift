public import ServiceLifecycle

extension PrefectServerApp {
    /// The enabled background services on this app's database, as swift-service-lifecycle
    /// services to run beside ``PrefectServerService`` (they stop on graceful shutdown).
    public func backgroundServices(_ services: PrefectServerServices) -> [any Service] {
        var running: [any Service] = []
        let database = self.database
        if services.lateRuns.enabled {
            let after = services.lateRuns.afterSeconds
            running.append(PeriodicService(name: "late runs", interval: services.lateRuns.loopSeconds, logger: logger) { now, skipped in
                try await LateRuns.pass(database, afterSeconds: after, now: now, skipped: skipped)
            })
        }
        if services.pauseExpirations.enabled {
            running.append(PeriodicService(
                name: "pause expirations", interval: services.pauseExpirations.loopSeconds, logger: logger
            ) { now, skipped in
                try await PauseExpirations.pass(database, now: now, skipped: skipped)
            })
        }
        if services.cancellationCleanup.enabled {
            let timeout = services.cancellationCleanup.cancellingTimeoutSeconds
            running.append(PeriodicService(
                name: "cancellation clean-up", interval: services.cancellationCleanup.loopSeconds, logger: logger
            ) { now, skipped in
                try await CancellationCleanup.pass(database, cancellingTimeout: timeout, now: now, skipped: skipped)
            })
        }
        if services.scheduler.enabled {
            let settings = services.scheduler.settings
            running.append(PeriodicService(name: "scheduler", interval: services.scheduler.loopSeconds, logger: logger) { now, skipped in
                try await DeploymentScheduler.pass(database, settings, now: now, skipped: skipped)
            })
            let recent = services.scheduler.recentDeploymentsLoopSeconds
            running.append(PeriodicService(name: "recent deployments scheduler", interval: recent, logger: logger) { now, skipped in
                try await DeploymentScheduler.recentPass(database, settings, loopSeconds: recent, now: now, skipped: skipped)
            })
        }
        if services.repossessor.enabled {
            running.append(PeriodicService(name: "repossessor", interval: services.repossessor.loopSeconds, logger: logger) { now, skipped in
                try await Repossessor.pass(database, now: now, skipped: skipped)
            })
        }
        if services.foreman.enabled {
            let settings = Foreman.Settings(
                inactivityHeartbeatMultiple: services.foreman.inactivityHeartbeatMultiple,
                fallbackHeartbeatIntervalSeconds: services.foreman.fallbackHeartbeatIntervalSeconds,
                deploymentLastPolledTimeoutSeconds: services.foreman.deploymentLastPolledTimeoutSeconds,
                workQueueLastPolledTimeoutSeconds: services.foreman.workQueueLastPolledTimeoutSeconds)
            running.append(PeriodicService(name: "foreman", interval: services.foreman.loopSeconds, logger: logger) { now, skipped in
                try await Foreman.pass(database, settings, now: now, skipped: skipped)
            })
        }
        if services.triggers.enabled {
            let (stream, continuation) = AsyncStream<TriggeredAction>.makeStream()
            running.append(AutomationTriggers(
                database: database, actions: continuation, proactiveGranularity: services.triggers.proactiveGranularity,
                expiredBucketBuffer: services.triggers.expiredBucketBuffer, logger: logger))
            if services.actions.enabled {
                running.append(AutomationActions(app: self, actions: stream, logger: logger))
            } else {
                continuation.finish()
            }
        }
        return running
    }
}

extension PrefectServerServices.Scheduler {
    var settings: DeploymentScheduler.Settings {
        DeploymentScheduler.Settings(
            maxRuns: maxRuns, minRuns: minRuns, maxScheduledTime: maxScheduledTime, minScheduledTime: minScheduledTime,
            deploymentBatchSize: deploymentBatchSize, insertBatchSize: insertBatchSize)
    }
}
