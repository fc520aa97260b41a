#!/usr/bin/env python3
"""Checks a python_client_bench.py result: no section failed and every request succeeded.

The one non-2xx answer allowed is the 422 to GET /csrf-token ("CSRF protection is disabled."),
which every Prefect client gets from a server without CSRF protection and then stops asking.

  check-python-client-run.py RESULT.json
"""
import json
import sys

with open(sys.argv[1]) as f:
    result = json.load(f)
problems = []
if result.get("errors"):
    problems.append(f"sections failed: {result['errors']}")
for name, section in result.get("results", {}).items():
    non_2xx = dict(section.get("http_non_2xx") or {})
    if name == "a0_create_flow_once":
        non_2xx.pop("422", None)
    if non_2xx:
        problems.append(f"{name}: non-2xx answers {non_2xx}")
    if section.get("http_no_response"):
        problems.append(f"{name}: {section['http_no_response']} requests got no response")
if problems:
    print("Python client against prefect-swift server start:", *problems, sep="\n  ", file=sys.stderr)
    sys.exit(1)
sections = sorted(k for k in result.get("results", {}) if not k.startswith("c_decode") and k != "c_json_loads_only")
print(f"Python client against prefect-swift server start: {len(sections)} measurements, no errors")
