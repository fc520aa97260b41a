"""Records how Prefect 3.9.1 splits process job commands (shlex.split) and fills its process
base job template with job variables (ProcessJobConfiguration.from_template_and_values), for
Tests/PrefectTests/ProcessJobTests.swift.

    .prefect-venv/bin/python scripts/record-process-jobs.py > Tests/PrefectTests/Fixtures/process-jobs.json
"""
import asyncio
import json
import shlex

from prefect.workers.process import ProcessJobConfiguration, ProcessWorker

COMMANDS = [
    "python -m prefect.engine",
    "/opt/app/etl run --pool 'my pool'",
    "./flows \"a \\\"quoted\\\" word\" plain\\ space",
    "  spaced   out\tline ",
    "x 'it'\"'\"'s' \"$HOME\" \"back\\\\slash\" \"keep\\n\"",
]

VALUES = [
    {},
    {"command": "/usr/local/bin/etl run", "env": {"MODE": "nightly"}},
    {"env": {"A": "1", "B": None}, "working_dir": "/srv/flows", "name": "job"},
    {"command": None, "stream_output": False},
]


async def main():
    template = ProcessWorker.get_default_base_job_template()
    jobs = []
    for values in VALUES:
        job = await ProcessJobConfiguration.from_template_and_values(template, values)
        jobs.append({
            "values": values,
            "command": job.command,
            "env": {k: v for k, v in job.env.items() if v is not None},
            "working_dir": str(job.working_dir) if job.working_dir else None,
            "name": job.name,
        })
    print(json.dumps({"commands": [{"line": c, "words": shlex.split(c)} for c in COMMANDS], "jobs": jobs}, indent=1))


asyncio.run(main())
