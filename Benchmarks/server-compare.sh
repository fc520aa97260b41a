#!/usr/bin/env bash
# The embedded server against the stock Prefect 3.9.1 server, side by side in one run:
#   1. wrk (Benchmarks/hot_calls.py) on POST /flow_runs/ and POST /flow_runs/filter
#      (limit 200) at each connection count, against `prefect server start` and then
#      `prefect-swift server start` (release build), each on a fresh database holding 500 flow
#      runs first (so that a filter returns 200 rows);
#   2. `prefect-bench embedded`: in-process createFlowRun(flowID:), client + server CPU per op, and
#      `prefect-bench client --embedded`: sections a–e of the client benchmark over
#      InProcessTransport;
#   1b. Benchmarks/pool_poll.py: POST /work_pools/{name}/get_scheduled_flow_runs (what workers
#      poll) with wrk, on a pool holding --pool-runs scheduled runs (10,000), on both servers;
#   1c. Benchmarks/deployment_runs.py: POST /deployments/{id}/create_flow_run (run_deployment's
#      request: parameters merged over the deployment's) with wrk, on both servers;
#   1e. Benchmarks/concurrency_cycles.py: slot cycles of a global concurrency limit (take with a
#      lease, give back) through Prefect's Python client, on both servers;
#   1d. Benchmarks/scheduler_stall.py: POST /flow_runs/ latency on `prefect-swift server start`
#      while its scheduler makes 1,000 runs (target: no request held up more than 50 ms);
#   3. `prefect-bench fill` creates 100,000 flow runs on `prefect-swift server start`, then the
#      server's resident memory is read from /proc, and the time a restart on that database
#      takes until /api/health answers.
#
#   Benchmarks/server-compare.sh [--duration 10] [--connections 1,16] [--fill 100000]
#       [--pool-runs 10000] [--out DIR]
#
# Needs wrk (apt-get install -y wrk) and the Prefect venv of scripts/prefect-server.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/swift-server-url.sh
source "$ROOT/scripts/swift-server-url.sh"
DURATION=10
CONNECTIONS=1,16
FILL=100000
POOL_RUNS=10000
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --fill) FILL="$2"; shift 2 ;;
    --pool-runs) POOL_RUNS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
OUT="${OUT:-$ROOT/bench-results/server-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

"$ROOT/scripts/prefect-server.sh" install >/dev/null
PY="$ROOT/.prefect-venv/bin/python"
(cd "$ROOT" && swift build -c release --product prefect-swift 2>&1 | grep -E "error:" >&2 || true)
(cd "$ROOT" && swift build -c release --product prefect-bench 2>&1 | grep -E "error:" >&2 || true)
BIN="$(cd "$ROOT" && swift build -c release --show-bin-path)"
WORK="$(mktemp -d /tmp/pfserver-compare.XXXXXX)"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_health() {
  for _ in $(seq 600); do [ "$(curl -s "$1/health" || true)" = "true" ] && return 0; sleep 0.1; done
  echo "no answer from $1/health" >&2; exit 1
}

echo "== stock Prefect 3.9.1 server ($(date -u +%H:%M:%S))" >&2
PORT=$(free_port)
PREFECT_HOME="$WORK/stock" PREFECT_SERVER_ANALYTICS_ENABLED=false PREFECT_UI_ENABLED=false \
  "$PY" -m prefect server start --host 127.0.0.1 --port "$PORT" >"$OUT/stock-server.log" 2>&1 &
STOCK_PID=$!; PIDS+=("$STOCK_PID")
wait_health "http://127.0.0.1:$PORT/api"; sleep 3
"$BIN/prefect-bench" fill --api-url "http://127.0.0.1:$PORT/api" --n 500 --concurrency 1 >/dev/null
"$PY" "$ROOT/Benchmarks/hot_calls.py" --api-url "http://127.0.0.1:$PORT/api" --server-pid "$STOCK_PID" \
  --duration "$DURATION" --connections "$CONNECTIONS" --output "$OUT/stock.json" >/dev/null
"$PY" "$ROOT/Benchmarks/pool_poll.py" --api-url "http://127.0.0.1:$PORT/api" --runs "$POOL_RUNS" --server-pid "$STOCK_PID" \
  --duration "$DURATION" --connections "$CONNECTIONS" --output "$OUT/stock-poll.json" >/dev/null
"$PY" "$ROOT/Benchmarks/deployment_runs.py" --api-url "http://127.0.0.1:$PORT/api" --server-pid "$STOCK_PID" \
  --duration "$DURATION" --connections "$CONNECTIONS" --output "$OUT/stock-deployment.json" >/dev/null
"$PY" "$ROOT/Benchmarks/concurrency_cycles.py" --api-url "http://127.0.0.1:$PORT/api" \
  --duration "$DURATION" --connections "$CONNECTIONS" --output "$OUT/stock-cycles.json" >/dev/null 2>"$OUT/stock-cycles.err"
kill "$STOCK_PID"; wait "$STOCK_PID" 2>/dev/null || true

echo "== prefect-swift server start ($(date -u +%H:%M:%S))" >&2
SWIFT_DB="$WORK/swift/prefect.db"
"$BIN/prefect-swift" server start --no-ui --port 0 --database "$SWIFT_DB" >"$WORK/swift.out" 2>&1 &
SWIFT_PID=$!; PIDS+=("$SWIFT_PID")
SWIFT_URL="$(swift_server_url "$WORK/swift.out" "$SWIFT_PID")"
"$BIN/prefect-bench" fill --api-url "$SWIFT_URL" --n 500 --concurrency 1 >/dev/null
"$PY" "$ROOT/Benchmarks/hot_calls.py" --api-url "$SWIFT_URL" --server-pid "$SWIFT_PID" \
  --duration "$DURATION" --connections "$CONNECTIONS" --output "$OUT/swift.json" >/dev/null
"$PY" "$ROOT/Benchmarks/pool_poll.py" --api-url "$SWIFT_URL" --runs "$POOL_RUNS" --server-pid "$SWIFT_PID" \
  --duration "$DURATION" --connections "$CONNECTIONS" --output "$OUT/swift-poll.json" >/dev/null
"$PY" "$ROOT/Benchmarks/deployment_runs.py" --api-url "$SWIFT_URL" --server-pid "$SWIFT_PID" \
  --duration "$DURATION" --connections "$CONNECTIONS" --output "$OUT/swift-deployment.json" >/dev/null
"$PY" "$ROOT/Benchmarks/concurrency_cycles.py" --api-url "$SWIFT_URL" \
  --duration "$DURATION" --connections "$CONNECTIONS" --output "$OUT/swift-cycles.json" >/dev/null 2>"$OUT/swift-cycles.err"

"$PY" "$ROOT/Benchmarks/scheduler_stall.py" --binary "$BIN/prefect-swift" --output "$OUT/scheduler-stall.json" >/dev/null

echo "== fill $FILL flow runs, then memory ($(date -u +%H:%M:%S))" >&2
"$BIN/prefect-bench" fill --api-url "$SWIFT_URL" --n "$FILL" --concurrency 16 >"$OUT/fill.json"
RUNS=$(curl -s -X POST "$SWIFT_URL/flow_runs/count" -H 'content-type: application/json' -d '{}')
RSS_KB=$(awk '/^VmRSS/ {print $2}' "/proc/$SWIFT_PID/status")
HWM_KB=$(awk '/^VmHWM/ {print $2}' "/proc/$SWIFT_PID/status")
kill -TERM "$SWIFT_PID"; wait "$SWIFT_PID" 2>/dev/null || true

echo "== restart on the filled database ($(date -u +%H:%M:%S))" >&2
RESTART_MS=$(python3 - "$BIN/prefect-swift" "$SWIFT_DB" <<'PYEOF'
import subprocess, sys, time, urllib.request
start = time.monotonic()
proc = subprocess.Popen([sys.argv[1], "server", "start", "--port", "0", "--database", sys.argv[2]],
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
url = None
for line in proc.stdout:
    if line.startswith("PREFECT_API_URL="):
        url = line.strip().split("=", 1)[1]
        break
while True:
    try:
        if urllib.request.urlopen(url + "/health").read() == b"true":
            break
    except Exception:
        time.sleep(0.005)
print(round((time.monotonic() - start) * 1000))
proc.terminate(); proc.wait()
PYEOF
)

echo "== in-process createFlowRun ($(date -u +%H:%M:%S))" >&2
"$BIN/prefect-bench" embedded --n 5000 >"$OUT/embedded.json"
"$BIN/prefect-bench" client --embedded --n 500 --settle 0.5 --output "$OUT/embedded_client.json" >/dev/null

python3 - "$OUT" "$RUNS" "$RSS_KB" "$HWM_KB" "$RESTART_MS" <<'PYEOF' | tee "$OUT/summary.md"
import json, sys, pathlib
out = pathlib.Path(sys.argv[1]); runs, rss_kb, hwm_kb, restart_ms = sys.argv[2:6]
stock = json.loads((out / "stock.json").read_text())["results"]
swift = json.loads((out / "swift.json").read_text())["results"]
print("| request | conns | stock ok/s | stock p99 ms | prefect-swift ok/s | prefect-swift p50 ms | p99 ms | errors | server CPU µs/req |")
print("|---|---:|---:|---:|---:|---:|---:|---|---:|")
for key in sorted(swift):
    s, k = swift[key], stock.get(key, {})
    sl, kl = s.get("latency_ms") or {}, k.get("latency_ms") or {}
    errors = {name: s.get(field) for name, field in (("non-2xx", "err_status_ge_400"), ("socket", "err_socket")) if s.get(field)}
    print(f"| {key.rsplit('_c', 1)[0]} | {key.rsplit('_c', 1)[1]} | {k.get('ok_per_s')} | {kl.get('p99')} | {s.get('ok_per_s')} | {sl.get('p50')} | {sl.get('p99')} | {errors or 'none'} | {s.get('server_cpu_us_per_req')} |")
for ep in ("create", "filter"):
    best_stock = max((v.get("ok_per_s") or 0) for k2, v in stock.items() if k2.startswith(ep))
    best_swift = max((v.get("ok_per_s") or 0) for k2, v in swift.items() if k2.startswith(ep))
    if best_stock:
        print(f"\n{ep}: best prefect-swift {best_swift} ok/s vs best stock {best_stock} ok/s = {best_swift / best_stock:.1f}×")
stock_poll = json.loads((out / "stock-poll.json").read_text())
swift_poll = json.loads((out / "swift-poll.json").read_text())
print(f"\n| get_scheduled_flow_runs, pool of {swift_poll['meta']['runs_in_pool']} scheduled runs, "
      f"{swift_poll['meta']['runs_per_poll']} per answer | conns | stock ok/s | stock p99 ms | prefect-swift ok/s | p50 ms | p99 ms | errors | server CPU µs/req |")
print("|---|---:|---:|---:|---:|---:|---:|---|---:|")
for key in sorted(swift_poll["results"]):
    s, k = swift_poll["results"][key], stock_poll["results"].get(key, {})
    sl, kl = s.get("latency_ms") or {}, k.get("latency_ms") or {}
    errors = {name: s.get(field) for name, field in (("non-2xx", "err_status_ge_400"), ("socket", "err_socket")) if s.get(field)}
    print(f"| poll | {key.rsplit('_c', 1)[1]} | {k.get('ok_per_s')} | {kl.get('p99')} | {s.get('ok_per_s')} | {sl.get('p50')} | {sl.get('p99')} | {errors or 'none'} | {s.get('server_cpu_us_per_req')} |")
best_stock_poll = max((v.get("ok_per_s") or 0) for v in stock_poll["results"].values())
best_swift_poll = max((v.get("ok_per_s") or 0) for v in swift_poll["results"].values())
if best_stock_poll:
    print(f"\npoll: best prefect-swift {best_swift_poll} ok/s vs best stock {best_stock_poll} ok/s = {best_swift_poll / best_stock_poll:.1f}× "
          f"(filling the pool took {stock_poll['meta']['fill_s']} s on stock, {swift_poll['meta']['fill_s']} s on prefect-swift)")
stock_dep = json.loads((out / "stock-deployment.json").read_text())["results"]
swift_dep = json.loads((out / "swift-deployment.json").read_text())["results"]
print("\n| POST /deployments/{id}/create_flow_run | conns | stock ok/s | stock errors | stock p99 ms | prefect-swift ok/s | p50 ms | p99 ms | errors | server CPU µs/req |")
print("|---|---:|---:|---|---:|---:|---:|---:|---|---:|")
def errors_of(r):
    return {name: r.get(field) for name, field in (("non-2xx", "err_status_ge_400"), ("socket", "err_socket")) if r.get(field)} or "none"
for key in sorted(swift_dep):
    s, k = swift_dep[key], stock_dep.get(key, {})
    sl, kl = s.get("latency_ms") or {}, k.get("latency_ms") or {}
    print(f"| create_flow_run | {key.rsplit('_c', 1)[1]} | {k.get('ok_per_s')} | {errors_of(k)} | {kl.get('p99')} | {s.get('ok_per_s')} | {sl.get('p50')} | {sl.get('p99')} | {errors_of(s)} | {s.get('server_cpu_us_per_req')} |")
best_stock_dep = max((v.get("ok_per_s") or 0) for v in stock_dep.values())
best_swift_dep = max((v.get("ok_per_s") or 0) for v in swift_dep.values())
if best_stock_dep:
    print(f"\ncreate_flow_run from a deployment: best prefect-swift {best_swift_dep} ok/s vs best stock {best_stock_dep} ok/s = {best_swift_dep / best_stock_dep:.1f}×")
stock_cycles = json.loads((out / "stock-cycles.json").read_text())["results"]
swift_cycles = json.loads((out / "swift-cycles.json").read_text())["results"]
print("\n| slot cycle (increment-with-lease + decrement-with-lease, Python client) | conns | stock cycles/s | stock p99 ms | stock failures "
      "| prefect-swift cycles/s | p50 ms | p99 ms | failures |")
print("|---|---:|---:|---:|---|---:|---:|---:|---|")
for k, s in zip(stock_cycles, swift_cycles):
    print(f"| cycle | {s['connections']} | {k['cycles_per_s']} | {k['p99_ms']} | {k['failures'] or 'none'} | {s['cycles_per_s']} | "
          f"{s['p50_ms']} | {s['p99_ms']} | {s['failures'] or 'none'} |")
stall = json.loads((out / "scheduler-stall.json").read_text())
before, during = stall["results"]["before"], stall["results"]["while_scheduling"]
print(f"\nscheduler: {stall['meta']['runs_made']} runs made in {stall['meta']['seconds_to_make']} s; POST /flow_runs/ meanwhile "
      f"p50 {during.get('p50_ms')} ms, p99 {during.get('p99_ms')} ms, max {during.get('max_ms')} ms "
      f"(before: p50 {before.get('p50_ms')}, p99 {before.get('p99_ms')}, max {before.get('max_ms')} ms)")
emb = json.loads((out / "embedded.json").read_text())
fill = json.loads((out / "fill.json").read_text())
print(f"\nin-process createFlowRun(flowID:): {emb.get('client_cpu_us_per_op')} µs CPU per create (client + server), "
      f"p50 {(emb.get('latency_ms') or {}).get('p50')} ms")
print(f"fill: {fill['created']} flow runs at {fill['per_second']}/s (16 in flight, Swift client over HTTP); "
      f"server count {runs}; server RSS afterwards {int(rss_kb) / 1024:.1f} MiB (peak {int(hwm_kb) / 1024:.1f} MiB)")
print(f"restart on that database until /health answers: {restart_ms} ms")
client = json.loads((out / "embedded_client.json").read_text())["results"]
print("\n| prefect-bench client --embedded (InProcessTransport) | CPU µs/op, client + server | p50 ms |\n|---|---:|---:|")
for key, r in sorted(client.items()):
    if isinstance(r, dict) and r.get("client_cpu_us_per_op") is not None:
        print(f"| {key} | {r['client_cpu_us_per_op']:,.0f} | {(r.get('latency_ms') or {}).get('p50')} |")
PYEOF
echo "results in $OUT" >&2
