#!/usr/bin/env bash
# Section f side by side in one run: flows of N `add_one` tasks (sequential, concurrent, map)
# and an empty flow through Prefect's Python engine and through the Swift runtime (task runs as
# events, the default, then by REST), against one fresh stock Prefect 3.9.1 server, then the
# Swift runtime on the embedded server in-process.
#
#   Benchmarks/flow-compare.sh [--tasks 200] [--port 4310] [--out DIR] [--repeats 3]
#
# Needs the Prefect venv of scripts/prefect-server.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TASKS=200
PORT=4310
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
OUT="${OUT:-$ROOT/bench-results/flows-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"

"$ROOT/scripts/prefect-server.sh" install >/dev/null
PY="$ROOT/.prefect-venv/bin/python"
(cd "$ROOT" && swift build -c release --product prefect-bench 2>&1 | grep -E "error:|warning: .*/(Sources|Benchmarks)/" >&2 || true)
BENCH="$(cd "$ROOT" && swift build -c release --show-bin-path)/prefect-bench"

HOME_DIR="$(mktemp -d /tmp/pfflows-home.XXXXXX)"
PREFECT_HOME="$HOME_DIR" PREFECT_SERVER_ANALYTICS_ENABLED=false PREFECT_UI_ENABLED=false \
  "$PY" -m prefect server start --host 127.0.0.1 --port "$PORT" >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true; rm -rf "$HOME_DIR"' EXIT
API_URL="http://127.0.0.1:$PORT/api"
for _ in $(seq 60); do
  [ "$(curl -s "$API_URL/health" || true)" = "true" ] && break
  sleep 1
done

# Waits (at most 60 s) until the server used under 5 % of a core for a second: its task-run
# recorder works through the events of the run before long after that run returned, and the
# next engine measured must not share the two cores with it.
wait_quiet() {
  local ticks before after
  ticks="$(getconf CLK_TCK)"
  for _ in $(seq 60); do
    before="$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")"
    sleep 1
    after="$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")"
    [ $(( (after - before) * 100 )) -lt $(( ticks * 5 )) ] && return 0
  done
}

wait_quiet
echo "== Python engine (prefect 3.9.1), section f, $TASKS tasks" >&2
PREFECT_API_URL="$API_URL" PREFECT_HOME="$HOME_DIR" "$PY" "$ROOT/Benchmarks/python_client.py" \
  --api-url "$API_URL" --sections f --flow-tasks "$TASKS" --server-pid "$SERVER_PID" \
  --output "$OUT/python_flows.json" >/dev/null
wait_quiet
echo "== Swift runtime against the same server (task runs as events, the default)" >&2
"$BENCH" flows --api-url "$API_URL" --flow-tasks "$TASKS" --repeats 1 --sizes 10,50 --server-pid "$SERVER_PID" \
  --output "$OUT/swift_flows_server.json" >/dev/null
wait_quiet
echo "== Swift runtime against the same server, task runs by REST" >&2
"$BENCH" flows --api-url "$API_URL" --flow-tasks "$TASKS" --repeats 1 --sizes 10 --server-pid "$SERVER_PID" \
  --task-run-reporting rest --output "$OUT/swift_flows_server_rest.json" >/dev/null
echo "== Swift runtime on the embedded server, in-process" >&2
"$BENCH" flows --flow-tasks "$TASKS" --repeats "$REPEATS" --output "$OUT/swift_flows_embedded.json" >/dev/null
"$PY" "$ROOT/Benchmarks/flow-summary.py" "$OUT/python_flows.json" "$OUT/swift_flows_server.json" \
  "$OUT/swift_flows_server_rest.json" "$OUT/swift_flows_embedded.json" | tee "$OUT/summary.md"
