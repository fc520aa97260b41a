#!/usr/bin/env python3
"""`/events/filter` and `/events/count-by/event` by resource on a server holding many events;
prints one JSON line.

The server is filled with `--events` events (default 100,000) over `POST /events`: five events
about each of `--events / 5` flow runs (the run is the event's resource), each related to one of
20 flows (role `flow`) and to one tag that every event names (role `tag`), half a second apart
and ending now. Then each query is asked `--repeats` times after one warm-up, and its median
time in milliseconds is printed:

- `run`: the events of one flow run (`any_resource` by id: 5 of them), as its page in the UI;
- `run_resource`: the same events by the `resource` filter (the run is their own resource);
- `flow_page`: the newest 50 events related to one flow (1 in 20 of all);
- `tag_page`: the newest 50 events related to the tag (every event);
- `flow_counts`: `count-by/event` of the events related to one flow;
- `newest_page`: the newest 50 events, no resource filter (the same for any plan).

  event_filter.py http://127.0.0.1:4200/api [--events 100000] [--repeats 5]
"""
import argparse
import json
import statistics
import time
import uuid
from datetime import datetime, timedelta, timezone

import httpx


def stamp(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def fill(client: httpx.Client, count: int) -> tuple[list[str], list[str], float]:
    """Sends the events in batches of 1,000; answers the flow-run ids, the flow ids and the seconds taken."""
    end = datetime.now(timezone.utc)
    runs = [str(uuid.uuid4()) for _ in range(count // 5)]
    flows = [str(uuid.uuid4()) for _ in range(20)]
    started = time.monotonic()
    batch = []
    for index in range(len(runs) * 5):
        run = runs[index // 5]
        batch.append({
            "event": f"prefect.flow-run.{['Scheduled', 'Pending', 'Running', 'Completed', 'Cached'][index % 5]}",
            "resource": {"prefect.resource.id": f"prefect.flow-run.{run}", "prefect.resource.name": f"run-{index // 5}"},
            "related": [
                {"prefect.resource.id": f"prefect.flow.{flows[(index // 5) % 20]}", "prefect.resource.role": "flow"},
                {"prefect.resource.id": "prefect.tag.event-filter-bench", "prefect.resource.role": "tag"},
            ],
            "id": str(uuid.uuid4()),
            "occurred": stamp(end - timedelta(seconds=(len(runs) * 5 - index) * 0.5)),
        })
        if len(batch) == 1000 or index == len(runs) * 5 - 1:
            client.post("/events", json=batch).raise_for_status()
            batch = []
            # Prefect stores events from a service, which drops what its queue (10,000) cannot
            # hold: at most 5,000 events are sent ahead of what is stored, and all are awaited.
            caught_up(client, index + 1 - (5000 if index < len(runs) * 5 - 1 else 0))
    return runs, flows, time.monotonic() - started


def caught_up(client: httpx.Client, count: int) -> None:
    """Waits until at least `count` events are stored (at most 10 minutes)."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if client.post("/events/filter", json={"limit": 1}).json().get("total", 0) >= count:
            return
        time.sleep(0.5)
    raise SystemExit(f"the server did not store {count} events in 10 minutes")


def timed(client: httpx.Client, path: str, body: dict, repeats: int) -> tuple[float, int]:
    """The median milliseconds of `repeats` answers after a warm-up, and what the last one held."""
    client.post(path, json=body).raise_for_status()
    times, held = [], 0
    for _ in range(repeats):
        started = time.perf_counter()
        response = client.post(path, json=body)
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        answer = response.json()
        held = len(answer["events"]) if isinstance(answer, dict) else sum(group["count"] for group in answer)
    return round(statistics.median(times), 2), held


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("api_url")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with httpx.Client(base_url=args.api_url.rstrip("/"), timeout=600) as client:
        runs, flows, fill_seconds = fill(client, args.events)
        run = runs[len(runs) // 2]
        queries = {
            "run": ("/events/filter", {"filter": {"any_resource": {"id": [f"prefect.flow-run.{run}"]}}, "limit": 50}),
            "run_resource": ("/events/filter", {"filter": {"resource": {"id": [f"prefect.flow-run.{run}"]}}, "limit": 50}),
            "flow_page": ("/events/filter", {"filter": {"related": {"id": [f"prefect.flow.{flows[0]}"]}}, "limit": 50}),
            "tag_page": ("/events/filter", {"filter": {"related": {"id": ["prefect.tag.event-filter-bench"]}}, "limit": 50}),
            "flow_counts": ("/events/count-by/event", {"filter": {"related": {"id": [f"prefect.flow.{flows[0]}"]}}}),
            "newest_page": ("/events/filter", {"filter": {}, "limit": 50}),
        }
        result = {"events": args.events, "fill_seconds": round(fill_seconds, 1)}
        for name, (path, body) in queries.items():
            result[f"{name}_ms"], result[f"{name}_held"] = timed(client, path, body, args.repeats)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
