extension PrefectClient {
    /// Every flow run matching the filters, read `pageSize` at a time (see ``readFlowRuns(flowFilter:flowRunFilter:taskRunFilter:deploymentFilter:workPoolFilter:workQueueFilter:sort:limit:offset:)``).
    ///
    /// - Parameter sort: keep it stable (the default sorts by id) so pages do not overlap.
    public func allFlowRuns(
        flowFilter: FlowFilter? = nil, flowRunFilter: FlowRunFilter? = nil, taskRunFilter: TaskRunFilter? = nil,
        deploymentFilter: DeploymentFilter? = nil, workPoolFilter: WorkPoolFilter? = nil,
        workQueueFilter: WorkQueueFilter? = nil, sort: FlowRunSort = .idDesc, pageSize: Int = 200
    ) -> PaginatedSequence<FlowRun> {
        PaginatedSequence(pageSize: pageSize) { [self] offset, limit in
            try await readFlowRuns(
                flowFilter: flowFilter, flowRunFilter: flowRunFilter, taskRunFilter: taskRunFilter,
                deploymentFilter: deploymentFilter, workPoolFilter: workPoolFilter, workQueueFilter: workQueueFilter,
                sort: sort, limit: limit, offset: offset)
        }
    }

    /// Every flow matching the filters, read `pageSize` at a time.
    public func allFlows(
        flowFilter: FlowFilter? = nil, flowRunFilter: FlowRunFilter? = nil, taskRunFilter: TaskRunFilter? = nil,
        deploymentFilter: DeploymentFilter? = nil, sort: FlowSort = .nameAsc, pageSize: Int = 200
    ) -> PaginatedSequence<Flow> {
        PaginatedSequence(pageSize: pageSize) { [self] offset, limit in
            try await readFlows(
                flowFilter: flowFilter, flowRunFilter: flowRunFilter, taskRunFilter: taskRunFilter,
                deploymentFilter: deploymentFilter, sort: sort, limit: limit, offset: offset)
        }
    }

    /// Every task run matching the filters, read `pageSize` at a time.
    public func allTaskRuns(
        flowFilter: FlowFilter? = nil, flowRunFilter: FlowRunFilter? = nil, taskRunFilter: TaskRunFilter? = nil,
        deploymentFilter: DeploymentFilter? = nil, sort: TaskRunSort = .idDesc, pageSize: Int = 200
    ) -> PaginatedSequence<TaskRun> {
        PaginatedSequence(pageSize: pageSize) { [self] offset, limit in
            try await readTaskRuns(
                flowFilter: flowFilter, flowRunFilter: flowRunFilter, taskRunFilter: taskRunFilter,
                deploymentFilter: deploymentFilter, sort: sort, limit: limit, offset: offset)
        }
    }

    /// Every deployment matching the filters, read `pageSize` at a time.
    public func allDeployments(
        flowFilter: FlowFilter? = nil, deploymentFilter: DeploymentFilter? = nil, sort: DeploymentSort = .nameAsc,
        pageSize: Int = 200
    ) -> PaginatedSequence<DeploymentResponse> {
        PaginatedSequence(pageSize: pageSize) { [self] offset, limit in
            try await readDeployments(
                flowFilter: flowFilter, deploymentFilter: deploymentFilter, limit: limit, sort: sort, offset: offset)
        }
    }

    /// Every log record matching `logFilter`, oldest first, read `pageSize` at a time.
    public func allLogs(logFilter: LogFilter? = nil, sort: LogSort = .timestampAsc, pageSize: Int = 200)
        -> PaginatedSequence<Log>
    {
        PaginatedSequence(pageSize: pageSize) { [self] offset, limit in
            try await readLogs(logFilter: logFilter, limit: limit, offset: offset, sort: sort)
        }
    }

    /// Every work pool matching `workPoolFilter`, read `pageSize` at a time.
    public func allWorkPools(workPoolFilter: WorkPoolFilter? = nil, pageSize: Int = 200) -> PaginatedSequence<WorkPool> {
        PaginatedSequence(pageSize: pageSize) { [self] offset, limit in
            try await readWorkPools(limit: limit, offset: offset, workPoolFilter: workPoolFilter)
        }
    }
}
