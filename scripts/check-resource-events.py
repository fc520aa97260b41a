#!/usr/bin/env python3
"""The events a server makes of its own, side by side: the same requests (a flow, a variable,
tag and global concurrency limits, a block type, schema and document, an automation, a
work pool with a worker and queues, a deployment polled
and deleted, a flow run's states, two artifacts of one key) go
to a stock Prefect 3.9.1 server and to prefect-swift, and the events each stored about those
objects must be equal, whole: name, resource, related resources, payload, and whether the
event follows another. Normalized: ids (numbered by first appearance), the run's generated
name, times (all of them are of this run), number formatting (`0.0` is `0`), and `updated_fields`, a list Prefect builds from a set, compared as a set. A stock
server that answered 503 (its SQLite locked) and was retried announces the write twice; an
event equal to the one before it is dropped. Events are compared per resource, in the order
each resource first appears, and in time order within one: Prefect announces a queue's
readiness from a background task after the response, so across resources its events interleave
with the next requests' as load decides. Prints one line; exits 1 on any difference.

  check-resource-events.py http://127.0.0.1:4200/api http://127.0.0.1:4300/api
"""
import sys
import uuid

import httpx

from event_normalization import settled
from side_by_side import caller


def scenario(api: str, unique: str):
    """Sends the requests to `api`; returns what reads the events they made."""
    client = httpx.Client(base_url=api, timeout=60)
    call = caller(client)

    flow = call("POST", "/flows/", json={"name": f"events-{unique}", "tags": ["ft"]})
    call("PATCH", f"/flows/{flow['id']}", json={"tags": ["ft", "g"]})
    variable = call("POST", "/variables/", json={"name": f"v_{unique}", "value": {"b": 1, "a": [2]}, "tags": ["t"]})
    call("PATCH", f"/variables/name/v_{unique}", json={"value": "second"})
    call("DELETE", f"/variables/{variable['id']}")

    tag_limit = call("POST", "/concurrency_limits/", json={"tag": f"t{unique}", "concurrency_limit": 2})
    call("POST", "/concurrency_limits/", json={"tag": f"t{unique}", "concurrency_limit": 3})
    call("DELETE", f"/concurrency_limits/tag/t{unique}")
    limit = call("POST", "/v2/concurrency_limits/", json={"name": f"g{unique}", "limit": 5, "slot_decay_per_second": 0.5})
    call("PATCH", f"/v2/concurrency_limits/g{unique}", json={"limit": 6, "active": False})
    call("DELETE", f"/v2/concurrency_limits/{limit['id']}")

    block_type = call("POST", "/block_types/", json={"name": f"Kind {unique}", "slug": f"kind-{unique}", "description": "one"})
    block_schema = call("POST", "/block_schemas/", json={
        "block_type_id": block_type["id"], "capabilities": ["read"],
        "fields": {"title": f"Kind {unique}", "type": "object", "properties": {
            "a": {"type": "string"}, "secret": {"type": "string", "format": "password", "writeOnly": True}, "n": {"type": "integer"}},
            "secret_fields": ["secret"], "block_schema_references": {}}})
    document = call("POST", "/block_documents/", json={
        "name": f"doc-{unique}", "block_type_id": block_type["id"], "block_schema_id": block_schema["id"],
        "data": {"a": "x", "secret": "s", "n": 1}})
    call("PATCH", f"/block_documents/{document['id']}", json={"data": {"a": "y"}, "merge_existing_data": True})
    call("DELETE", f"/block_documents/{document['id']}")
    call("PATCH", f"/block_types/{block_type['id']}", json={"description": "two"})
    call("DELETE", f"/block_types/{block_type['id']}")

    automation = call("POST", "/automations/", json={
        "name": f"auto-{unique}", "description": "watch",
        "trigger": {"type": "event", "expect": [f"custom.{unique}"], "posture": "Reactive", "threshold": 1, "within": 0},
        "actions": [{"type": "do-nothing"}]})
    call("PATCH", f"/automations/{automation['id']}", json={"enabled": False})
    call("DELETE", f"/automations/{automation['id']}")

    pool_name = f"pool-{unique}"
    pool = call("POST", "/work_pools/", json={"name": pool_name, "type": "process", "description": "d1"})
    call("PATCH", f"/work_pools/{pool_name}", json={"description": "d2", "concurrency_limit": 3})
    call("PATCH", f"/work_pools/{pool_name}", json={"is_paused": True})
    call("PATCH", f"/work_pools/{pool_name}", json={"is_paused": False})
    call("POST", f"/work_pools/{pool_name}/workers/heartbeat", json={"name": "w1"})
    queue = call("POST", f"/work_pools/{pool_name}/queues", json={"name": "q1", "description": "a"})
    call("PATCH", f"/work_pools/{pool_name}/queues/q1", json={"description": "b", "concurrency_limit": 2, "priority": 5})
    call("PATCH", f"/work_pools/{pool_name}/queues/q1", json={"is_paused": True})
    call("PATCH", f"/work_pools/{pool_name}/queues/q1", json={"is_paused": False})
    call("POST", f"/work_pools/{pool_name}/get_scheduled_flow_runs", json={"work_queue_names": ["q1"]})

    deployment = call("POST", "/deployments/", json={
        "flow_id": flow["id"], "name": "d", "work_pool_name": pool_name, "work_queue_name": "q1", "tags": ["x"],
        "description": "one"})
    call("PATCH", f"/deployments/{deployment['id']}", json={"description": "two", "tags": ["y", "x"], "paused": True})
    call("POST", "/deployments/get_scheduled_flow_runs", json={"deployment_ids": [deployment["id"]]})
    run = call("POST", f"/deployments/{deployment['id']}/create_flow_run", json={"name": f"run-{unique}", "tags": ["r"]})
    for state in ["PENDING", "RUNNING", "CANCELLING", "CANCELLED"]:
        call("POST", f"/flow_runs/{run['id']}/set_state", json={"state": {"type": state, "message": f"to {state}"}})
    first = call("POST", "/artifacts/", json={"key": f"key-{unique}", "type": "markdown", "data": "# one", "flow_run_id": run["id"]})
    second = call("POST", "/artifacts/", json={"key": f"key-{unique}", "type": "markdown", "data": "# two", "description": "d"})
    collection = call("POST", "/artifacts/latest/filter", json={"artifacts": {"key": {"any_": [f"key-{unique}"]}}})[0]
    call("DELETE", f"/artifacts/{second['id']}")
    call("DELETE", f"/artifacts/{first['id']}")
    call("DELETE", f"/deployments/{deployment['id']}")
    call("DELETE", f"/work_pools/{pool_name}/queues/q1")
    call("DELETE", f"/work_pools/{pool_name}")
    call("DELETE", f"/flows/{flow['id']}")

    resources = [f"prefect.flow.{flow['id']}", f"prefect.variable.{variable['id']}", f"prefect.work-pool.{pool['id']}",
                 f"prefect.work-queue.{queue['id']}", f"prefect.work-queue.{pool['default_queue_id']}",
                 f"prefect.deployment.{deployment['id']}", f"prefect.flow-run.{run['id']}",
                 f"prefect.concurrency-limit.{tag_limit['id']}", f"prefect.concurrency-limit.{limit['id']}",
                 f"prefect.block-type.{block_type['id']}", f"prefect.block-document.{document['id']}",
                 f"prefect.automation.{automation['id']}", f"prefect.artifact-collection.{collection['id']}"]
    query = {"filter": {"resource": {"id": resources}, "order": "ASC"}, "limit": 50}

    def fetch() -> list:
        page = call("POST", "/events/filter", json=query)
        events = page["events"]
        while page.get("next_page"):
            page = client.get(page["next_page"]).json()
            events += page["events"]
        first: dict = {}
        for index, event in enumerate(events):
            first.setdefault(event["resource"]["prefect.resource.id"], index)
        return sorted(events, key=lambda event: first[event["resource"]["prefect.resource.id"]])

    return fetch


def main() -> None:
    stock_api, swift_api = sys.argv[1], sys.argv[2]
    unique = uuid.uuid4().hex[:8]
    # prefect-swift stores its events in the writes that make them: its list is complete at once.
    swift = settled(scenario(swift_api, unique), unique, at_least=0)
    stock = settled(scenario(stock_api, unique), unique, at_least=len(swift))
    if stock != swift:
        for index in range(max(len(stock), len(swift))):
            left = stock[index] if index < len(stock) else None
            right = swift[index] if index < len(swift) else None
            if left != right:
                print(f"event {index} differs:\n  stock: {left}\n  swift: {right}", file=sys.stderr)
        sys.exit(1)
    print(f"check-resource-events: {len(stock)} server-made events equal on stock Prefect 3.9.1 and prefect-swift")


main()
