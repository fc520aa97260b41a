#!/usr/bin/env python3
"""The event path of one Prefect API server, measured as a client sees it; prints one JSON line.

- ingest: `--events` events sent over one `/api/events/in` websocket, and the time until
  `/api/events/filter` counts them all stored (events per second);
- state change to subscriber: a flow run set Running over REST, and the time from the REST
  answer until the `prefect.flow-run.Running` event reaches an `/api/events/out` subscriber
  (p50, p99 over `--samples`);
- trigger to action: a custom event sent over REST, and the time until the automation that
  expects it has its `prefect.automation.action.executed` event on `/api/events/out`
  (p50, p99 over `--samples`).

  events_bench.py http://127.0.0.1:4200/api [--events 2000] [--samples 30]
"""
import argparse
import asyncio
import json
import statistics
import time
import uuid
from datetime import datetime, timedelta, timezone

import httpx
from websockets.asyncio.client import connect


def stamp():
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


async def socket(api, path):
    ws = await connect(api.replace("http", "ws", 1) + path, subprotocols=["prefect"], max_size=None)
    await ws.send(json.dumps({"type": "auth", "token": None}))
    await ws.recv()
    return ws


async def subscriber(api, event_filter):
    """An /events/out subscription; its window reaches an hour ahead (a filter's `until` is now
    by default, on Prefect's server as on ours, which would leave every live event out)."""
    ws = await socket(api, "/events/out")
    window = {"since": stamp(), "until": (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()}
    await ws.send(json.dumps({"type": "filter", "filter": {**event_filter, "occurred": window}, "backfill": False}))
    return ws


async def ingest(api, client, count):
    unique = uuid.uuid4().hex[:8]
    ws = await socket(api, "/events/in")
    started = time.perf_counter()
    for index in range(count):
        await ws.send(json.dumps({"id": str(uuid.uuid4()), "occurred": stamp(), "event": f"bench.{unique}.tick",
                                  "resource": {"prefect.resource.id": f"bench.{unique}.{index % 10}"}, "payload": {"i": index}}))
    query = {"filter": {"event": {"name": [f"bench.{unique}.tick"]}, "occurred": {"since": "2020-01-01T00:00:00Z"}}, "limit": 1}
    while (await client.post("/events/filter", json=query)).json()["total"] < count:
        await asyncio.sleep(0.05)
        if time.perf_counter() - started > 300:
            raise SystemExit("ingest: the events were not all stored within 300 s")
    elapsed = time.perf_counter() - started
    await ws.close()
    return {"events": count, "seconds": round(elapsed, 3), "events_per_second": round(count / elapsed, 1)}


async def state_to_subscriber(api, client, samples):
    flow = (await client.post("/flows/", json={"name": f"bench-{uuid.uuid4().hex[:8]}"})).json()
    ws = await subscriber(api, {"event": {"name": ["prefect.flow-run.Running"]},
                                "related": {"id": [f"prefect.flow.{flow['id']}"]}})
    # The socket sends nothing to say the subscription is open; a second is plenty.
    await asyncio.sleep(1)
    latencies = []
    for _ in range(samples):
        run = (await client.post("/flow_runs/", json={"flow_id": flow["id"], "state": {"type": "PENDING"}})).json()
        answer = await client.post(f"/flow_runs/{run['id']}/set_state", json={"state": {"type": "RUNNING"}})
        answered = time.perf_counter()
        assert answer.json()["status"] == "ACCEPT", answer.text
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), 30))
            if message.get("type") == "event" and message["event"]["resource"]["prefect.resource.id"].endswith(run["id"]):
                latencies.append((time.perf_counter() - answered) * 1000)
                break
    await ws.close()
    return {"samples": samples, "p50_ms": round(percentile(latencies, 0.5), 2), "p99_ms": round(percentile(latencies, 0.99), 2)}


async def trigger_to_action(api, client, samples):
    unique = uuid.uuid4().hex[:8]
    automation = (await client.post("/automations/", json={
        "name": f"bench-{unique}", "trigger": {"type": "event", "posture": "Reactive", "expect": [f"bench.{unique}.go"],
                                                "threshold": 1, "within": 0},
        "actions": [{"type": "do-nothing"}]})).json()
    await asyncio.sleep(2)
    ws = await subscriber(api, {"event": {"name": ["prefect.automation.action.executed"]},
                                "resource": {"id": [f"prefect.automation.{automation['id']}"]}})
    await asyncio.sleep(1)
    latencies = []
    for _ in range(samples):
        sent = time.perf_counter()
        await client.post("/events", json=[{"id": str(uuid.uuid4()), "occurred": stamp(), "event": f"bench.{unique}.go",
                                            "resource": {"prefect.resource.id": f"bench.{unique}"}}])
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), 60))
            if message.get("type") == "event":
                latencies.append((time.perf_counter() - sent) * 1000)
                break
    await ws.close()
    await client.delete(f"/automations/{automation['id']}")
    return {"samples": samples, "p50_ms": round(percentile(latencies, 0.5), 2), "p99_ms": round(percentile(latencies, 0.99), 2),
            "mean_ms": round(statistics.mean(latencies), 2)}


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("api")
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--samples", type=int, default=30)
    options = parser.parse_args()
    async with httpx.AsyncClient(base_url=options.api, timeout=60) as client:
        result = {
            "ingest": await ingest(options.api, client, options.events),
            "state_change_to_subscriber": await state_to_subscriber(options.api, client, options.samples),
            "trigger_to_action": await trigger_to_action(options.api, client, options.samples),
        }
    print(json.dumps(result))


asyncio.run(main())
