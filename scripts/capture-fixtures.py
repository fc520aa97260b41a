#!/usr/bin/env python3
"""Captures real Prefect 3.9.1 responses as decoding fixtures for Tests/PrefectSchemasTests.

    scripts/prefect-server.sh start fixtures            # prints the API URL
    .prefect-venv/bin/python scripts/capture-fixtures.py http://127.0.0.1:PORT/api [CSRF_API_URL]

Creates a small set of objects (flow, runs, task runs, deployment with three schedule kinds,
work pool, queues, worker, variable, logs, flow-run input) through the REST API and writes each
response body unchanged to Tests/PrefectSchemasTests/Fixtures/<name>.json.
"""
import json
import sys
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx

OUT = Path(__file__).resolve().parent.parent / "Tests" / "PrefectSchemasTests" / "Fixtures"
api = sys.argv[1].rstrip("/")
csrf_api = sys.argv[2].rstrip("/") if len(sys.argv) > 2 else None
http = httpx.Client(base_url=api, timeout=30)
suffix = uuid.uuid4().hex[:6]


def save(name: str, response: httpx.Response) -> dict:
    response.raise_for_status()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.json").write_bytes(response.content)
    print(f"{name}: {len(response.content)} bytes", file=sys.stderr)
    return response.json()


def now(offset_s: float = 0) -> str:
    return (datetime.now(timezone.utc) + timedelta(seconds=offset_s)).isoformat()


flow = save("flow", http.post("/flows/", json={"name": f"fixture-flow-{suffix}", "tags": ["fixture"], "labels": {"team": "data"}}))
flow_run = save("flow_run", http.post("/flow_runs/", json={
    "flow_id": flow["id"], "name": "fixture-run", "parameters": {"x": 1, "y": "abc", "z": [1, 2.5, None], "nested": {"k": True}},
    "context": {"origin": "fixture"}, "tags": ["a", "b"], "labels": {"tier": 2, "ok": True},
    "empirical_policy": {"retries": 2, "retry_delay": 10},
    "state": {"type": "PENDING", "name": "Pending"},
}))
save("orchestration_accept", http.post(f"/flow_runs/{flow_run['id']}/set_state", json={"state": {"type": "RUNNING", "name": "Running"}}))
save("orchestration_abort", http.post(f"/flow_runs/{flow_run['id']}/set_state", json={"state": {"type": "PENDING", "name": "Pending"}}))
task_run = save("task_run", http.post("/task_runs/", json={
    "flow_run_id": flow_run["id"], "task_key": "add_one-abc", "dynamic_key": "0", "name": "add_one-0",
    "empirical_policy": {"retries": 1, "retry_delay": [1, 2], "retry_jitter_factor": 0.5},
    "task_inputs": {"x": [{"input_type": "parameter", "name": "x"}], "y": [{"input_type": "constant", "type": "int"}],
                    "z": [{"input_type": "task_run", "id": str(uuid.uuid4())}]},
    "state": {"type": "PENDING"},
}))
http.post(f"/task_runs/{task_run['id']}/set_state", json={"state": {"type": "RUNNING"}}).raise_for_status()
save("orchestration_task_completed", http.post(f"/task_runs/{task_run['id']}/set_state", json={"state": {"type": "COMPLETED", "message": "done"}}))
save("flow_run_states", http.get("/flow_run_states/", params={"flow_run_id": flow_run["id"]}))
http.post(f"/flow_runs/{flow_run['id']}/set_state", json={"state": {"type": "COMPLETED"}}).raise_for_status()
save("flow_runs_filter", http.post("/flow_runs/filter", json={"flows": {"id": {"any_": [flow["id"]]}}}))
save("task_runs_filter", http.post("/task_runs/filter", json={"flow_runs": {"id": {"any_": [flow_run["id"]]}}}))

pool = save("work_pool", http.post("/work_pools/", json={"name": f"fixture-pool-{suffix}", "type": "process", "concurrency_limit": 3}))
queue = save("work_queue", http.post(f"/work_pools/{pool['name']}/queues", json={"name": "fixture-queue", "priority": 2, "concurrency_limit": 1}))
deployment_id = http.post("/deployments/", json={
    "flow_id": flow["id"], "name": "fixture-deployment", "work_pool_name": pool["name"], "work_queue_name": "fixture-queue",
    "parameters": {"region": "eu"}, "job_variables": {"memory": 512}, "tags": ["fixture"], "paused": True,
    "schedules": [
        {"schedule": {"interval": 3600.5, "anchor_date": "2026-01-01T00:00:00.123456+00:00", "timezone": "UTC"}, "active": False},
        {"schedule": {"cron": "0 9 * * 1-5", "timezone": "Europe/Paris", "day_or": True}, "active": False, "max_scheduled_runs": 3},
        {"schedule": {"rrule": "FREQ=DAILY;COUNT=3", "timezone": "UTC"}, "active": False, "slug": "daily"},
    ],
}).json()["id"]
save("deployment", http.get(f"/deployments/{deployment_id}"))
save("deployment_schedules", http.get(f"/deployments/{deployment_id}/schedules"))
run_from_deployment = http.post(f"/deployments/{deployment_id}/create_flow_run", json={"state": {"type": "SCHEDULED", "state_details": {"scheduled_time": now()}}}).json()
save("worker_flow_runs", http.post(f"/work_pools/{pool['name']}/get_scheduled_flow_runs", json={"scheduled_before": now(60)}))
save("work_queue_status", http.get(f"/work_queues/{queue['id']}/status"))
save("work_pool_concurrency_status", http.post(f"/work_pools/{pool['name']}/concurrency_status", json={"page": 1}))
save("work_queue_concurrency_status", http.post(f"/work_queues/{queue['id']}/concurrency_status", json={"page": 1}))
http.post(f"/work_pools/{pool['name']}/workers/heartbeat", json={"name": "fixture-worker", "heartbeat_interval_seconds": 30}).raise_for_status()
save("workers", http.post(f"/work_pools/{pool['name']}/workers/filter", json={}))
save("variable", http.post("/variables/", json={"name": f"fixture_var_{suffix}", "value": {"threshold": 0.75, "regions": ["eu"]}, "tags": ["fixture"]}))
http.post("/logs/", json=[{"name": "prefect.flow_runs", "level": 20, "message": f"line {i}", "timestamp": now(i / 1000), "flow_run_id": flow_run["id"]} for i in range(3)]).raise_for_status()
save("logs", http.post("/logs/filter", json={"logs": {"flow_run_id": {"any_": [flow_run["id"]]}}, "sort": "TIMESTAMP_ASC"}))
http.post(f"/flow_runs/{flow_run['id']}/input", json={"key": "approval", "value": "{\"ok\": true}", "sender": "fixture"}).raise_for_status()
save("flow_run_inputs", http.post(f"/flow_runs/{flow_run['id']}/input/filter", json={"prefix": "appr", "limit": 5, "exclude_keys": []}))
if csrf_api:
    save("csrf_token", httpx.get(f"{csrf_api}/csrf-token", params={"client": str(uuid.uuid4())}, timeout=30))
