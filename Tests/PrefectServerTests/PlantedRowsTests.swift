import Foundation
import GRDB
import HTTPTypes
import PrefectClient
import PrefectSchemas
import PrefectTestSupport
import Testing

/// Rows written straight into the database, around the API's validation (a hand edit, a bug
/// of an older version, a damaged file): the background services skip each one, log it once
/// with its id, and go on with the good rows; the server keeps answering and restarts healthy
/// on the same database.
@Suite("Bad rows planted in the database")
struct PlantedRowsTests {
    /// Every service on a 0.2 s loop, late runs after 1 s, cancellations time out after 1 s.
    static let fastServices: [String: String] = {
        var environment: [String: String] = [:]
        for name in [
            "LATE_RUNS", "PAUSE_EXPIRATIONS", "CANCELLATION_CLEANUP", "SCHEDULER", "REPOSSESSOR",
        ] {
            environment["PREFECT_SERVER_SERVICES_\(name)_LOOP_SECONDS"] = "0.2"
        }
        environment["PREFECT_SERVER_SERVICES_SCHEDULER_RECENT_DEPLOYMENTS_LOOP_SECONDS"] = "0.2"
        environment["PREFECT_SERVER_SERVICES_LATE_RUNS_AFTER_SECONDS"] = "1"
        environment["PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_CANCELLING_TIMEOUT_SECONDS"] = "1"
        return environment
    }()

    /// The good rows, made through the API before the bad ones are planted.
    struct GoodRows {
        var flowID = UUID()
        var deploymentID = UUID()
        var late = UUID()
        var paused = UUID()
        var cancelling = UUID()
        var cancelledParent = UUID()
        var orphanTask = UUID()
        var limitName = "planted-limit"
    }

    @Test("each service skips each bad row, logs it once, and handles the good rows; the server keeps serving and restarts healthy")
    func servicesSkipBadRows() async throws {
        let folder = try ScratchFolder("prefect-planted")
        defer { folder.remove() }
        let good = try await makeGoodRows(folder.database)
        let bad = try plantBadRows(folder.database, good: good)

        let server = try await ServerProcess(database: folder.database, environment: Self.fastServices)
        var stopped = false
        defer { if !stopped { server.kill(SIGKILL) } }
        let settings = folder.settings(apiURL: server.apiURL)
        try await withPrefectClient(settings: settings) { client in
            try await waitForGoodRowsHandled(client, good)
            // Every bad row is met by its service at least ten more times.
            try await Task.sleep(for: .seconds(2))
            #expect(server.process.isRunning, "the server is still running")
            #expect(await client.apiHealthcheck() == nil)
            for id in bad.runs {
                let status = try await client.http.send(.get, "/flow_runs/\(id)", raiseOnError: false).statusCode
                #expect(status == 200 || status == 500, "GET a planted run answered \(status)")
            }
            for (method, path) in [("POST", "/flow_runs/filter"), ("POST", "/deployments/filter"), ("POST", "/task_runs/filter"),
                                   ("GET", "/deployments/\(good.deploymentID)/schedules"), ("POST", "/v2/concurrency_limits/filter")] {
                let response = try await client.http.send(
                    method == "GET" ? .get : .post, path, body: method == "GET" ? nil : Data("{}".utf8), raiseOnError: false)
                #expect(response.statusCode < 600, "\(method) \(path)")
            }
            #expect(server.process.isRunning, "reads of the planted rows did not stop the server")
        }
        server.kill(SIGTERM)
        stopped = true
        let log = server.startupOutput + server.outputAfterExit()
        let skips = log.split(separator: "\n").filter { $0.contains("skipped a row it cannot handle") }
        for id in bad.skipped {
            #expect(skips.contains { $0.contains("id=\(id)") }, "the row \(id) was skipped and logged")
        }
        // Once per service and row, however many passes met it.
        let keys = skips.map { line -> String in
            let service = line.components(separatedBy: "] ").last?.components(separatedBy: " skipped").first ?? ""
            let id = line.firstMatch(of: /id=([0-9a-f-]+)/).map { String($0.output.1) } ?? ""
            return "\(service) \(id)"
        }
        #expect(keys.count == Set(keys).count, "a row was logged more than once by a service:\n\(skips.joined(separator: "\n"))")
        #expect(!log.contains("Fatal error"))

        let restarted = try await ServerProcess(database: folder.database)
        defer { restarted.kill(SIGTERM) }
        try await withPrefectClient(settings: folder.settings(apiURL: restarted.apiURL)) { client in
            #expect(await client.apiHealthcheck() == nil, "the server restarts healthy on the same database")
        }
    }

    @Test("the schedule the issue found (an interval of 5e-324 s) is refused with Prefect's error")
    func tinyIntervalRefused() async throws {
        try await withTestApp { _, client in
            let flowID = try await client.createFlowFromName("tiny-interval")
            let deploymentID = try await client.createDeployment(flowID: flowID, name: "d")
            let body = #"{"schedule": {"interval": 5e-324, "anchor_date": "2020-01-01T00:00:00Z", "timezone": "America/New_York"}, "active": true}"#
            let response = try await client.http.send(
                .post, "/deployments/\(deploymentID)/schedules", body: Data("[\(body)]".utf8), raiseOnError: false)
            #expect(response.statusCode == 422)
            #expect(response.text.contains("interval must be positive"))
        }
    }

    // MARK: the rows

    private func makeGoodRows(_ database: String) async throws -> GoodRows {
        var good = GoodRows()
        try await withTestApp(databasePath: database) { _, client in
            good.flowID = try await client.createFlowFromName("planted")
            good.deploymentID = try await client.createDeployment(
                flowID: good.flowID, name: "hourly",
                schedules: [DeploymentScheduleCreate(schedule: .interval(IntervalSchedule(interval: 3600)))])
            good.late = try await client.createFlowRun(
                flowID: good.flowID, state: .scheduled(at: Date().addingTimeInterval(-3600))).id
            good.paused = try await client.createFlowRun(flowID: good.flowID, state: .running()).id
            _ = try await client.setFlowRunState(
                flowRunID: good.paused, state: .paused(until: Date().addingTimeInterval(0.5)), force: true)
            good.cancelling = try await client.createFlowRun(flowID: good.flowID, state: .running()).id
            _ = try await client.setFlowRunState(flowRunID: good.cancelling, state: .cancelling(), force: true)
            good.cancelledParent = try await client.createFlowRun(flowID: good.flowID, state: .running()).id
            good.orphanTask = try await client.createTaskRun(
                taskKey: "left", flowRunID: good.cancelledParent, dynamicKey: "0", state: .running()).id
            _ = try await client.setFlowRunState(flowRunID: good.cancelledParent, state: .cancelled(), force: true)
            _ = try await client.createGlobalConcurrencyLimit(GlobalConcurrencyLimitCreate(name: good.limitName, limit: 2))
            _ = try await client.incrementConcurrencySlotsWithLease(names: [good.limitName], slots: 1, leaseDuration: 60)
        }
        // The good lease has expired.
        let queue = try DatabaseQueue(path: database)
        try await queue.write { try $0.execute(sql: "UPDATE concurrency_lease SET expiration = 0") }
        return good
    }

    struct BadRows {
        /// Planted flow runs (read back through the API).
        var runs: [String] = []
        /// The rows a service must skip and log.
        var skipped: [String] = []
    }

    private func plantBadRows(_ database: String, good: GoodRows) throws -> BadRows {
        var bad = BadRows()
        let queue = try DatabaseQueue(path: database)
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        try queue.write { db in
            func run(_ columns: [String: (any DatabaseValueConvertible)?], skippedByAService: Bool) throws {
                let id = UUID().uuidString.lowercased()
                var all: [String: (any DatabaseValueConvertible)?] = [
                    "id": id, "flow_id": good.flowID.uuidString.lowercased(), "name": "planted-\(id.prefix(4))", "created": now,
                    "updated": now, "tags": "[]", "body": Data("{}".utf8),
                ]
                all.merge(columns) { _, planted in planted }
                let names = all.keys.sorted()
                try db.execute(
                    sql: "INSERT INTO flow_run (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))",
                    arguments: StatementArguments(names.map { all[$0] ?? nil }))
                bad.runs.append(id)
                if skippedByAService { bad.skipped.append(id) }
            }
            // Late runs: a due Scheduled run whose body is not JSON, and one whose body lacks members.
            try run(["body": Data("garbage".utf8), "state_type": "SCHEDULED", "state_name": "Scheduled",
                     "next_scheduled_start_time": now - 3_600_000_000], skippedByAService: true)
            try run(["body": Data(#"{"state":{"type":"SCHEDULED"}}"#.utf8), "state_type": "SCHEDULED", "state_name": "Scheduled",
                     "next_scheduled_start_time": Int64.min], skippedByAService: true)
            // Pause expirations: a Paused run whose body is a list.
            try run(["body": Data("[1]".utf8), "state_type": "PAUSED", "state_name": "Paused"], skippedByAService: true)
            // Cancellation clean-up: a run Cancelling since the epoch whose body is cut short.
            try run(["body": Data("{".utf8), "state_type": "CANCELLING", "state_name": "Cancelling", "state_timestamp": 0],
                    skippedByAService: true)
            // Reads: times at the ends of Int64, a time that is text, an infinite run time.
            try run(["state_type": "RUNNING", "state_name": "Running", "state_timestamp": Int64.min, "start_time": Int64.max,
                     "expected_start_time": Int64.min], skippedByAService: false)
            try run(["state_type": "RUNNING", "state_name": "Running", "state_timestamp": "abc"], skippedByAService: false)
            try run(["total_run_time": Double.infinity], skippedByAService: false)
            // A task run of the cancelled flow run that cannot be read.
            let task = UUID().uuidString.lowercased()
            try db.execute(
                sql: """
                    INSERT INTO task_run (id, flow_run_id, task_key, dynamic_key, name, created, updated, state_type, tags, body)
                    VALUES (?, ?, 'planted', '0', 'planted', ?, ?, 'RUNNING', '[]', ?)
                    """,
                arguments: [task, good.cancelledParent.uuidString.lowercased(), now, now, Data("not json".utf8)])
            bad.skipped.append(task)
            // Schedules: the issue's interval, a negative one, one past timedelta.max, text, a bad cron.
            for schedule in [
                #"{"interval": 5e-324, "anchor_date": "2020-01-01T00:00:00Z", "timezone": "America/New_York"}"#,
                #"{"interval": -5, "anchor_date": "2020-01-01T00:00:00Z", "timezone": "UTC"}"#,
                #"{"interval": 1e300, "anchor_date": "0001-01-01T00:00:00Z", "timezone": "UTC"}"#,
                "garbage", #"{"cron": "* * * * * * * *", "timezone": "UTC"}"#,
            ] {
                let id = UUID().uuidString.lowercased()
                try db.execute(
                    sql: """
                        INSERT INTO deployment_schedule (id, deployment_id, created, updated, schedule, active, parameters)
                        VALUES (?, ?, ?, ?, ?, 1, '{}')
                        """,
                    arguments: [id, good.deploymentID.uuidString.lowercased(), now, now, schedule])
                bad.skipped.append(id)
            }
            // A valid interval of 999,999,999 days anchored at the end of time: no date to make, no crash.
            try db.execute(
                sql: """
                    INSERT INTO deployment_schedule (id, deployment_id, created, updated, schedule, active, parameters)
                    VALUES (?, ?, ?, ?, ?, 1, '{}')
                    """,
                arguments: [UUID().uuidString.lowercased(), good.deploymentID.uuidString.lowercased(), now, now,
                            #"{"interval": 86399999999999, "anchor_date": "9999-12-31T00:00:00Z", "timezone": "Europe/Paris"}"#])
            try db.execute(sql: "UPDATE deployment SET updated = ?", arguments: [now])
            // Repossessor: expired leases whose limits are not a list, whose slots are text.
            for (limits, slots) in [("garbage", "1"), (#"["x"]"#, "x")] {
                let id = UUID().uuidString.lowercased()
                try db.execute(
                    sql: "INSERT INTO concurrency_lease (id, resource_ids, expiration, slots) VALUES (?, ?, 0, ?)",
                    arguments: [id, limits, slots])
                bad.skipped.append(id)
            }
        }
        return bad
    }

    /// Waits (20 s at most) until every service has handled its good rows.
    private func waitForGoodRowsHandled(_ client: PrefectClient, _ good: GoodRows) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        var pending: [String] = []
        repeat {
            pending = []
            if try await client.readFlowRun(flowRunID: good.late).stateName != "Late" { pending.append("late run") }
            if try await client.readFlowRun(flowRunID: good.paused).stateType != .failed { pending.append("expired pause") }
            if try await client.readFlowRun(flowRunID: good.cancelling).stateType != .cancelled { pending.append("cancelling timeout") }
            if try await client.readTaskRun(taskRunID: good.orphanTask).stateType != .cancelled { pending.append("orphan task run") }
            let scheduled = try await client.readFlowRuns(
                flowRunFilter: FlowRunFilter(deploymentID: FlowRunFilterDeploymentId(any: [good.deploymentID])))
            if scheduled.count < 3 { pending.append("scheduled runs (\(scheduled.count))") }
            if try await client.readGlobalConcurrencyLimitByName(good.limitName).activeSlots != 0 { pending.append("expired lease") }
            if pending.isEmpty { return }
            try await Task.sleep(for: .milliseconds(200))
        } while ContinuousClock.now < deadline
        Issue.record("good rows not handled within 20 s: \(pending)")
    }
}
