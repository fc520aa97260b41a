"""Scenarios of the events a server makes of its own, recorded by `record-orchestration.py --set
events` into Tests/PrefectServerTests/Fixtures/events.json: a flow run's lifecycle (from a
deployment on a work pool, cancelled, retried, as a subflow) and the created / updated /
deleted / status events of flows, variables, limits, blocks, automations, work pools and
queues, deployments and artifact collections. Each scenario ends by reading the events of each
object it touched through `/events/filter` (one resource per request, oldest first, so that
events of separate objects, which Prefect announces from background tasks as load decides, do
not interleave) and `/events/count-by/event`; the replay compares those answers whole, as every
other recording: names, resources, related resources, payloads, and which event each follows.

Record them on a fresh server with services on (Prefect stores its events from a service, a
few seconds after it makes them) and the late-runs service off:

  PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED=false scripts/prefect-server.sh start events
  record-orchestration.py --set events --api-url URL --output Tests/PrefectServerTests/Fixtures/events.json

A step with "settle" is repeated by the recorder until its answer has not changed for 6 s. The
embedded server stores its events in the write that makes them, and the replay does not wait.
"""
from __future__ import annotations

from resource_scenarios import delete, patch, post


def events_of(*resources: str) -> list:
    """The events of each resource, oldest first, and their counts by name, once settled."""
    out = []
    for resource in resources:
        query = {"filter": {"resource": {"id": [resource]}, "order": "ASC"}, "limit": 50}
        out.append({**post("/events/filter", query), "settle": True})
    counts = {"filter": {"resource": {"id": list(resources)}}}
    out.append({**post("/events/count-by/event", counts), "settle": True})
    return out


def set_state(run: str, type_: str, message: str | None = None, force: bool = False, **details) -> dict:
    state: dict = {"type": type_}
    if message:
        state["message"] = message
    if details:
        state["state_details"] = details
    body: dict = {"state": state}
    if force:
        body["force"] = True
    return post(f"/flow_runs/{{{run}}}/set_state", body)


def flow(capture: str = "flow", name: str = "events-{unique}", **extra) -> dict:
    return post("/flows/", {"name": name, **extra}, capture={capture: "id"})


def flow_runs() -> dict:
    out: dict = {}
    out["events: a deployment's run, Scheduled to Completed"] = [
        flow(tags=["ft"]),
        post("/work_pools/", {"name": "pool-{unique}", "type": "process"}, capture={"pool": "id", "queue": "default_queue_id"}),
        post("/deployments/", {"flow_id": "{flow}", "name": "d", "work_pool_name": "pool-{unique}", "tags": ["x"],
                               "labels": {"team": "data"}}, capture={"deployment": "id"}),
        post("/deployments/{deployment}/create_flow_run", {"name": "run-{unique}", "tags": ["r"], "parameters": {"b": 1, "a": 2}},
             capture={"flow_run": "id"}),
        set_state("flow_run", "PENDING"),
        set_state("flow_run", "RUNNING", "started"),
        set_state("flow_run", "COMPLETED", "done"),
        *events_of("prefect.flow-run.{flow_run}"),
    ]
    out["events: a flow run cancelled, then refused and forced"] = [
        flow(),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "run-{unique}", "state": {"type": "RUNNING"}}, capture={"flow_run": "id"}),
        set_state("flow_run", "CANCELLING", "stop"),
        set_state("flow_run", "CANCELLED", "stopped"),
        set_state("flow_run", "RUNNING"),
        set_state("flow_run", "RUNNING", "again", force=True),
        set_state("flow_run", "CRASHED", "gone"),
        *events_of("prefect.flow-run.{flow_run}"),
    ]
    out["events: a flow run retried"] = [
        flow(),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "run-{unique}", "empirical_policy": {"retries": 1, "retry_delay": 0}},
             capture={"flow_run": "id"}),
        set_state("flow_run", "RUNNING"),
        set_state("flow_run", "FAILED", "first try"),
        set_state("flow_run", "RUNNING"),
        set_state("flow_run", "FAILED", "second try"),
        *events_of("prefect.flow-run.{flow_run}"),
    ]
    out["events: a subflow and a paused run"] = [
        flow(tags=["parent"]),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "parent-{unique}", "state": {"type": "RUNNING"}}, capture={"parent": "id"}),
        post("/task_runs/", {"flow_run_id": "{parent}", "task_key": "child", "dynamic_key": "0", "name": "child-0",
                             "state": {"type": "RUNNING"}}, capture={"task_run": "id"}),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "child-{unique}", "parent_task_run_id": "{task_run}", "tags": ["sub"]},
             capture={"child": "id"}),
        set_state("child", "RUNNING"),
        set_state("child", "PAUSED", "wait", pause_timeout="{time:+600}", pause_reschedule=False),
        set_state("child", "RUNNING"),
        set_state("child", "COMPLETED"),
        *events_of("prefect.flow-run.{child}", "prefect.flow-run.{parent}"),
    ]
    return out


def resources() -> dict:
    out: dict = {}
    out["events: flows and variables"] = [
        flow(tags=["ft"]),
        patch("/flows/{flow}", {"tags": ["ft", "g"]}),
        post("/variables/", {"name": "v_{unique}", "value": {"b": 1, "a": [2]}, "tags": ["t"]}, capture={"variable": "id"}),
        patch("/variables/name/v_{unique}", {"value": "second"}),
        delete("/variables/{variable}"),
        delete("/flows/{flow}"),
        *events_of("prefect.flow.{flow}", "prefect.variable.{variable}"),
    ]
    out["events: concurrency limits of both APIs"] = [
        post("/concurrency_limits/", {"tag": "t{unique}", "concurrency_limit": 2}, capture={"tag_limit": "id"}),
        post("/concurrency_limits/", {"tag": "t{unique}", "concurrency_limit": 3}),
        delete("/concurrency_limits/tag/t{unique}"),
        post("/v2/concurrency_limits/", {"name": "g{unique}", "limit": 5, "slot_decay_per_second": 0.5}, capture={"limit": "id"}),
        patch("/v2/concurrency_limits/g{unique}", {"limit": 6, "active": False}),
        delete("/v2/concurrency_limits/{limit}"),
        *events_of("prefect.concurrency-limit.{tag_limit}", "prefect.concurrency-limit.{limit}"),
    ]
    out["events: block types and documents"] = [
        post("/block_types/", {"name": "Kind {unique}", "slug": "kind-{unique}", "description": "one"}, capture={"block_type": "id"}),
        post("/block_schemas/", {
            "block_type_id": "{block_type}", "capabilities": ["read"],
            # A title without {unique}: the schema's checksum is of its fields.
            "fields": {"title": "Kind", "type": "object", "properties": {
                "a": {"type": "string"}, "secret": {"type": "string", "format": "password", "writeOnly": True},
                "n": {"type": "integer"}},
                "secret_fields": ["secret"], "block_schema_references": {}}}, capture={"block_schema": "id"}),
        post("/block_documents/", {"name": "doc-{unique}", "block_type_id": "{block_type}", "block_schema_id": "{block_schema}",
                                   "data": {"n": 1, "secret": "s", "a": "x"}}, capture={"document": "id"}),
        patch("/block_documents/{document}", {"data": {"a": "y"}, "merge_existing_data": True}),
        delete("/block_documents/{document}"),
        patch("/block_types/{block_type}", {"description": "two"}),
        delete("/block_types/{block_type}"),
        *events_of("prefect.block-type.{block_type}", "prefect.block-document.{document}"),
    ]
    out["events: an automation"] = [
        post("/automations/", {
            "name": "auto-{unique}", "description": "watch",
            "trigger": {"type": "event", "expect": ["custom.{unique}"], "posture": "Reactive", "threshold": 1, "within": 0},
            "actions": [{"type": "do-nothing"}]}, capture={"automation": "id"}),
        patch("/automations/{automation}", {"enabled": False}),
        delete("/automations/{automation}"),
        *events_of("prefect.automation.{automation}"),
    ]
    out["events: a work pool, its queues and a worker"] = [
        post("/work_pools/", {"name": "pool-{unique}", "type": "process", "description": "d1"},
             capture={"pool": "id", "default_queue": "default_queue_id"}),
        patch("/work_pools/pool-{unique}", {"description": "d2", "concurrency_limit": 3}),
        patch("/work_pools/pool-{unique}", {"is_paused": True}),
        patch("/work_pools/pool-{unique}", {"is_paused": False}),
        post("/work_pools/pool-{unique}/workers/heartbeat", {"name": "w1"}),
        post("/work_pools/pool-{unique}/queues", {"name": "q1", "description": "a"}, capture={"queue": "id"}),
        patch("/work_pools/pool-{unique}/queues/q1", {"description": "b", "concurrency_limit": 2, "priority": 5}),
        patch("/work_pools/pool-{unique}/queues/q1", {"is_paused": True}),
        patch("/work_pools/pool-{unique}/queues/q1", {"is_paused": False}),
        post("/work_pools/pool-{unique}/get_scheduled_flow_runs", {"work_queue_names": ["q1"]}),
        {"wait": 2},
        delete("/work_pools/pool-{unique}/queues/q1"),
        delete("/work_pools/pool-{unique}"),
        *events_of("prefect.work-pool.{pool}", "prefect.work-queue.{queue}", "prefect.work-queue.{default_queue}"),
    ]
    out["events: a deployment's changes and status"] = [
        flow(),
        post("/work_pools/", {"name": "pool-{unique}", "type": "process"}),
        post("/deployments/", {"flow_id": "{flow}", "name": "d", "work_pool_name": "pool-{unique}", "tags": ["x"],
                               "description": "one", "parameters": {"z": 1, "a": 2}}, capture={"deployment": "id"}),
        patch("/deployments/{deployment}", {"description": "two", "tags": ["y", "x"], "paused": True}),
        patch("/deployments/{deployment}", {"paused": False, "parameters": {"q": [1]}}),
        post("/deployments/get_scheduled_flow_runs", {"deployment_ids": ["{deployment}"]}),
        {"wait": 2},
        delete("/deployments/{deployment}"),
        *events_of("prefect.deployment.{deployment}"),
    ]
    out["events: an artifact collection"] = [
        flow(),
        post("/flow_runs/", {"flow_id": "{flow}", "name": "run-{unique}"}, capture={"flow_run": "id"}),
        post("/artifacts/", {"key": "key-{unique}", "type": "markdown", "data": "# one", "flow_run_id": "{flow_run}"},
             capture={"first": "id"}),
        post("/artifacts/", {"key": "key-{unique}", "type": "markdown", "data": "# two", "description": "d"}, capture={"second": "id"}),
        post("/artifacts/latest/filter", {"artifacts": {"key": {"any_": ["key-{unique}"]}}}, capture={"collection": "0.id"}),
        delete("/artifacts/{second}"),
        delete("/artifacts/{first}"),
        *events_of("prefect.artifact-collection.{collection}"),
    ]
    return out


def scenarios() -> dict:
    return {**flow_runs(), **resources()}
