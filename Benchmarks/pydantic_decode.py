#!/usr/bin/env python3
"""pydantic's decode of a captured `/flow_runs/filter` answer into Prefect 3.9.1's own models
(`TypeAdapter(list[FlowRun]).validate_json`), timed as `prefect-bench decode` times ours: warm-up,
then CPU per decode over the repeats and the wall-time median. Prints one JSON object.

  Benchmarks/pydantic_decode.py --file Tests/PrefectSchemasTests/Fixtures/flow_runs_filter_200.json
"""
import argparse
import json
import statistics
import time

from pydantic import TypeAdapter
from prefect.client.schemas.objects import FlowRun

parser = argparse.ArgumentParser()
parser.add_argument("--file", required=True)
parser.add_argument("--repeats", type=int, default=100)
parser.add_argument("--warmup", type=int, default=10)
args = parser.parse_args()

data = open(args.file, "rb").read()
adapter = TypeAdapter(list[FlowRun])
for _ in range(args.warmup):
    adapter.validate_json(data)
samples = []
cpu0 = time.process_time()
for _ in range(args.repeats):
    t0 = time.perf_counter()
    count = len(adapter.validate_json(data))
    samples.append(time.perf_counter() - t0)
cpu = time.process_time() - cpu0
print(json.dumps({
    "tool": "pydantic TypeAdapter(list[FlowRun]).validate_json",
    "file": args.file,
    "objects_per_decode": count,
    "repeats": args.repeats,
    "us_per_decode": round(cpu / args.repeats * 1e6, 1),
    "wall_us_per_decode_p50": round(statistics.median(samples) * 1e6, 1),
}))
