#!/usr/bin/env bash
# Task runs reported over REST against reported as events (Prefect 3.9.1's engine's way), in
# one run: the Swift runtime's flows of N `add_one` tasks in each mode against one fresh stock
# Prefect 3.9.1 server (its services on, so its task-run recorder runs), then against a fresh
# `prefect-swift server start`. Per mode: HTTP requests per task, server CPU per task, wall
# time, and how long after the flow returned the server showed every task run Completed.
#
#   Benchmarks/task-run-reporting.sh [--tasks 100] [--port 4320] [--out DIR] [--repeats 3]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TASKS=100
PORT=4320
OUT=""
REPEATS=3
while [ $# -gt 0 ]; do
  case "$1" in
    --tasks) TASKS="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --repeats) REPEATS="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
OUT="${OUT:-$ROOT/bench-results/task-run-reporting-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"

"$ROOT/scripts/prefect-server.sh" install >/dev/null
PY="$ROOT/.prefect-venv/bin/python"
for product in prefect-bench prefect-swift; do
  (cd "$ROOT" && swift build -c release --product "$product" 2>&1 | grep -E "error:|warning: .*/(Sources|Benchmarks)/" >&2 || true)
done
BIN="$(cd "$ROOT" && swift build -c release --show-bin-path)"

wait_healthy() {
  for _ in $(seq 60); do
    [ "$(curl -s "$1/health" || true)" = "true" ] && return 0
    sleep 1
  done
  echo "no server at $1" >&2
  exit 1
}

run_modes() { # server-name api-url server-pid
  for mode in rest events; do
    echo "== $1, task runs as $mode, $TASKS tasks" >&2
    "$BIN/prefect-bench" flows --api-url "$2" --flow-tasks "$TASKS" --repeats "$REPEATS" --sizes "$TASKS" \
      --server-pid "$3" --task-run-reporting "$mode" --output "$OUT/$1-$mode.json" >/dev/null
  done
}

STOCK_HOME="$(mktemp -d /tmp/pfreport-stock.XXXXXX)"
PREFECT_HOME="$STOCK_HOME" PREFECT_SERVER_ANALYTICS_ENABLED=false PREFECT_UI_ENABLED=false \
  "$PY" -m prefect server start --host 127.0.0.1 --port "$PORT" >"$OUT/prefect-server.log" 2>&1 &
STOCK_PID=$!
SWIFT_HOME="$(mktemp -d /tmp/pfreport-swift.XXXXXX)"
SWIFT_PID=""
trap 'kill "$STOCK_PID" ${SWIFT_PID:+"$SWIFT_PID"} 2>/dev/null || true; rm -rf "$STOCK_HOME" "$SWIFT_HOME"' EXIT
wait_healthy "http://127.0.0.1:$PORT/api"
run_modes prefect "http://127.0.0.1:$PORT/api" "$STOCK_PID"
kill "$STOCK_PID"

"$BIN/prefect-swift" server start --port "$((PORT + 1))" --database "$SWIFT_HOME/bench.db" >"$OUT/swift-server.log" 2>&1 &
SWIFT_PID=$!
wait_healthy "http://127.0.0.1:$((PORT + 1))/api"
run_modes swift "http://127.0.0.1:$((PORT + 1))/api" "$SWIFT_PID"

"$PY" - "$OUT" <<'PYEOF'
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
rows = []
for server in ("prefect", "swift"):
    for mode in ("rest", "events"):
        result = json.loads((out / f"{server}-{mode}.json").read_text())["results"]
        seq = result["f_flow_seq"]
        submit = result["f_flow_submit"]
        rows.append({
            "server": "Prefect 3.9.1" if server == "prefect" else "prefect-swift server start",
            "reporting": mode,
            "seq_wall_us_per_task": seq.get("wall_us_per_task"),
            "submit_wall_us_per_task": submit.get("wall_us_per_task"),
            "http_requests_per_task": seq.get("http_requests_per_task"),
            "server_cpu_ms_per_task": seq.get("server_cpu_ms_per_task"),
            "server_shows_all_after_s": seq.get("server_shows_all_after_s"),
            "submit_server_shows_all_after_s": submit.get("server_shows_all_after_s"),
            "completed": seq.get("server_completed_task_runs"),
        })
summary = {"tasks": rows[0] and json.loads((out / "prefect-rest.json").read_text())["meta"]["flow_tasks"], "rows": rows}
(out / "summary.json").write_text(json.dumps(summary, indent=2))
print(json.dumps(summary, indent=2))
PYEOF
