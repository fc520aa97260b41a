#!/usr/bin/env python3
"""One table for section f: the Python engine, the Swift runtime against the same server (task
runs as events, the default, and by REST), and the Swift runtime on the embedded server (the JSON
of python_client_bench.py --sections f and of prefect-bench flows). "Server has all task runs
Completed" counts from the flow's start in every row.

  flow-summary.py PYTHON.json SWIFT_SERVER.json SWIFT_SERVER_REST.json SWIFT_EMBEDDED.json
"""
import json
import sys

names = [("f_flow_empty", "empty flow"), ("f_flow_seq", "sequential"), ("f_flow_submit", "concurrent / .submit"),
         ("f_flow_map", "map")]
runs = [("Python engine, stock server", sys.argv[1]), ("Swift runtime, stock server", sys.argv[2]),
        ("Swift runtime (REST), stock server", sys.argv[3]), ("Swift runtime, embedded", sys.argv[4])]
docs = [(label, json.load(open(path))["results"]) for label, path in runs]


def cell(result, key, scale=1.0, digits=0):
    value = result.get(key)
    if value is None:
        return "–"
    return f"{value * scale:,.{digits}f}"


print("| flow | run | wall s | body wall µs/task | body CPU µs/task | marginal CPU µs/task | server has all task runs Completed after s | result ok |")
print("|---|---|---:|---:|---:|---:|---:|---|")
for key, name in names:
    for label, results in docs:
        result = results.get(key)
        if not result:
            continue
        persisted = result.get("server_persisted_s")
        print(f"| {name} | {label} | {cell(result, 'wall_s', digits=3)} | {cell(result, 'body_wall_us_per_task')} | "
              f"{cell(result, 'body_client_cpu_us_per_task')} | {cell(result, 'marginal_client_cpu_us_per_task')} | "
              f"{f'{persisted:.3f}' if persisted is not None else '–'} | {result.get('result_ok', '–')} |")
for label, results in docs:
    sizes = results.get("f_sizes_seq")
    if sizes:
        row = ", ".join(f"{n} tasks: {r['body_wall_us_per_task']:,.0f} µs/task" for n, r in sorted(sizes.items(), key=lambda kv: int(kv[0])))
        print(f"\n{label}, sequential sizes (body wall per task): {row}")
