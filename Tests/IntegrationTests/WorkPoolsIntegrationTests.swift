import Foundation
import PrefectClient
import Testing

@Suite("Work pools, queues and workers on every server")
struct WorkPoolsIntegrationTests {
    @Test("work pools: create, conflict, overwrite, read, filter, update, concurrency status, delete", arguments: ServerUnderTest.available)
    func workPools(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let name = IntegrationServer.uniqueName("pool")
            let pool = try await client.createWorkPool(WorkPoolCreate(name: name, description: "first", type: "process"))
            #expect(pool.name == name)
            #expect(pool.type == "process")
            #expect(pool.defaultQueueID != nil)

            await #expect(throws: ObjectAlreadyExists.self) {
                try await client.createWorkPool(WorkPoolCreate(name: name, type: "process"))
            }
            let overwritten = try await client.createWorkPool(
                WorkPoolCreate(name: name, description: "second", type: "process", concurrencyLimit: 4), overwrite: true)
            #expect(overwritten.id == pool.id)
            #expect(overwritten.description == "second")
            #expect(overwritten.concurrencyLimit == 4)

            #expect(try await client.readWorkPool(workPoolName: name).id == pool.id)
            let filtered = try await client.readWorkPools(workPoolFilter: WorkPoolFilter(name: WorkPoolFilterName(any: [name])))
            #expect(filtered.map(\.id) == [pool.id])
            var paged: [UUID] = []
            for try await item in client.allWorkPools(workPoolFilter: WorkPoolFilter(name: WorkPoolFilterName(any: [name]))) {
                paged.append(item.id)
            }
            #expect(paged == [pool.id])

            try await client.updateWorkPool(workPoolName: name, workPool: WorkPoolUpdate(isPaused: true, concurrencyLimit: 7))
            let updated = try await client.readWorkPool(workPoolName: name)
            #expect(updated.isPaused)
            #expect(updated.concurrencyLimit == 7)
            #expect(updated.description == "second")

            let status = try await client.readWorkPoolConcurrencyStatus(workPoolName: name)
            #expect(status.concurrencyLimit == 7)
            #expect(status.activeSlots == 0)
            #expect(status.page == 1)

            try await client.deleteWorkPool(workPoolName: name)
            await #expect(throws: ObjectNotFound.self) { try await client.readWorkPool(workPoolName: name) }
            await #expect(throws: ObjectNotFound.self) { try await client.deleteWorkPool(workPoolName: name) }
            await #expect(throws: ObjectNotFound.self) {
                try await client.updateWorkPool(workPoolName: name, workPool: WorkPoolUpdate(isPaused: false))
            }
        }
    }

    @Test("work queues: create, read by id and name, filter, match, update, status, runs, delete", arguments: ServerUnderTest.available)
    func workQueues(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let poolName = IntegrationServer.uniqueName("qpool")
            _ = try await client.createWorkPool(WorkPoolCreate(name: poolName, type: "process"))
            // Unique queue names: the server's get_runs matches queues by name across pools.
            let prefix = IntegrationServer.uniqueName("high")
            let urgentName = "\(prefix)-priority"
            let volumeName = "\(prefix)-volume"
            let queue = try await client.createWorkQueue(
                name: urgentName, description: "urgent", concurrencyLimit: 2, priority: 1, workPoolName: poolName)
            let lowQueue = try await client.createWorkQueue(name: volumeName, priority: 5, workPoolName: poolName)
            #expect(queue.name == urgentName)
            #expect(queue.concurrencyLimit == 2)
            await #expect(throws: ObjectAlreadyExists.self) {
                try await client.createWorkQueue(name: urgentName, workPoolName: poolName)
            }
            await #expect(throws: ObjectNotFound.self) {
                try await client.createWorkQueue(name: "q", workPoolName: IntegrationServer.uniqueName("missing"))
            }

            #expect(try await client.readWorkQueue(id: queue.id).name == urgentName)
            #expect(try await client.readWorkQueueByName(name: urgentName, workPoolName: poolName).id == queue.id)
            let inPool = try await client.readWorkQueues(workPoolName: poolName)
            #expect(Set(inPool.map(\.name)) == ["default", urgentName, volumeName])
            let filtered = try await client.readWorkQueues(
                workPoolName: poolName, workQueueFilter: WorkQueueFilter(name: WorkQueueFilterName(any: [volumeName])))
            #expect(filtered.map(\.id) == [lowQueue.id])
            let matched = try await client.matchWorkQueues(prefixes: [prefix], workPoolName: poolName)
            #expect(Set(matched.map(\.id)) == [queue.id, lowQueue.id])

            try await client.updateWorkQueue(id: queue.id, update: WorkQueueUpdate(description: "changed", isPaused: true))
            let updated = try await client.readWorkQueue(id: queue.id)
            #expect(updated.description == "changed")
            #expect(updated.isPaused)
            await #expect(throws: PrefectArgumentError.self) {
                try await client.updateWorkQueue(id: queue.id, update: WorkQueueUpdate())
            }

            let status = try await client.readWorkQueueStatus(id: queue.id)
            #expect(status.lateRunsCount == 0)
            let concurrency = try await client.readWorkQueueConcurrencyStatus(id: queue.id)
            #expect(concurrency.concurrencyLimit == 2)
            #expect(concurrency.activeSlots == 0)

            let flowID = try await client.createFlowFromName(IntegrationServer.uniqueName("queued"))
            // An idempotency key keeps a retried create (after a 503 from SQLite) from adding a second run.
            let run = try await client.createFlowRun(
                flowID: flowID, state: .scheduled(at: Date()), workPoolName: poolName, workQueueName: volumeName,
                idempotencyKey: IntegrationServer.uniqueName("queued-run"))
            #expect(run.workQueueID == lowQueue.id)
            #expect(run.workPoolName == poolName)
            let toDefault = try await client.createFlowRun(flowID: flowID, workPoolName: poolName)
            #expect(toDefault.workQueueName == "default")
            let queued = try await client.getRunsInWorkQueue(id: lowQueue.id, scheduledBefore: Date().addingTimeInterval(60))
            #expect(queued.map(\.id) == [run.id])
            let polled = try await client.getScheduledFlowRunsForWorkPool(
                workPoolName: poolName, workQueueNames: [volumeName], scheduledBefore: Date().addingTimeInterval(60))
            #expect(polled.map(\.flowRun.id) == [run.id])
            #expect(polled.first?.workQueueID == lowQueue.id)

            try await client.deleteWorkQueueByID(id: queue.id)
            await #expect(throws: ObjectNotFound.self) { try await client.readWorkQueue(id: queue.id) }
            await #expect(throws: ObjectNotFound.self) { try await client.deleteWorkQueueByID(id: queue.id) }
        }
    }

    @Test("workers: heartbeat, read, metadata", arguments: ServerUnderTest.available)
    func workers(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let poolName = IntegrationServer.uniqueName("wpool")
            let pool = try await client.createWorkPool(WorkPoolCreate(name: poolName, type: "process"))
            let id = try await client.sendWorkerHeartbeat(
                workPoolName: poolName, workerName: "swift-worker-1", heartbeatIntervalSeconds: 30, getWorkerID: true)
            try await client.sendWorkerHeartbeat(workPoolName: poolName, workerName: "swift-worker-2")
            let workers = try await client.readWorkersForWorkPool(workPoolName: poolName)
            #expect(Set(workers.map(\.name)) == ["swift-worker-1", "swift-worker-2"])
            #expect(workers.allSatisfy { $0.workPoolID == pool.id && $0.status == .online })
            if let id { #expect(workers.contains { $0.id == id }) }
            let one = try await client.readWorkersForWorkPool(
                workPoolName: poolName,
                workerFilter: WorkerFilter(status: WorkerFilterStatus(any: ["ONLINE"])), limit: 1)
            #expect(one.count == 1)
            await #expect(throws: ObjectNotFound.self) {
                try await client.readWorkersForWorkPool(workPoolName: IntegrationServer.uniqueName("missing"))
            }
            // Offline, Prefect answers with the worker metadata it ships; so does the embedded server.
            let metadata = try await client.readWorkerMetadata()
            let process = metadata["prefect"]?["process"]
            #expect(process?["type"] == "process")
            #expect(process?["default_base_job_configuration"]?["job_configuration"]?["command"] == "{{ command }}")
        }
    }
}
