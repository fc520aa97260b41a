#!/usr/bin/env bash
# schemathesis against a fresh stock Prefect 3.9.1 server and a fresh `prefect-swift server
# start` (release build) in one run, each against its own /api/openapi.json, with the same
# checks, phases, seed and time budget (scripts/fuzz-api.sh). The stock server has failures of
# its own (5xx answers among them): they are the comparison, not a target to match.
#
#   Benchmarks/fuzz-compare.sh [--seconds 600] [--seed 1] [--out DIR]
#
# Writes stock.json and swift.json (counts: generated cases, failures by check, 5xx answers shown)
# and the two summaries under DIR (default bench-results/fuzz-…).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/swift-server-url.sh
source "$ROOT/scripts/swift-server-url.sh"
SECONDS_BUDGET=600
SEED=1
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_BUDGET="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
OUT="${OUT:-$ROOT/bench-results/fuzz-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
"$ROOT/scripts/prefect-server.sh" install >/dev/null
(cd "$ROOT" && swift build -c release --product prefect-swift 2>&1 | grep -E "error:" >&2)
BIN="$(cd "$ROOT" && swift build -c release --show-bin-path)/prefect-swift"
WORK="$(mktemp -d /tmp/fuzz-compare.XXXXXX)"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$WORK"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
healthy() { python3 -c 'import sys, urllib.request; sys.exit(urllib.request.urlopen(sys.argv[1] + "/health", timeout=5).read().strip() != b"true")' "$1" 2>/dev/null; }

echo "== stock Prefect 3.9.1 ($(date -u +%H:%M:%S))" >&2
PORT=$(free_port)
PREFECT_HOME="$WORK/stock" PREFECT_SERVER_ANALYTICS_ENABLED=false PREFECT_UI_ENABLED=false \
  "$ROOT/.prefect-venv/bin/prefect" server start --host 127.0.0.1 --port "$PORT" >"$OUT/stock-server.log" 2>&1 &
STOCK_PID=$!; PIDS+=("$STOCK_PID")
for _ in $(seq 240); do healthy "http://127.0.0.1:$PORT/api" && break; sleep 0.5; done
"$ROOT/scripts/fuzz-api.sh" "http://127.0.0.1:$PORT/api" --max-time "$SECONDS_BUDGET" --seed "$SEED" \
  --report "$OUT/stock.json" >"$OUT/stock.txt" 2>&1
healthy "http://127.0.0.1:$PORT/api" && echo "stock: healthy afterwards" >&2 || echo "stock: NOT healthy afterwards" >&2
kill "$STOCK_PID"

echo "== prefect-swift server start ($(date -u +%H:%M:%S))" >&2
"$BIN" server start --no-ui --port 0 --database "$WORK/swift.db" >"$WORK/swift.out" 2>&1 &
SWIFT_PID=$!; PIDS+=("$SWIFT_PID")
SWIFT_URL="$(swift_server_url "$WORK/swift.out" "$SWIFT_PID")"
"$ROOT/scripts/fuzz-api.sh" "$SWIFT_URL" --max-time "$SECONDS_BUDGET" --seed "$SEED" \
  --report "$OUT/swift.json" >"$OUT/swift.txt" 2>&1
healthy "$SWIFT_URL" && echo "prefect-swift: healthy afterwards" >&2 || echo "prefect-swift: NOT healthy afterwards" >&2
kill "$SWIFT_PID"

python3 - "$OUT" <<'EOF' | tee "$OUT/summary.md"
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
print("| server | cases generated | failures by check | 5xx answers shown |\n|---|---:|---|---:|")
for name in ("stock", "swift"):
    r = json.loads((out / f"{name}.json").read_text())
    print(f"| {name} | {r['generated']} | {r['failures'] or 'none'} | {r['server_error_answers_shown']} |")
EOF
echo "results in $OUT" >&2
