#!/usr/bin/env python3
"""Records the real Prefect server's answers to scenarios, for the embedded server's
differential tests (Tests/PrefectServerTests/Differential/).

Each scenario is a list of steps: an HTTP request (method, path, JSON body written in its key
order, optional headers or a raw body text, with {name} placeholders filled from earlier
answers, {time:+S} for now plus S seconds, {unique} for a fresh name part, {uuid} for a fresh
id, {pad:N} for N letters) and the answer: its status and its whole body, as the exact text Prefect sent. Nothing is
projected or normalized here: the Swift replay normalizes Prefect's recorded body and the
embedded server's answer by the same rules (ResponseNormalization.swift, the one place they
are written) and compares them whole.

  record-orchestration.py --api-url http://127.0.0.1:4200/api \\
      --output Tests/PrefectServerTests/Fixtures/orchestration.json
  record-orchestration.py --set resources --api-url http://127.0.0.1:4200/api \\
      --output Tests/PrefectServerTests/Fixtures/resources.json
  record-orchestration.py --set events --api-url http://127.0.0.1:4200/api \\
      --output Tests/PrefectServerTests/Fixtures/events.json   (see event_scenarios.py)

Record from a server started with `scripts/prefect-server.sh start NAME --no-services`: the
late-runs service would otherwise rename Scheduled runs of the scenarios Late at random moments.

A step with a "deviation" ({"status", "response", "why"}) is a documented difference (a 500 of
Prefect's that the embedded server answers as a 4xx): the replay holds the embedded server to
the deviation, and Prefect's own answer is kept beside it. A deviation whose response is None
holds the embedded server to the status alone: Prefect fails where the embedded server gives
its ordinary answer, or the body is the embedded server's own (its OpenAPI document).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone

import httpx

TYPES = ["SCHEDULED", "PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED", "CRASHED", "PAUSED", "CANCELLING"]
PAST = "{time:-5}"


def state(type_: str, **details) -> dict:
    body = {"type": type_}
    if type_ == "SCHEDULED":
        details.setdefault("scheduled_time", PAST)
    if type_ == "PAUSED":
        details.setdefault("pause_timeout", "{time:+600}")
    if details:
        body["state_details"] = details
    return body


def create_flow() -> dict:
    return {"method": "POST", "path": "/flows/", "body": {"name": "orchestration-{unique}"}, "capture": {"flow": "id"}}


def create_flow_run(initial: dict | None = None, policy: dict | None = None, name: str = "flow_run",
                    run_name: str | None = None, **extra) -> dict:
    body = {"flow_id": "{flow}", **extra}
    if run_name is not None:
        body["name"] = run_name
    if initial is not None:
        body["state"] = initial
    if policy is not None:
        body["empirical_policy"] = policy
    return {"method": "POST", "path": "/flow_runs/", "body": body, "capture": {name: "id"}}


def create_task_run(initial: dict | None = None, policy: dict | None = None, name: str = "task_run",
                    flow_run: str = "flow_run", key: str = "task", run_name: str | None = None, **extra) -> dict:
    body = {"flow_run_id": "{%s}" % flow_run, "task_key": key, "dynamic_key": "0", **extra}
    if run_name is not None:
        body["name"] = run_name
    if initial is not None:
        body["state"] = initial
    if policy is not None:
        body["empirical_policy"] = policy
    return {"method": "POST", "path": "/task_runs/", "body": body, "capture": {name: "id"}}


def set_state(kind: str, proposal: dict, force: bool = False, run: str | None = None) -> dict:
    run = run or kind
    return {"method": "POST", "path": "/%ss/{%s}/set_state" % (kind, run), "body": {"state": proposal, "force": force}}


def read(kind: str, run: str | None = None) -> dict:
    return {"method": "GET", "path": "/%ss/{%s}" % (kind, run or kind)}


def scenarios() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for force in (False, True):
        for initial in TYPES:
            for proposed in TYPES:
                out[f"flow {initial} -> {proposed}{' forced' if force else ''}"] = [
                    create_flow(),
                    create_flow_run(state(initial)),
                    set_state("flow_run", state(proposed), force),
                    read("flow_run"),
                ]
                out[f"task {initial} -> {proposed}{' forced' if force else ''}"] = [
                    create_flow(),
                    create_flow_run(state("RUNNING")),
                    create_task_run(state(initial)),
                    set_state("task_run", state(proposed), force),
                    read("task_run"),
                ]
    for delay in (0, 60):
        out[f"flow retries with delay {delay}"] = [
            create_flow(),
            create_flow_run(state("PENDING"), {"retries": 1, "retry_delay": delay}),
            set_state("flow_run", state("RUNNING")),
            set_state("flow_run", {"type": "FAILED", "message": "boom"}),
            read("flow_run"),
            set_state("flow_run", state("RUNNING")),
            set_state("flow_run", {"type": "FAILED", "message": "boom again"}),
            read("flow_run"),
        ]
    for delay in ([0], [45, 20], 30):
        out[f"task retries with delay {delay}"] = [
            create_flow(),
            create_flow_run(state("RUNNING")),
            create_task_run(state("PENDING"), {"retries": 2, "retry_delay": delay}),
            set_state("task_run", state("RUNNING")),
            set_state("task_run", {"type": "FAILED", "message": "oops"}),
            set_state("task_run", state("RUNNING")),
            set_state("task_run", {"type": "FAILED"}),
            set_state("task_run", state("RUNNING")),
            set_state("task_run", {"type": "FAILED", "state_details": {"retriable": False}}),
            read("task_run"),
        ]
    out["a Scheduled state without a scheduled time takes its timestamp"] = [
        create_flow(),
        create_flow_run({"type": "SCHEDULED"}),
        read("flow_run"),
        set_state("flow_run", {"type": "SCHEDULED", "name": "Again"}, force=True),
        read("flow_run"),
        set_state("flow_run", {"type": "SCHEDULED", "state_details": {"scheduled_time": None}}, force=True),
        create_flow_run(state("RUNNING"), name="parent"),
        create_task_run({"type": "SCHEDULED"}, flow_run="parent"),
        read("task_run"),
        set_state("task_run", {"type": "SCHEDULED"}, force=True),
        read("task_run"),
    ]
    out["runs created without a state"] = [
        create_flow(),
        create_flow_run(),
        read("flow_run"),
        create_flow_run(state("RUNNING"), name="parent"),
        create_task_run(flow_run="parent"),
        read("task_run"),
        create_flow_run({"type": "PENDING", "state_details": {}}, name="pending"),
        read("flow_run", run="pending"),
    ]
    out["a refused pause adds no pause key"] = [
        create_flow(),
        create_flow_run(state("PENDING")),
        set_state("flow_run", state("PAUSED", pause_key="early")),
        read("flow_run"),
        set_state("flow_run", {"type": "RUNNING"}),
        set_state("flow_run", state("PAUSED", pause_key="first")),
        {"method": "POST", "path": "/flow_runs/{flow_run}/resume", "body": {}},
        set_state("flow_run", {"type": "RUNNING"}),
        set_state("flow_run", state("PAUSED", pause_key="first")),
        read("flow_run"),
        create_flow_run(state("COMPLETED"), name="done"),
        set_state("flow_run", state("PAUSED", pause_key="late"), run="done"),
        read("flow_run", run="done"),
    ]
    out["deferred task runs: the background task policy"] = [
        {"method": "POST", "path": "/task_runs/", "body": {
            "task_key": "background", "dynamic_key": "{unique}", "state": {
                "type": "SCHEDULED", "state_details": {"deferred": True, "task_parameters_id": "{uuid}"}}},
         "capture": {"task_run": "id"}},
        read("task_run"),
        set_state("task_run", {"type": "PENDING"}),
        set_state("task_run", {"type": "PENDING"}),
        read("task_run"),
        set_state("task_run", {"type": "RUNNING"}),
        set_state("task_run", {"type": "SCHEDULED", "state_details": {"deferred": True}}),
        set_state("task_run", {"type": "COMPLETED"}),
        read("task_run"),
        {"method": "GET", "path": "/task_run_states/?task_run_id={task_run}"},
    ]
    for data in (None, {"type": "unpersisted"}, {"type": "reference", "storage_key": "x"}):
        completed = {"type": "COMPLETED", "state_details": {"cache_key": "key-{unique}", "cache_expiration": "{time:+600}"}}
        if data is not None:
            completed["data"] = data
        out[f"a cache hit with {json.dumps(data)} data"] = [
            create_flow(),
            create_flow_run(state("RUNNING")),
            create_task_run(state("RUNNING"), key="first"),
            set_state("task_run", completed),
            create_task_run(state("PENDING"), key="second", name="second"),
            set_state("task_run", {"type": "RUNNING", "state_details": {"cache_key": "key-{unique}"}}, run="second"),
            read("task_run", run="second"),
        ]
    out["wait for a future scheduled time"] = [
        create_flow(),
        create_flow_run(state("SCHEDULED", scheduled_time="{time:+120}")),
        set_state("flow_run", {"type": "PENDING"}),
        set_state("flow_run", {"type": "RUNNING"}),
        read("flow_run"),
    ]
    out["pause and resume"] = [
        create_flow(),
        create_flow_run(state("RUNNING")),
        set_state("flow_run", state("PAUSED", pause_key="approval")),
        {"method": "POST", "path": "/flow_runs/{flow_run}/resume", "body": {}},
        read("flow_run"),
        set_state("flow_run", state("PAUSED", pause_key="approval")),
        set_state("flow_run", state("PAUSED", pause_key="second")),
        set_state("flow_run", {"type": "RUNNING"}),
        read("flow_run"),
        {"method": "POST", "path": "/flow_runs/{flow_run}/resume", "body": {}},
        {"method": "GET", "path": "/flow_run_states/?flow_run_id={flow_run}"},
    ]
    out["an expired pause fails the run"] = [
        create_flow(),
        create_flow_run(state("RUNNING")),
        set_state("flow_run", {"type": "PAUSED", "state_details": {"pause_timeout": "{time:-1}"}}),
        {"method": "POST", "path": "/flow_runs/{flow_run}/resume", "body": {}},
        read("flow_run"),
    ]
    out["suspend without a deployment"] = [
        create_flow(),
        create_flow_run(state("RUNNING")),
        set_state("flow_run", {"type": "PAUSED", "name": "Suspended", "state_details": {"pause_reschedule": True}}),
    ]
    out["cancel a running run"] = [
        create_flow(),
        create_flow_run(state("RUNNING")),
        set_state("flow_run", {"type": "CANCELLING"}),
        set_state("flow_run", {"type": "COMPLETED"}),
        set_state("flow_run", {"type": "CANCELLED"}),
        read("flow_run"),
    ]
    out["cancel a scheduled run without infrastructure"] = [
        create_flow(),
        create_flow_run(state("SCHEDULED", scheduled_time="{time:+600}")),
        set_state("flow_run", {"type": "CANCELLING"}),
        read("flow_run"),
    ]
    for flow_state in ("PENDING", "PAUSED", "COMPLETED", "CANCELLING"):
        out[f"a task inside a {flow_state} flow run"] = [
            create_flow(),
            create_flow_run(state("RUNNING")),
            set_state("flow_run", state(flow_state), force=True),
            create_task_run(state("PENDING")),
            set_state("task_run", {"type": "RUNNING"}),
            read("task_run"),
        ]
    out["a subflow's parent task run mirrors it"] = [
        create_flow(),
        create_flow_run(state("RUNNING"), name="parent"),
        create_task_run(state("PENDING"), flow_run="parent", name="parent_task"),
        create_flow_run(state("PENDING"), name="child", parent_task_run_id="{parent_task}"),
        set_state("flow_run", {"type": "RUNNING"}, run="child"),
        read("task_run", run="parent_task"),
        set_state("flow_run", {"type": "COMPLETED"}, run="child"),
        read("task_run", run="parent_task"),
    ]
    out["duplicate transition ids"] = [
        create_flow(),
        create_flow_run(state("PENDING")),
        set_state("flow_run", {"type": "RUNNING", "state_details": {"transition_id": "11111111-1111-4111-8111-111111111111"}}),
        set_state("flow_run", {"type": "RUNNING", "state_details": {"transition_id": "11111111-1111-4111-8111-111111111111"}}),
        read("flow_run"),
    ]
    out["task cache: insert, retrieve, refresh"] = [
        create_flow(),
        create_flow_run(state("RUNNING")),
        create_task_run(state("RUNNING"), key="first"),
        set_state("task_run", {"type": "COMPLETED", "data": {"type": "reference", "storage_key": "x"},
                               "state_details": {"cache_key": "key-{unique}", "cache_expiration": "{time:+600}"}}),
        create_task_run(state("PENDING"), key="second", name="second"),
        set_state("task_run", {"type": "RUNNING", "state_details": {"cache_key": "key-{unique}"}}, run="second"),
        create_task_run(state("PENDING"), key="third", name="third"),
        set_state("task_run", {"type": "RUNNING", "state_details": {"cache_key": "key-{unique}", "refresh_cache": True}}, run="third"),
    ]
    out["idempotent creates"] = [
        create_flow(),
        create_flow(),
        create_flow_run(state("PENDING"), idempotency_key="key-{unique}"),
        create_flow_run(state("RUNNING"), idempotency_key="key-{unique}", name="again"),
        create_flow_run(state("PENDING")),
        create_task_run(state("PENDING"), id="{uuid}"),
        create_task_run(state("PENDING"), name="same_keys"),
    ]
    mine = {"flows": {"id": {"any_": ["{flow}"]}}}
    runs = [
        create_flow(),
        create_flow_run(state("PENDING"), name="a", run_name="a", tags=["etl", "nightly"]),
        create_flow_run(state("RUNNING"), name="b", run_name="b", tags=["etl"]),
        create_flow_run(state("COMPLETED"), name="c", run_name="c", tags=[]),
        create_flow_run(state("SCHEDULED", scheduled_time="{time:+3600}"), name="d", run_name="d", tags=["adhoc"]),
        create_flow_run({"type": "PENDING", "name": "Submitting"}, name="e", run_name="e", tags=["etl"]),
        create_task_run(state("COMPLETED"), flow_run="b", key="t1", name="t1", run_name="t1", tags=["heavy"]),
        create_task_run(state("FAILED"), flow_run="b", key="t2", name="t2", run_name="t2"),
        create_task_run(state("PENDING"), flow_run="c", key="t3", name="t3", run_name="t3", tags=["heavy", "io"]),
    ]
    filters = {
        "no filter": {},
        "tags all": {"tags": {"all_": ["etl", "nightly"]}},
        "tags any": {"tags": {"any_": ["nightly", "adhoc"]}},
        "tags is null": {"tags": {"is_null_": True}},
        "tags not null": {"tags": {"is_null_": False}},
        "tags or": {"tags": {"operator": "or_", "all_": ["nightly"], "is_null_": True}},
        "state type any": {"state": {"type": {"any_": ["PENDING", "RUNNING"]}}},
        "state type not any": {"state": {"type": {"not_any_": ["PENDING"]}}},
        "state name any": {"state": {"name": {"any_": ["Submitting"]}}},
        "state name not any": {"state": {"name": {"not_any_": ["Pending", "Running"]}}},
        "state or": {"state": {"operator": "or_", "type": {"any_": ["COMPLETED"]}, "name": {"any_": ["Submitting"]}}},
        "start time null": {"start_time": {"is_null_": True}},
        "start time set": {"start_time": {"is_null_": False}},
        "end time null": {"end_time": {"is_null_": True}},
        "expected start after": {"expected_start_time": {"after_": "{time:+60}"}},
        "expected start before": {"expected_start_time": {"before_": "{time:+60}"}},
        "next scheduled after": {"next_scheduled_start_time": {"after_": "{time:+60}"}},
        "operator or at the top": {"operator": "or_", "tags": {"all_": ["adhoc"]}, "state": {"type": {"any_": ["COMPLETED"]}}},
        "parent task run null": {"parent_task_run_id": {"is_null_": True}},
        "deployment id null": {"deployment_id": {"is_null_": True}},
        "work queue name null": {"work_queue_name": {"is_null_": True}},
        "idempotency key any": {"idempotency_key": {"any_": ["nope"]}},
        "flow version any": {"flow_version": {"any_": ["1.0"]}},
    }
    for label, flow_run_filter in filters.items():
        out[f"flow run filter: {label}"] = runs + [
            {"method": "POST", "path": "/flow_runs/count", "body": {**mine, "flow_runs": flow_run_filter}},
            {"method": "POST", "path": "/flow_runs/filter", "body": {**mine, "flow_runs": flow_run_filter, "sort": "NAME_ASC"}},
        ]
    for label, extra in {
        "flow name like": {"flows": {"id": {"any_": ["{flow}"]}, "name": {"like_": "ORCHESTRATION"}}},
        "flow tags null": {"flows": {"id": {"any_": ["{flow}"]}, "tags": {"is_null_": True}}},
        "task runs with a state": {"task_runs": {"state": {"type": {"any_": ["FAILED"]}}}},
        "task runs tagged": {"task_runs": {"tags": {"all_": ["heavy"]}}},
        "a deployment filter": {"deployments": {"id": {"any_": ["{flow}"]}}},
    }.items():
        out[f"flow runs across resources: {label}"] = runs + [
            {"method": "POST", "path": "/flow_runs/count", "body": {**mine, **extra}},
        ]
    for label, body in {
        "by flow run": {"flow_runs": {"id": {"any_": ["{b}"]}}},
        "by flow": mine,
        "by state": {**mine, "task_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}},
        "by name like": {**mine, "task_runs": {"name": {"like_": "T"}}},
        "by tags": {**mine, "task_runs": {"tags": {"all_": ["heavy", "io"]}}},
        "subflow runs exist": {**mine, "task_runs": {"subflow_runs": {"exists_": True}}},
        "flow run id null": {**mine, "task_runs": {"flow_run_id": {"is_null_": True}}},
    }.items():
        out[f"task run filter: {label}"] = runs + [
            {"method": "POST", "path": "/task_runs/count", "body": body},
            {"method": "POST", "path": "/task_runs/filter", "body": {**body, "sort": "NAME_DESC"}},
        ]
    out["flows filtered by their runs"] = runs + [
        {"method": "POST", "path": "/flows/count", "body": {**mine, "flow_runs": {"tags": {"all_": ["adhoc"]}}}},
        {"method": "POST", "path": "/flows/count", "body": {**mine, "flow_runs": {"tags": {"all_": ["absent"]}}}},
        {"method": "POST", "path": "/flows/count", "body": {**mine, "task_runs": {"tags": {"all_": ["io"]}}}},
    ]
    out["sorts and pages"] = runs + [
        {"method": "POST", "path": "/flow_runs/filter", "body": {**mine, "sort": "NAME_DESC", "limit": 2, "offset": 1}},
        {"method": "POST", "path": "/flow_runs/filter", "body": {**mine, "sort": "EXPECTED_START_TIME_DESC", "limit": 3}},
        {"method": "POST", "path": "/flow_runs/filter", "body": {**mine, "sort": "START_TIME_ASC"}},
        {"method": "POST", "path": "/flow_runs/filter", "body": {**mine, "sort": "NEXT_SCHEDULED_START_TIME_ASC", "limit": 1}},
    ]
    out["validation errors"] = [
        {"method": "POST", "path": "/flows/", "body": {}},
        {"method": "POST", "path": "/flows/", "body": {"name": 5}},
        {"method": "POST", "path": "/flow_runs/", "body": {"flow_id": "not-a-uuid"}},
        {"method": "POST", "path": "/flow_runs/00000000-0000-4000-8000-000000000000/set_state", "body": {"state": {"type": "RUNNING"}}},
        {"method": "POST", "path": "/task_runs/00000000-0000-4000-8000-000000000000/set_state", "body": {"state": {"type": "RUNNING"}}},
        {"method": "GET", "path": "/flow_runs/00000000-0000-4000-8000-000000000000"},
        {"method": "GET", "path": "/flows/00000000-0000-4000-8000-000000000000"},
        {"method": "POST", "path": "/flow_runs/filter", "body": {"limit": 201}},
        {"method": "POST", "path": "/flow_runs/filter", "body": {"flow_runs": {"state": {"type": {"any_": ["RUNNING", "NOPE"]}}}}},
        {"method": "POST", "path": "/task_runs/count", "body": {"task_runs": {"state": {"type": {"any_": ["EXPLODED"]}}}}},
        {"method": "POST", "path": "/flow_runs/count", "body": {"flow_runs": {"operator": "xor_"}}},
        {"method": "POST", "path": "/flow_runs/filter", "body": {"sort": "SIDEWAYS"}},
        {"method": "POST", "path": "/flows/", "body": {"name": "extra-{unique}", "bogus": 1}},
        create_flow(),
        {"method": "POST", "path": "/flow_runs/", "body": {"flow_id": "{flow}", "state": {"type": "PENDING", "zzz": 1}}},
        {"method": "POST", "path": "/flow_runs/", "body": {"flow_id": "{flow}", "empirical_policy": {"zzz": 1}},
         "capture": {"flow_run": "id"}},
        {"method": "PATCH", "path": "/flow_runs/{flow_run}", "body": {"name": "renamed", "zzz": 1}},
        {"method": "POST", "path": "/flow_runs/{flow_run}/set_state", "body": {"state": {"type": "RUNNING", "zzz": 1}}},
        {"method": "POST", "path": "/flow_runs/{flow_run}/set_state", "body": {"state": {"type": "RUNNING"}, "zzz": 1}},
        {"method": "POST", "path": "/logs/", "body": [{"name": "x", "level": 20, "message": "m", "timestamp": "{time:+0}", "extra": 1}]},
        {"method": "POST", "path": "/flow_runs/count", "body": {"zzz": 1, "flow_runs": {"id": {"any_": ["{flow_run}"]}}}},
    ]
    return out


PLACEHOLDER = re.compile(r"\{([a-z_]+|time:[+-]\d+|pad:\d+|unique|uuid)\}")


def fill(text: str, values: dict, unique: str, fresh: dict) -> str:
    """The text with its placeholders filled (ids and times need no JSON escaping)."""

    def sub(match: re.Match) -> str:
        name = match.group(1)
        if name.startswith("time:"):
            return (datetime.now(timezone.utc) + timedelta(seconds=int(name[5:]))).isoformat()
        if name.startswith("pad:"):
            return "a" * int(name[4:])
        if name == "unique":
            return unique
        if name == "uuid":
            return fresh.setdefault("uuid", str(uuid.uuid4()))
        if name not in values:
            return match.group(0)
        return str(values[name])
    return PLACEHOLDER.sub(sub, text)


def member(payload, path: str):
    """The member at a dotted path ("id", "0.id": the first item's id), or None."""
    for part in path.split("."):
        if isinstance(payload, list) and part.isdigit() and int(part) < len(payload):
            payload = payload[int(part)]
        elif isinstance(payload, dict) and part in payload:
            payload = payload[part]
        else:
            return None
    return payload


def settled(client: httpx.Client, method: str, path: str, content, headers: dict, response: httpx.Response) -> httpx.Response:
    """The answer once it has not changed for 6 s (at most 90 s): Prefect stores the events
    it makes from a service, a few seconds after it makes them."""
    since = time.monotonic()
    deadline = since + 90
    while time.monotonic() < deadline:
        time.sleep(0.5)
        current = client.request(method, path, content=content, headers=headers)
        if current.status_code == 503:
            continue
        if current.text != response.text:
            response, since = current, time.monotonic()
        elif time.monotonic() - since > 6:
            break
    return response


def request_text(step: dict) -> str | None:
    """The body of a step as it is sent: raw text, or its JSON in the order it is written."""
    if "raw_body" in step:
        return step["raw_body"]
    if step.get("body") is None:
        return None
    return json.dumps(step["body"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--set", choices=["orchestration", "resources", "api", "events"], default="orchestration")
    parser.add_argument("--auth-api-url", help="a server with PREFECT_SERVER_API_AUTH_STRING=recorder:differential")
    parser.add_argument("--csrf-api-url", help="a server with CSRF protection on")
    parser.add_argument("--only", help="record only the scenarios whose name contains this; the others are kept from --output")
    args = parser.parse_args()
    if args.set == "resources":
        import resource_scenarios
        chosen = resource_scenarios.scenarios()
    elif args.set == "api":
        import api_scenarios
        chosen = api_scenarios.scenarios()
    elif args.set == "events":
        import event_scenarios
        chosen = event_scenarios.scenarios()
    else:
        chosen = scenarios()
    urls = {None: args.api_url, "auth": args.auth_api_url, "csrf": args.csrf_api_url}
    recorded = {}
    if args.only:
        with open(args.output) as fh:
            kept = json.load(fh)["scenarios"]
        recorded = {name: scenario for name, scenario in kept.items() if args.only not in name}
        chosen = {name: steps for name, steps in chosen.items() if args.only in name}

    def connect(url: str) -> httpx.Client:
        return httpx.Client(base_url=url.rstrip("/"), timeout=30)

    client = connect(args.api_url)
    try:
        for name, scenario in chosen.items():
            server = scenario.get("server") if isinstance(scenario, dict) else None
            steps = scenario["steps"] if isinstance(scenario, dict) else scenario
            if not urls.get(server):
                raise SystemExit(f"scenario {name!r} needs --{server}-api-url")
            client.close()
            client = connect(urls[server])
            values: dict = {}
            unique = uuid.uuid4().hex[:8]
            fresh: dict = {}
            out_steps = []
            started = datetime.now(timezone.utc).isoformat()
            for step in steps:
                if "wait" in step:
                    time.sleep(step["wait"])
                    continue
                path = fill(step["path"], values, unique, fresh)
                text = request_text(step)
                content = None if text is None else fill(text, values, unique, fresh).encode()
                headers = {"X-PREFECT-API-VERSION": "0.8.4"}
                if content is not None:
                    headers["Content-Type"] = "application/json"
                headers.update({k: fill(v, values, unique, fresh) for k, v in (step.get("headers") or {}).items()})
                for attempt in range(10):
                    try:
                        response = client.request(step["method"], path, content=content, headers=headers)
                    except httpx.TransportError:
                        # A connection the server closed after a 500 (httpx may reuse it once more).
                        client.close()
                        client = connect(urls[server])
                        continue
                    if response.status_code != 503:
                        break
                    print(f"{name}: {step['method']} {path} answered 503 (SQLite locked), sent again", file=sys.stderr)
                if step.get("settle"):
                    response = settled(client, step["method"], path, content, headers, response)
                if response.status_code == 500:
                    # The server closes the connection after an unhandled exception.
                    client.close()
                    client = connect(urls[server])
                try:
                    payload = response.json() if response.content else None
                except ValueError:
                    payload = None
                for key, field in (step.get("capture") or {}).items():
                    found = member(payload, field)
                    if found is not None and key not in values:
                        values[key] = found
                out = {"method": step["method"], "path": step["path"]}
                if text is not None:
                    out["body"] = text
                for key in ("headers", "capture"):
                    if step.get(key):
                        out[key] = step[key]
                if step.get("deviation"):
                    deviation = step["deviation"]
                    out["deviation"] = {**deviation, "response": None if deviation["response"] is None else json.dumps(deviation["response"])}
                out["status"] = response.status_code
                out["response"] = response.text
                out_steps.append(out)
            recorded[name] = {"unique": unique, "recorded_at": started, "steps": out_steps}
            if server:
                recorded[name]["server"] = server
    finally:
        client.close()
    with open(args.output, "w") as fh:
        json.dump({"recorded_from": "prefect 3.9.1", "scenarios": dict(sorted(recorded.items()))}, fh, indent=1)
        fh.write("\n")
    print(f"{len(recorded)} scenarios, {sum(len(s['steps']) for s in recorded.values())} steps -> {args.output}")


if __name__ == "__main__":
    main()
