import Foundation
import PrefectClient
@testable import PrefectServer
import Testing

/// The scheduler service on a real database: the runs it makes for a deployment's schedules,
/// never twice for a slot (across passes and restarts), and how long it holds the writer.
@Suite("Scheduler service")
struct SchedulerServiceTests {
    private func withDatabase(_ body: (String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scheduler-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory.appendingPathComponent("prefect.db").path)
    }

    @Test("a pass makes each active schedule's runs, as Prefect's scheduler makes them; again and after a restart, none twice")
    func passMakesRunsOnce() async throws {
        try await withDatabase { path in
            // Whole seconds, so the anchor (stored to the microsecond) is exactly now.
            let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
            var deploymentID = UUID()
            try await withTestApp(databasePath: path) { app, client in
                let pool = "sched-pool"
                _ = try await client.createWorkPool(WorkPoolCreate(name: pool, type: "process"))
                let flowID = try await client.createFlowFromName("scheduled-flow")
                deploymentID = try await client.createDeployment(
                    flowID: flowID, name: "every-ten-minutes", version: "3",
                    schedules: [
                        DeploymentScheduleCreate(schedule: .interval(IntervalSchedule(interval: 600, anchorDate: now, timezone: "UTC"))),
                        DeploymentScheduleCreate(schedule: .cron(CronSchedule(cron: "0 9 * * *", timezone: "Europe/Paris")), active: false),
                    ],
                    parameters: ["region": "eu"], workPoolName: pool, tags: ["nightly"])
                let paused = try await client.createDeployment(
                    flowID: flowID, name: "paused",
                    schedules: [DeploymentScheduleCreate(schedule: .interval(IntervalSchedule(interval: 60)))], paused: true)

                let made = try await DeploymentScheduler.pass(app.database, DeploymentScheduler.Settings(), now: now)
                // Ten-minute slots from now until both minimums hold: 3 runs and one an hour away.
                let expected = ScheduleDates.dates(
                    .object(["interval": 600, "anchor_date": .string(PrefectDate.format(now)), "timezone": "UTC"]),
                    count: 100, start: now, end: now.addingTimeInterval(100 * 86_400))?.prefix(7) ?? []
                #expect(made == expected.count)
                let runs = try await client.readFlowRuns(
                    flowRunFilter: FlowRunFilter(deploymentID: FlowRunFilterDeploymentId(any: [deploymentID])),
                    sort: .expectedStartTimeAsc)
                #expect(runs.map { $0.expectedStartTime.map(PrefectDate.format) } == expected.map(PrefectDate.format))
                let first = try #require(runs.first)
                #expect(first.stateName == "Scheduled" && first.state?.message == "Flow run scheduled")
                #expect(first.autoScheduled && first.tags == ["auto-scheduled", "nightly"] && first.parameters == ["region": "eu"])
                #expect(first.deploymentVersion == "3" && first.workPoolName == pool && first.createdBy?.type == "SCHEDULE")
                #expect(first.createdBy?.displayValue == "IntervalSchedule")
                #expect(first.labels["prefect.deployment.id"] == .string(deploymentID.prefectString))
                #expect(try await client.readFlowRuns(
                    flowRunFilter: FlowRunFilter(deploymentID: FlowRunFilterDeploymentId(any: [paused]))).isEmpty)

                #expect(try await DeploymentScheduler.pass(app.database, DeploymentScheduler.Settings(), now: now) == 0)
                #expect(try await DeploymentScheduler.recentPass(
                    app.database, DeploymentScheduler.Settings(), loopSeconds: 5, now: now) == 0, "the recent pass finds every slot taken")
            }
            try await withTestApp(databasePath: path) { app, client in
                // A restart: a new app on the same database, and a pass a little later.
                let later = now.addingTimeInterval(1)
                _ = try await DeploymentScheduler.recentPass(app.database, DeploymentScheduler.Settings(), loopSeconds: 5, now: later)
                _ = try await DeploymentScheduler.pass(app.database, DeploymentScheduler.Settings(minRuns: 10), now: later)
                let runs = try await client.readFlowRuns(
                    flowRunFilter: FlowRunFilter(deploymentID: FlowRunFilterDeploymentId(any: [deploymentID])), limit: 200)
                let slots = runs.compactMap(\.expectedStartTime)
                #expect(Set(slots).count == slots.count, "no slot has two runs")
                // From a second later the first slot is past: ten future slots, four of them new.
                #expect(runs.count == 11, "a larger minimum adds the missing slots only")
            }
        }
    }

    @Test("pausing a deployment deletes its auto-scheduled runs; a changed schedule's future runs are remade")
    func pauseAndChangeDeleteRuns() async throws {
        try await withDatabase { path in
            try await withTestApp(databasePath: path) { app, client in
                let flowID = try await client.createFlowFromName("rescheduled")
                let deploymentID = try await client.createDeployment(
                    flowID: flowID, name: "hourly",
                    schedules: [DeploymentScheduleCreate(schedule: .interval(IntervalSchedule(interval: 3600)))])
                let filter = FlowRunFilter(deploymentID: FlowRunFilterDeploymentId(any: [deploymentID]))
                #expect(try await DeploymentScheduler.pass(app.database, DeploymentScheduler.Settings(), now: Date()) == 3)
                let manual = try await client.createFlowRunFromDeployment(deploymentID: deploymentID)
                try await client.pauseDeployment(deploymentID: deploymentID)
                #expect(try await client.readFlowRuns(flowRunFilter: filter).map(\.id) == [manual.id], "only the manual run stays")
                #expect(try await DeploymentScheduler.pass(app.database, DeploymentScheduler.Settings(), now: Date()) == 0)
                try await client.resumeDeployment(deploymentID: deploymentID)
                #expect(try await DeploymentScheduler.pass(app.database, DeploymentScheduler.Settings(), now: Date()) == 3)
                let schedule = try #require(try await client.readDeploymentSchedules(deploymentID: deploymentID).first)
                try await client.updateDeploymentSchedule(
                    deploymentID: deploymentID, scheduleID: schedule.id, schedule: .interval(IntervalSchedule(interval: 7200)))
                #expect(try await client.readFlowRuns(flowRunFilter: filter).count == 1, "the old schedule's future runs are gone")
                #expect(try await DeploymentScheduler.pass(app.database, DeploymentScheduler.Settings(), now: Date()) == 3)
            }
        }
    }

    /// How long requests wait meanwhile is measured by `Benchmarks/scheduler_stall.py` (a
    /// release build, no other tests beside it), not here.
    @Test("while a pass makes 1,000 runs in short writes, API requests keep being answered")
    func largePassDoesNotStallRequests() async throws {
        try await withDatabase { path in
            try await withTestApp(databasePath: path) { app, client in
                let flowID = try await client.createFlowFromName("busy")
                let deploymentIDs = try await (0..<10).asyncMap { index in
                    try await client.createDeployment(
                        flowID: flowID, name: "busy-\(index)",
                        schedules: [DeploymentScheduleCreate(schedule: .interval(IntervalSchedule(interval: 60)))])
                }
                let settings = DeploymentScheduler.Settings(maxRuns: 100, minRuns: 100, minScheduledTime: 0)
                let pass = Task { try await DeploymentScheduler.pass(app.database, settings, now: Date()) }
                var answered: [UUID] = []
                while try await client.countFlowRuns(
                    flowRunFilter: FlowRunFilter(deploymentID: FlowRunFilterDeploymentId(any: deploymentIDs))) < 1000
                {
                    answered.append(try await client.createFlowRun(flowID: flowID, state: .pending()).id)
                }
                #expect(try await pass.value == 1000)
                for id in answered { #expect(try await client.readFlowRun(flowRunID: id).stateType == .pending) }
            }
        }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
