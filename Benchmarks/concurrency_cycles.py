#!/usr/bin/env python3
"""Slot cycles of a global concurrency limit: each of N workers repeatedly takes one slot with
a lease (`POST /v2/concurrency_limits/increment-with-lease`) and gives it back
(`POST /v2/concurrency_limits/decrement-with-lease`), through Prefect 3.9.1's own Python client
as `concurrency()` does, on a limit with room for every worker. Prints ONE JSON object: cycles
per second, latency of a cycle, and the failures per connection count.

  concurrency_cycles.py --api-url http://127.0.0.1:4200/api [--connections 1,16] [--duration 10] [--output FILE]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid

from pool_poll import emit


async def run(workers: int, duration: float) -> dict:
    # Imported here: Prefect reads PREFECT_API_URL when it loads its settings, which main sets first.
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate

    name = f"bench-cycles-{uuid.uuid4().hex[:8]}"
    latencies: list[float] = []
    failures: dict[str, int] = {}
    async with get_client() as client:
        await client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=name, limit=max(workers, 1) * 2))
        deadline = time.monotonic() + duration

        async def worker() -> None:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    taken = await client.increment_concurrency_slots_with_lease(
                        names=[name], slots=1, mode="concurrency", lease_duration=60)
                    lease_id = taken.json()["lease_id"]
                    await client.release_concurrency_slots_with_lease(lease_id=lease_id)
                    latencies.append(time.perf_counter() - started)
                except Exception as exc:  # a refusal or a dropped connection: counted by kind
                    kind = getattr(getattr(exc, "response", None), "status_code", None) or type(exc).__name__
                    failures[str(kind)] = failures.get(str(kind), 0) + 1

        begun = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(workers)))
        elapsed = time.monotonic() - begun
        assert str(client.api_url).rstrip("/") == os.environ["PREFECT_API_URL"].rstrip("/"), client.api_url
        left = await client.read_global_concurrency_limit_by_name(name)
        await client.delete_global_concurrency_limit_by_name(name)
    ordered = sorted(latencies)

    def percentile(p: float) -> float | None:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 2) if ordered else None

    return {
        "connections": workers, "cycles": len(latencies), "cycles_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": percentile(0.5), "p99_ms": percentile(0.99),
        "mean_ms": round(statistics.mean(latencies) * 1000, 2) if latencies else None,
        "failures": failures, "slots_left_taken": left.active_slots,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--connections", default="1,16")
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--output", default=None)
    args = parser.parse_args()
    os.environ["PREFECT_API_URL"] = args.api_url
    os.environ.setdefault("PREFECT_CLIENT_MAX_RETRIES", "0")  # count the server's refusals, do not hide them
    results = [asyncio.run(run(int(c), args.duration)) for c in args.connections.split(",") if c.strip()]
    emit({"meta": {"tool": "concurrency_cycles.py", "api_url": args.api_url}, "results": results}, args.output)


if __name__ == "__main__":
    main()
