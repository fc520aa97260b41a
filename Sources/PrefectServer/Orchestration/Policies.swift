import PrefectSchemas

/// The policies of Prefect 3.9.1 (`prefect/server/orchestration/core_policy.py` and
/// `global_policy.py`), in their priority order.
///
enum Policies {
    /// `CoreFlowPolicy`: what `set_state` applies to flow runs without `force`.
    static let coreFlow = OrchestrationPolicy<FlowRun>(rules: [
        TransformRule(transform: PreserveDeploymentConcurrencyLeaseId()),
        PreventDuplicateTransitions(),
        HandleFlowTerminalStateTransitions(),
        EnforceCancellingToCancelledTransition(),
        BypassCancellingFlowRunsWithNoInfra(),
        PreventPendingTransitions<FlowRun>(),
        ValidateDeploymentConcurrencyAtRunning(),
        SecureFlowConcurrencySlots(),
        RemoveDeploymentConcurrencyLeaseForOldClientVersions(),
        EnsureOnlyScheduledFlowsMarkedLate(),
        HandlePausingFlows(),
        HandleResumingPausedFlows(),
        CopyScheduledTime<FlowRun>(),
        WaitForScheduledTime<FlowRun>(),
        RetryFailedFlows(),
        TransformRule(transform: InstrumentFlowRunStateTransitions()),
        TransformRule(transform: ReleaseFlowConcurrencySlots()),
    ])

    /// `MarkLateRunsPolicy`: what the late-runs service proposes `Late` through.
    static let markLateRuns = OrchestrationPolicy<FlowRun>(rules: [
        EnsureOnlyScheduledFlowsMarkedLate(),
        EnforceDeploymentConcurrencyOnLate(),
        TransformRule(transform: InstrumentFlowRunStateTransitions()),
    ])

    /// `MinimalFlowPolicy`: what `force=true` still applies to flow runs.
    static let minimalFlow = OrchestrationPolicy<FlowRun>(rules: [
        TransformRule(transform: PreserveDeploymentConcurrencyLeaseId()),
        PreventResultDataLoss(),
        BypassCancellingFlowRunsWithNoInfra(),
        TransformRule(transform: InstrumentFlowRunStateTransitions()),
        TransformRule(transform: ReleaseFlowConcurrencySlots()),
    ])

    /// `CoreTaskPolicy`: what `set_state` applies to task runs without `force`.
    static let coreTask = OrchestrationPolicy<TaskRun>(rules: [
        CacheRetrieval(),
        HandleTaskTerminalStateTransitions(),
        PreventRunningTasksFromStoppedFlows(),
        SecureTaskConcurrencySlots(),
        CopyScheduledTime<TaskRun>(),
        WaitForScheduledTime<TaskRun>(),
        RetryFailedTasks(),
        RenameReruns<TaskRun>(),
        UpdateFlowRunTrackerOnTasks(),
        CacheInsertion(),
        TransformRule(transform: ReleaseTaskConcurrencySlots()),
    ])

    /// `BackgroundTaskPolicy`: what a proposal of a `deferred` state (a background task run)
    /// goes through, forced or not.
    static let backgroundTask = OrchestrationPolicy<TaskRun>(rules: [
        PreventPendingTransitions<TaskRun>(),
        CacheRetrieval(),
        HandleTaskTerminalStateTransitions(),
        CopyScheduledTime<TaskRun>(),
        CopyTaskParametersID(),
        WaitForScheduledTime<TaskRun>(),
        RetryFailedTasks(),
        RenameReruns<TaskRun>(),
        UpdateFlowRunTrackerOnTasks(),
        CacheInsertion(),
        TransformRule(transform: ReleaseTaskConcurrencySlots()),
        EnqueueScheduledTasks(),
    ])

    /// `MinimalTaskPolicy`: with `force=true` only the task-tag slot release applies.
    static let minimalTask = OrchestrationPolicy<TaskRun>(rules: [
        TransformRule(transform: ReleaseTaskConcurrencySlots()),
    ])

    /// `GlobalFlowPolicy`: bookkeeping on every flow-run transition.
    static let globalFlow: [any UniversalTransform<FlowRun>] = [
        EnsureFlowRunStateTimestampIsUnique(),
        SetRunStateType<FlowRun>(),
        SetRunStateName<FlowRun>(),
        SetStartTime<FlowRun>(),
        SetEndTime<FlowRun>(),
        IncrementRunTime<FlowRun>(),
        SetExpectedStartTime<FlowRun>(),
        SetNextScheduledStartTime<FlowRun>(),
        UpdateStateDetails<FlowRun>(),
        UpdateSubflowParentTask(),
        UpdateSubflowStateDetails(),
        IncrementFlowRunCount(),
        RemoveResumingIndicator(),
    ]

    /// `GlobalTaskPolicy`: bookkeeping on every task-run transition.
    static let globalTask: [any UniversalTransform<TaskRun>] = [
        SetRunStateType<TaskRun>(),
        SetRunStateName<TaskRun>(),
        SetStartTime<TaskRun>(),
        SetEndTime<TaskRun>(),
        IncrementRunTime<TaskRun>(),
        SetExpectedStartTime<TaskRun>(),
        SetNextScheduledStartTime<TaskRun>(),
        UpdateStateDetails<TaskRun>(),
        IncrementTaskRunCount(),
    ]
}
