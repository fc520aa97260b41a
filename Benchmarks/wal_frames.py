#!/usr/bin/env python3
"""Pages a flow-run create writes, counted instead of timed: a figure that does not move with
the CPU noise of a shared machine, so a change to the write path (an index, a table, what a
create stores) shows its effect in one run.

`prefect-swift server start` on a fresh database; after --warmup creates (so that each index
has more than one leaf), `strace` records the server's `pwrite64` calls while --creates more
are made one at a time with `POST /flow_runs/`. SQLite writes each WAL frame as a 24-byte header
(page number, commit mark) and the page, so the headers tell which pages each commit wrote;
SQLite's `dbstat` table names the B-tree (table or index) of each page. Writes to the database
file itself are the checkpoints' copies of those pages.

    Benchmarks/wal_frames.py [--bin .build/release/prefect-swift] [--creates 100] [--warmup 500]

Needs strace and the sqlite3 shell (apt-get install -y strace sqlite3). Prints JSON.
"""
import argparse
import collections
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

FRAME_HEADER = re.compile(r'^\d+\s+pwrite64\((\d+), "((?:\\x[0-9a-f]{2})+)"\.*, (\d+), \d+\) = \d+')
PAGE_WRITE = re.compile(r'^\d+\s+pwrite64\((\d+), "[^"]*"(?:\.\.\.)?, (\d+), \d+\) = \d+')


def post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read() or b"null")


def start_server(binary, home):
    database = os.path.join(home, "prefect.db")
    log = open(os.path.join(home, "server.log"), "w+")
    process = subprocess.Popen(
        [binary, "server", "start", "--no-ui", "--port", "0", "--database", database],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PREFECT_HOME": home})
    deadline = time.time() + 60
    while time.time() < deadline:
        log.seek(0)
        match = re.search(r"^PREFECT_API_URL=(\S+)", log.read(), re.M)
        if match:
            return process, match.group(1), database
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    log.seek(0)
    sys.exit(f"the server did not start:\n{log.read()}")


def descriptors(pid, database):
    """The server's file descriptors of the WAL and of the database file."""
    wal, main = set(), set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target == database + "-wal":
            wal.add(fd)
        elif target == database:
            main.add(fd)
    return wal, main


def page_owners(database, pages):
    wanted = ",".join(str(page) for page in sorted(pages)) or "0"
    rows = subprocess.run(
        ["sqlite3", "-readonly", database, f"SELECT pageno, name FROM dbstat WHERE pageno IN ({wanted})"],
        capture_output=True, text=True, check=True).stdout
    return {int(page): name for page, name in (line.split("|", 1) for line in rows.splitlines() if "|" in line)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=".build/release/prefect-swift")
    parser.add_argument("--creates", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=500)
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="wal-frames.")
    server, api, database = start_server(os.path.abspath(args.bin), home)
    try:
        flow_id = post(f"{api}/flows/", {"name": "wal-frames"})["id"]
        for _ in range(args.warmup):
            post(f"{api}/flow_runs/", {"flow_id": flow_id})
        wal_fds, main_fds = descriptors(server.pid, database)
        trace = os.path.join(home, "pwrite.trace")
        tracer = subprocess.Popen(
            ["strace", "-f", "-p", str(server.pid), "-e", "trace=pwrite64", "-x", "-s", "8", "-o", trace],
            stderr=subprocess.DEVNULL)
        time.sleep(1.0)
        started = time.time()
        for _ in range(args.creates):
            post(f"{api}/flow_runs/", {"flow_id": flow_id})
        elapsed = time.time() - started
        time.sleep(1.0)
        tracer.send_signal(signal.SIGINT)
        tracer.wait(timeout=30)

        commits, current, checkpoint_pages = [], [], 0
        for line in open(trace):
            header = FRAME_HEADER.match(line)
            if header and header.group(1) in wal_fds and header.group(3) == "24":
                raw = bytes(int(part, 16) for part in header.group(2).split("\\x")[1:])
                current.append(int.from_bytes(raw[0:4], "big"))
                if int.from_bytes(raw[4:8], "big"):
                    commits.append(current)
                    current = []
                continue
            write = PAGE_WRITE.match(line)
            if write and write.group(1) in main_fds and int(write.group(2)) >= 512:
                checkpoint_pages += 1
        owners = page_owners(database, {page for commit in commits for page in commit})
        by_btree = collections.Counter(owners.get(page, "(freed or new)") for commit in commits for page in commit)
        frames = sum(len(commit) for commit in commits)
        print(json.dumps({
            "what": "pages written per POST /flow_runs/ on prefect-swift server start, sequential",
            "creates": args.creates,
            "warmup_creates": args.warmup,
            "commits": len(commits),
            "wal_frames": frames,
            "wal_frames_per_create": round(frames / args.creates, 2),
            "median_frames_per_commit": statistics.median(len(commit) for commit in commits) if commits else None,
            "checkpoint_page_writes_per_create": round(checkpoint_pages / args.creates, 2),
            "frames_per_create_by_btree": {name: round(count / args.creates, 2) for name, count in by_btree.most_common()},
            "seconds_under_strace": round(elapsed, 3),
        }, indent=1))
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
