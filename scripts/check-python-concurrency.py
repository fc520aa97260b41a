"""Prefect 3.9.1's own concurrency helpers against prefect-swift server start (PREFECT_API_URL):
`concurrency()` with its lease, `rate_limit()` on a decaying limit, and the v1 tag-limit calls
of the Python client. Exits non-zero on the first difference."""
from __future__ import annotations

import asyncio
import sys
import uuid

from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
from prefect.concurrency.asyncio import concurrency, rate_limit


def check(condition: bool, message: str) -> None:
    if not condition:
        sys.exit(f"check-python-concurrency: {message}")


async def main() -> None:
    unique = uuid.uuid4().hex[:8]
    name, rate, tag = f"py-gcl-{unique}", f"py-rate-{unique}", f"py-tag-{unique}"
    async with get_client() as client:
        await client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=name, limit=2))
        async with concurrency(name, occupy=2, lease_duration=60, strict=True):
            held = await client.read_global_concurrency_limit_by_name(name)
            check(held.active_slots == 2, f"inside concurrency() the limit shows {held.active_slots} slots, not 2")
        released = await client.read_global_concurrency_limit_by_name(name)
        check(released.active_slots == 0, f"after concurrency() {released.active_slots} slots are still taken")

        await client.create_global_concurrency_limit(
            GlobalConcurrencyLimitCreate(name=rate, limit=5, slot_decay_per_second=0.5))
        await rate_limit(rate, occupy=2, strict=True)
        limited = await client.read_global_concurrency_limit_by_name(rate)
        check(limited.active_slots in (1, 2), f"rate_limit() left {limited.active_slots} slots, not 2 (decaying)")

        limit_id = await client.create_concurrency_limit(tag=tag, concurrency_limit=1)
        task_run_id = uuid.uuid4()
        (await client.increment_v1_concurrency_slots(names=[tag], task_run_id=task_run_id)).raise_for_status()
        by_tag = await client.read_concurrency_limit_by_tag(tag)
        check(by_tag.id == limit_id and by_tag.active_slots == [task_run_id], f"v1 tag limit reads {by_tag}")
        (await client.decrement_v1_concurrency_slots(names=[tag], task_run_id=task_run_id, occupancy_seconds=1)).raise_for_status()
        check((await client.read_concurrency_limit_by_tag(tag)).active_slots == [], "the v1 slot was not given back")

        await client.delete_concurrency_limit_by_tag(tag)
        await client.delete_global_concurrency_limit_by_name(name)
        await client.delete_global_concurrency_limit_by_name(rate)
    print("check-python-concurrency: concurrency(), rate_limit() and v1 tag limits work against", client.api_url)


asyncio.run(main())
