#!/usr/bin/env bash
# The Swift vs Python client comparison in one run: starts a fresh stock Prefect 3.9.1 server,
# runs Benchmarks/python_client.py (Prefect's own client) and `prefect-bench client` against it
# one after the other, then `prefect-bench decode`, and prints one table. The pydantic decode
# figure is python_client.py's own (TypeAdapter(list[FlowRun]).validate_json on the 200-row
# response of section c), measured at another moment than ours: on a noisy machine prefer
# Benchmarks/decode-compare.sh, which alternates the two decoders on one fixture.
#
#   Benchmarks/compare.sh [--n 500] [--port 4300] [--out DIR] [--sections a,b,c,d,e]
#                         [--server-args "--no-services"]
#
# Needs the Prefect venv of scripts/prefect-server.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N=500
PORT=4300
SECTIONS=a,b,c,d,e
OUT=""
SERVER_ARGS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --n) N="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --sections) SECTIONS="$2"; shift 2 ;;
    --server-args) SERVER_ARGS="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
OUT="${OUT:-$ROOT/bench-results/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"

"$ROOT/scripts/prefect-server.sh" install >/dev/null
PY="$ROOT/.prefect-venv/bin/python"
(cd "$ROOT" && swift build -c release --product prefect-bench 2>&1 | grep -E "error:|warning: .*/(Sources|Benchmarks)/" >&2 || true)
BENCH="$(cd "$ROOT" && swift build -c release --show-bin-path)/prefect-bench"

HOME_DIR="$(mktemp -d /tmp/pfcompare-home.XXXXXX)"
# shellcheck disable=SC2086
PREFECT_HOME="$HOME_DIR" PREFECT_SERVER_ANALYTICS_ENABLED=false PREFECT_UI_ENABLED=false \
  "$PY" -m prefect server start --host 127.0.0.1 --port "$PORT" $SERVER_ARGS >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true; rm -rf "$HOME_DIR"' EXIT
API_URL="http://127.0.0.1:$PORT/api"
for _ in $(seq 60); do
  [ "$(curl -s "$API_URL/health" || true)" = "true" ] && break
  sleep 1
done
[ "$(curl -s "$API_URL/health" || true)" = "true" ] || { echo "server at $API_URL not healthy" >&2; exit 1; }
sleep 5

echo "== Python client ($(date -u +%H:%M:%S))" >&2
"$PY" "$ROOT/Benchmarks/python_client.py" --api-url "$API_URL" --server-pid "$SERVER_PID" \
  --n "$N" --sections "$SECTIONS" --output "$OUT/python_client.json" >/dev/null 2>"$OUT/python_client.stderr"
echo "== Swift client ($(date -u +%H:%M:%S))" >&2
"$BENCH" client --api-url "$API_URL" --server-pid "$SERVER_PID" --n "$N" --sections "$SECTIONS" \
  --output "$OUT/swift_client.json" >/dev/null

FIXTURE="$ROOT/Tests/PrefectSchemasTests/Fixtures/flow_runs_filter_200.json"
echo "== decode ($(date -u +%H:%M:%S))" >&2
"$BENCH" decode --file "$FIXTURE" >"$OUT/swift_decode.json"

python3 - "$OUT" <<'EOF' | tee "$OUT/summary.md"
import json, sys, pathlib
out = pathlib.Path(sys.argv[1])
py = json.loads((out / "python_client.json").read_text())["results"]
sw = json.loads((out / "swift_client.json").read_text())["results"]
print("| section | Python client CPU µs/op | Swift client CPU µs/op | Python / Swift | Python p50 ms | Swift p50 ms |\n|---|---:|---:|---:|---:|---:|")
for key in sorted(set(py) & set(sw)):
    p, s = py[key].get("client_cpu_us_per_op"), sw[key].get("client_cpu_us_per_op")
    if isinstance(p, (int, float)) and isinstance(s, (int, float)) and s > 0:
        pl, sl = (py[key].get("latency_ms") or {}).get("p50"), (sw[key].get("latency_ms") or {}).get("p50")
        print(f"| {key} | {p:,.0f} | {s:,.0f} | {p / s:.1f}× | {pl} | {sl} |")
rows = py["c_summary"]["rows_per_read"]
pydantic_us = py["c_decode_typeadapter_validate_json"]["client_cpu_us_per_op"]
pydantic_rate = rows / pydantic_us * 1e6
sd = json.loads((out / "swift_decode.json").read_text())
print(f"\nDecode FlowRuns: pydantic TypeAdapter.validate_json {pydantic_us:,.0f} µs per {rows} "
      f"({pydantic_rate:,.0f} objects/s), PrefectJSONDecoder {sd['us_per_decode']:,} µs per "
      f"{sd['objects_per_decode']} ({sd['objects_per_second']:,.0f} objects/s): "
      f"{sd['objects_per_second'] / pydantic_rate:.1f}×")
EOF
echo "results in $OUT" >&2
