#!/usr/bin/env python3
"""Automations that run, side by side: the same automations and events go to a stock Prefect
3.9.1 server and to prefect-swift (both with their services on), and what the automations did
must be equal.

- A reactive trigger per resource (`for_each`, `threshold` 2 `within` 60 s) pauses a
  deployment, runs another with templated parameters, calls a webhook block with a templated
  payload, and on trigger sends a notification through a Custom Webhook block;
- a compound trigger (`require: all`) resumes the deployment;
- a sequence trigger pauses a work queue only once its children fire in order;
- actions that fail (nothing to infer, a work pool that does not exist) beside ones that
  work (resume a queue, cancel the event's flow run, pause another automation);
- Prefect's documented zombie automation (proactive, `after` a heartbeat, `expect` another or
  a final state `within` 10 s) marks the run whose heartbeats stopped Crashed and leaves the
  one that completed alone.

Compared whole: every `prefect.automation.triggered` and `prefect.automation.action.*` event
(normalized in scripts/event_normalization.py: objects' ids by name, other ids numbered,
times; sorted, since separate services race), the requests the blocks made to a local HTTP
server, and the objects the actions changed. Prints the time from the triggering event to the
deployment being paused on each server; exits 1 on any difference.

  check-automations.py http://127.0.0.1:4200/api http://127.0.0.1:4300/api
"""
import http.server
import json
import sys
import threading
import time
import uuid
from datetime import datetime, timezone

import httpx

from event_normalization import TIME, UUID, settled
from side_by_side import caller, on_both


class Receiver(http.server.ThreadingHTTPServer):
    """A loopback HTTP server that records what the blocks send it."""

    def __init__(self):
        self.requests = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length") or 0)).decode()
                receiver.requests.append({
                    "path": self.path, "body": body, "content-type": self.headers.get("content-type"),
                    "x-token": self.headers.get("x-token")})
                self.send_response(200)
                self.send_header("x-reply", "yes")
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


def stamp():
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def scenario(api: str, unique: str) -> dict:
    client = httpx.Client(base_url=api, timeout=60)
    receiver = Receiver()
    names = {}

    call = caller(client)

    def named(name, obj):
        names[obj["id"]] = f"<{name}>"
        return obj

    def emit(name, resource, related=(), payload=None):
        call("POST", "/events", json=[{
            "id": str(uuid.uuid4()), "occurred": stamp(), "event": name, "resource": resource,
            "related": list(related), "payload": payload or {}}])

    def block(slug, name, data):
        block_type = call("GET", f"/block_types/slug/{slug}")
        schema = next(s for s in call("POST", "/block_schemas/filter", json={"limit": 200})
                      if s["block_type_id"] == block_type["id"])
        return named(name, call("POST", "/block_documents/", json={
            "name": f"{name}-{unique}", "block_type_id": block_type["id"], "block_schema_id": schema["id"], "data": data}))

    flow = named("flow", call("POST", "/flows/", json={"name": f"auto-{unique}"}))
    paused = named("paused", call("POST", "/deployments/", json={"flow_id": flow["id"], "name": "paused"}))
    target = named("run", call("POST", "/deployments/", json={
        "flow_id": flow["id"], "name": "target", "parameters": {"const": 5}}))
    pool = named("pool", call("POST", "/work_pools/", json={"name": f"pool-{unique}", "type": "process"}))
    names[pool["default_queue_id"]] = "<default-queue>"
    queue = named("queue", call("POST", f"/work_pools/pool-{unique}/queues", json={"name": "q1"}))
    call("PATCH", f"/work_pools/pool-{unique}/queues/q1", json={"is_paused": True})
    webhook = block("webhook", "hook", {"method": "POST", "url": f"{receiver.url}/webhook", "headers": {"X-Token": "abc"}})
    notify = block("custom-webhook", "notify", {
        "name": "n", "url": f"{receiver.url}/notify", "method": "POST", "json_data": {"text": "{{subject}}|{{body}}"},
        "timeout": 10, "secrets": {}})
    cancelled = named("cancelled-run", call("POST", "/flow_runs/", json={
        "flow_id": flow["id"], "name": f"c-{unique}", "state": {"type": "RUNNING"}}))
    zombie = named("zombie-run", call("POST", "/flow_runs/", json={
        "flow_id": flow["id"], "name": f"z-{unique}", "state": {"type": "RUNNING"}}))
    finished = named("finished-run", call("POST", "/flow_runs/", json={
        "flow_id": flow["id"], "name": f"f-{unique}", "state": {"type": "RUNNING"}}))

    def automation(name, trigger, actions, **more):
        return named(name, call("POST", "/automations/", json={
            "name": f"{name}-{unique}", "trigger": trigger, "actions": actions, **more}))

    def event_trigger(expect, **more):
        return {"type": "event", "posture": "Reactive", "expect": [expect], "threshold": 1, "within": 0, **more}

    automations = [
        automation("per-resource", event_trigger(
            f"custom.{unique}.ping", match={"prefect.resource.id": f"svc.{unique}.*"}, for_each=["prefect.resource.id"],
            threshold=2, within=60), [
            {"type": "pause-deployment", "source": "selected", "deployment_id": paused["id"]},
            {"type": "run-deployment", "source": "selected", "deployment_id": target["id"], "schedule_after": 3600, "parameters": {
                "who": "{{ event.resource.id }}", "n": "{{ event.payload.n }}", "text": "run by {{ automation.name }}",
                "label": "{{ labels['prefect.resource.id'] }}"}},
            {"type": "call-webhook", "block_document_id": webhook["id"], "payload":
                '{"automation": "{{ automation.name }}", "event": "{{ event.event }}", "n": {{ event.payload.n | tojson }}, '
                '"firings": {{ firings | length }}{% if event.payload.n > 2 %}, "big": true{% endif %}}'}],
            actions_on_trigger=[{"type": "send-notification", "block_document_id": notify["id"],
                                 "subject": "S {{ automation.name }}", "body": "B {{ event.event }} for {{ labels.prefect.resource.id }}"}]),
        automation("compound", {"type": "compound", "require": "all", "within": 60, "triggers": [
            event_trigger(f"custom.{unique}.left"), event_trigger(f"custom.{unique}.right")]},
            [{"type": "resume-deployment", "source": "selected", "deployment_id": paused["id"]}]),
        automation("sequence", {"type": "sequence", "within": 60, "triggers": [
            event_trigger(f"custom.{unique}.first"), event_trigger(f"custom.{unique}.second")]},
            [{"type": "resume-work-queue", "source": "selected", "work_queue_id": queue["id"]}]),
    ]
    automations.append(automation("failing", event_trigger(f"custom.{unique}.bad"), [
        {"type": "pause-deployment", "source": "inferred"},
        {"type": "pause-work-pool", "source": "selected", "work_pool_id": str(uuid.UUID(int=7))},
        {"type": "pause-work-pool", "source": "inferred"},
        {"type": "cancel-flow-run"},
        {"type": "pause-automation", "source": "selected", "automation_id": automations[1]["id"]},
        {"type": "do-nothing"}]))
    automations.append(automation("zombie", {
        "type": "event", "posture": "Proactive", "after": ["prefect.flow-run.heartbeat"],
        "expect": ["prefect.flow-run.heartbeat", "prefect.flow-run.Completed", "prefect.flow-run.Failed",
                   "prefect.flow-run.Cancelled", "prefect.flow-run.Crashed"],
        "match": {"prefect.resource.id": [f"prefect.flow-run.{zombie['id']}", f"prefect.flow-run.{finished['id']}"]},
        "for_each": ["prefect.resource.id"], "threshold": 1, "within": 10},
        [{"type": "change-flow-run-state", "state": "CRASHED", "message": "Flow run marked as crashed due to missing heartbeats."}]))
    time.sleep(2)  # both servers load automations as they change; Prefect's after its commit

    def heartbeat(run):
        emit("prefect.flow-run.heartbeat", {"prefect.resource.id": f"prefect.flow-run.{run['id']}", "prefect.resource.name": run["name"]})

    heartbeat(zombie)
    heartbeat(finished)
    # Apart, so that a loaded stock server evaluates them in the order they were sent: its
    # triggers consume its event stream concurrently, and CI saw it take n=3 before n=1 (the
    # firing's event was then n=1; the embedded server evaluates in stored order, always n=3).
    emit(f"custom.{unique}.ping", {"prefect.resource.id": f"svc.{unique}.a"}, payload={"n": 1})
    time.sleep(0.5)
    emit(f"custom.{unique}.ping", {"prefect.resource.id": f"svc.{unique}.b"}, payload={"n": 2})
    time.sleep(0.5)
    started = time.monotonic()
    emit(f"custom.{unique}.ping", {"prefect.resource.id": f"svc.{unique}.a"}, payload={"n": 3})
    while not call("GET", f"/deployments/{paused['id']}")["paused"]:
        assert time.monotonic() - started < 30, "the deployment was never paused"
        time.sleep(0.01)
    latency = time.monotonic() - started
    time.sleep(1)
    emit(f"custom.{unique}.left", {"prefect.resource.id": f"side.{unique}"})
    emit(f"custom.{unique}.right", {"prefect.resource.id": f"side.{unique}"})
    emit(f"custom.{unique}.second", {"prefect.resource.id": f"step.{unique}"})
    time.sleep(1)
    emit(f"custom.{unique}.first", {"prefect.resource.id": f"step.{unique}"})
    time.sleep(1)
    emit(f"custom.{unique}.second", {"prefect.resource.id": f"step.{unique}"})
    heartbeat(zombie)
    heartbeat(finished)
    call("POST", f"/flow_runs/{finished['id']}/set_state", json={"state": {"type": "COMPLETED"}})
    emit(f"custom.{unique}.bad", {"prefect.resource.id": f"bad.{unique}"},
         related=[{"prefect.resource.id": f"prefect.flow-run.{cancelled['id']}", "prefect.resource.role": "flow-run"},
                  {"prefect.resource.id": f"prefect.work-pool.{pool['id']}", "prefect.resource.role": "work-pool"}])
    deadline = time.monotonic() + 60
    while call("GET", f"/flow_runs/{zombie['id']}")["state"]["type"] != "CRASHED":
        assert time.monotonic() < deadline, "the zombie automation never crashed the run"
        time.sleep(0.5)

    created = call("POST", "/flow_runs/filter", json={"flow_runs": {"deployment_id": {"any_": [target["id"]]}}})
    for run in created:
        names[run["id"]] = "<created-run>"
        names[run["name"]] = "<created-run-name>"
    query = {"filter": {"event": {"prefix": ["prefect.automation.triggered", "prefect.automation.action."]},
                        "resource": {"id": [f"prefect.automation.{a['id']}" for a in automations]}, "order": "ASC"},
             "limit": 50}

    def fetch():
        page = call("POST", "/events/filter", json=query)
        events = page["events"]
        while page.get("next_page"):
            page = client.get(page["next_page"]).json()
            events += page["events"]
        return events

    def outcome(events):
        states = {name: call("GET", f"/flow_runs/{run['id']}")["state"] for name, run in
                  [("cancelled", cancelled), ("zombie", zombie), ("finished", finished)]}
        result = {
            "events": events,
            "requests": sorted(receiver.requests, key=lambda r: r["path"]),
            "paused deployment": call("GET", f"/deployments/{paused['id']}")["paused"],
            "queue paused": call("GET", f"/work_queues/{queue['id']}")["is_paused"],
            "pool paused": call("GET", f"/work_pools/pool-{unique}")["is_paused"],
            "compound enabled": call("GET", f"/automations/{automations[1]['id']}")["enabled"],
            "states": {name: (state["type"], state["name"], state["message"]) for name, state in states.items()},
            "created runs": [{key: run[key] for key in ("parameters", "created_by", "tags", "idempotency_key")}
                             | {"state": (run["state"]["type"], run["state"]["name"])} for run in created],
        }
        text = UUID.sub(lambda m: names.get(m.group(0), "<uuid>"), json.dumps(result, sort_keys=True, indent=1))
        for literal, name in names.items():
            if not UUID.fullmatch(literal):
                text = text.replace(literal, name)
        return json.loads(TIME.sub('"<time>"', text.replace(unique, "<unique>")))

    return {"fetch": fetch, "names": names, "outcome": outcome, "latency": latency}


def main() -> None:
    stock_api, swift_api = sys.argv[1], sys.argv[2]
    unique = uuid.uuid4().hex[:8]
    runs = dict(zip(["stock", "swift"], on_both("check-automations", scenario, stock_api, swift_api, unique)))
    swift_events = settled(runs["swift"]["fetch"], unique, at_least=0, names=runs["swift"]["names"], ordered=False)
    stock_events = settled(runs["stock"]["fetch"], unique, at_least=len(swift_events), names=runs["stock"]["names"], ordered=False)
    stock = runs["stock"]["outcome"](stock_events)
    swift = runs["swift"]["outcome"](swift_events)
    if stock != swift:
        for key in stock:
            if stock[key] != swift.get(key):
                left, right = stock[key], swift.get(key)
                if isinstance(left, list) and isinstance(right, list):
                    for index in range(max(len(left), len(right))):
                        a = left[index] if index < len(left) else None
                        b = right[index] if index < len(right) else None
                        if a != b:
                            print(f"{key} [{index}] differs:\n  stock: {a}\n  swift: {b}", file=sys.stderr)
                else:
                    print(f"{key} differs:\n  stock: {left}\n  swift: {right}", file=sys.stderr)
        sys.exit(1)
    print(f"check-automations: {len(stock['events'])} automation events, {len(stock['requests'])} block requests and "
          f"the changed objects equal on stock Prefect 3.9.1 and prefect-swift; event to action "
          f"{runs['stock']['latency'] * 1000:.0f} ms on stock, {runs['swift']['latency'] * 1000:.0f} ms on prefect-swift")


main()
