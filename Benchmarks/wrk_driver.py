"""wrk (apt-get install -y wrk) driven from Python, for the project's benchmarks: one request
repeated, or a weighted mix of requests, each run reporting requests, answers by status,
socket errors, latency percentiles (from wrk's own histogram), wrk's CPU and, given the
server's pid, the server's CPU.

A mix is a list of `Action`s: each has a weight, a method, a path and a body, where `{run}` in
the path or body is replaced by the id of a flow run some 201 answer created (each wrk thread
keeps the last 1,000 it saw), so state changes and logs land on real runs. The Lua that wrk
runs is generated here. wrk does not tell which request an answer belongs to, so answers are
counted by what their bodies are (`flow_run`, `set_state`, `null`, `list`, `other`) and status.

    import wrk_driver
    result = wrk_driver.run(url, wrk_driver.single("POST", "/flow_runs/filter", body), connections=16, seconds=10)
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
import resource
import shutil
import subprocess
import tempfile
import time
from urllib.parse import urlsplit

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclasses.dataclass
class Action:
    name: str
    weight: int
    method: str
    path: str
    body: str | None = None
    creates: bool = False  # the action to send while no run is known yet


def single(method: str, path: str, body: dict | list | None = None, name: str = "request") -> list[Action]:
    return [Action(name, 1, method, path, None if body is None else json.dumps(body))]


def _lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def lua(actions: list[Action], base_path: str) -> str:
    """The wrk script of a mix."""
    total = sum(a.weight for a in actions)
    lines = [
        'local actions = {}',
        'local total = %d' % total,
    ]
    for a in actions:
        lines.append("table.insert(actions, {name=%s, weight=%d, method=%s, path=%s, body=%s, creates=%s})" % (
            _lua_string(a.name), a.weight, _lua_string(a.method), _lua_string(base_path + a.path),
            "nil" if a.body is None else _lua_string(a.body), "true" if a.creates else "false"))
    lines.append(r'''
local threads = {}
setup = function(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

counts = {}
runs = {}
local needs_run = {}
for i, a in ipairs(actions) do
  needs_run[i] = (a.path:find("{run}", 1, true) ~= nil) or (a.body ~= nil and a.body:find("{run}", 1, true) ~= nil)
end

init = function(args)
  math.randomseed(os.time() + (id or 0) * 7919)
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-PREFECT-API-VERSION"] = "0.8.4"
end

local function pick()
  local r = math.random(total)
  for i, a in ipairs(actions) do
    r = r - a.weight
    if r <= 0 then return i end
  end
  return #actions
end

request = function()
  local i = pick()
  if needs_run[i] and #runs == 0 then
    for j, a in ipairs(actions) do if a.creates then i = j break end end
  end
  local a = actions[i]
  local path, body = a.path, a.body
  if needs_run[i] then
    local run = runs[math.random(#runs)]
    path = path:gsub("{run}", run)
    if body then body = body:gsub("{run}", run) end
  end
  return wrk.format(a.method, path, nil, body)
end

-- wrk does not say which request an answer belongs to (a thread's connections answer in any
-- order), so answers are told apart by their bodies.
local function kind(status, body)
  if body == nil or body == "" then return "empty" end
  if body:find('"status":"ACCEPT"', 1, true) or body:find('"status":"REJECT"', 1, true)
     or body:find('"status":"WAIT"', 1, true) or body:find('"status":"ABORT"', 1, true) then return "set_state" end
  if body:sub(1, 1) == "{" and body:find('"flow_id"', 1, true) and body:find('"state_type"', 1, true) then return "flow_run" end
  if body == "null" then return "null" end
  if body:sub(1, 1) == "[" then return "list" end
  return "other"
end

response = function(status, headers, body)
  local k = kind(status, body)
  local key = k .. " " .. status
  counts[key] = (counts[key] or 0) + 1
  if k == "flow_run" and status == 201 then
    local run = body:match('"id":"([0-9a-f%-]+)"')
    if run then
      if #runs >= 1000 then table.remove(runs, 1) end
      table.insert(runs, run)
    end
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  local all = {}
  for _, t in ipairs(threads) do
    for key, n in pairs(t:get("counts")) do all[key] = (all[key] or 0) + n end
  end
  local parts = {}
  for key, n in pairs(all) do table.insert(parts, string.format('"%s":%d', key, n)) end
  io.write(string.format(
    'WRKRESULT {"requests":%d,"duration_us":%d,"bytes":%d,"err_connect":%d,"err_read":%d,' ..
    '"err_write":%d,"err_status":%d,"err_timeout":%d,"lat_mean_us":%.1f,"lat_max_us":%d,' ..
    '"lat_p50_us":%d,"lat_p90_us":%d,"lat_p99_us":%d,"lat_p999_us":%d,"answers":{%s}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.max, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), table.concat(parts, ",")))
end
''')
    return "\n".join(lines)


def process_tree_cpu(pid: int | None) -> float | None:
    """User and system CPU seconds of `pid` and its live descendants, from /proc."""
    if pid is None:
        return None
    children: dict[int, list[int]] = {}
    ticks: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        ticks[int(entry)] = int(fields[11]) + int(fields[12])
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += ticks.get(current, 0)
        todo.extend(children.get(current, []))
    return total / CLOCK_TICKS


def rss_megabytes(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run(api_url: str, actions: list[Action], connections: int, seconds: int, threads: int = 1,
        server_pid: int | None = None, wrk: str | None = None) -> dict:
    """Runs wrk with `actions` against `api_url` (ending in /api) and returns its figures."""
    wrk = wrk or shutil.which("wrk") or "wrk"
    parts = urlsplit(api_url.rstrip("/"))
    origin, base_path = f"{parts.scheme}://{parts.netloc}", parts.path
    threads = max(1, min(threads, connections))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(lua(actions, base_path))
        script = fh.name
    try:
        server0 = process_tree_cpu(server_pid)
        children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", script, origin + base_path],
            capture_output=True, text=True, timeout=seconds + 120)
        wall = time.perf_counter() - started
        children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        server1 = process_tree_cpu(server_pid)
    finally:
        os.unlink(script)
    found = re.search(r"^WRKRESULT (\{.*\})$", done.stdout, re.M)
    if not found:
        return {"error": f"wrk exited {done.returncode}", "stdout": done.stdout[-2000:], "stderr": done.stderr[-2000:]}
    w = json.loads(found.group(1))
    duration = w["duration_us"] / 1e6
    answers = dict(sorted(w["answers"].items()))
    by_status: dict[str, int] = {}
    for key, count in answers.items():
        status = key.rsplit(" ", 1)[1]
        by_status[status] = by_status.get(status, 0) + count
    ok = sum(n for status, n in by_status.items() if status.startswith("2"))
    result = {
        "connections": connections, "wrk_threads": threads, "duration_s": round(duration, 2),
        "requests": w["requests"], "requests_per_s": round(w["requests"] / duration, 1), "ok_per_s": round(ok / duration, 1),
        "answers": answers, "statuses": dict(sorted(by_status.items())),
        "err_status_ge_400": w["err_status"],
        "err_socket": sum(w[k] for k in ("err_connect", "err_read", "err_write", "err_timeout")),
        "err_detail": {k: w[k] for k in ("err_connect", "err_read", "err_write", "err_timeout")},
        "latency_ms": {k: round(w[f"lat_{k}_us"] / 1000, 3) for k in ("mean", "p50", "p90", "p99", "p999", "max")},
        "wrk_cpu_s": round((children1.ru_utime - children0.ru_utime) + (children1.ru_stime - children0.ru_stime), 2),
        "wall_s": round(wall, 2),
    }
    if server0 is not None and server1 is not None:
        result["server_cpu_s"] = round(server1 - server0, 2)
        result["server_cpu_us_per_req"] = round((server1 - server0) / max(w["requests"], 1) * 1e6, 1)
    return result
