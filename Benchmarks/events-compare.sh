#!/usr/bin/env bash
# The event path side by side in one run (Benchmarks/events_bench.py on each): a fresh stock
# Prefect 3.9.1 server (`prefect server start`, services on) and `prefect-swift server start`
# (release build, services on), each on a fresh database: events ingested per second on
# /api/events/in, a state change to an /api/events/out subscriber (p50/p99), and a triggering
# event to its automation's executed action (p50/p99). Prints both JSON lines and a table.
#
#   Benchmarks/events-compare.sh [--events 2000] [--samples 30] [--out DIR]
#
# Needs the Prefect venv of scripts/prefect-server.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/swift-server-url.sh
source "$ROOT/scripts/swift-server-url.sh"
EVENTS=2000
SAMPLES=30
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --events) EVENTS="$2"; shift 2 ;;
    --samples) SAMPLES="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
OUT="${OUT:-$ROOT/bench-results/events-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"

"$ROOT/scripts/prefect-server.sh" install >/dev/null
PY="$ROOT/.prefect-venv/bin/python"
(cd "$ROOT" && swift build -c release --product prefect-swift 2>&1 | grep -E "error:" >&2 || true)
BIN="$(cd "$ROOT" && swift build -c release --show-bin-path)"
WORK="$(mktemp -d /tmp/pfevents-compare.XXXXXX)"
SWIFT_PID=""
trap '[ -n "$SWIFT_PID" ] && kill "$SWIFT_PID" 2>/dev/null; "$ROOT/scripts/prefect-server.sh" stop bench-events >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

STOCK_URL="$("$ROOT/scripts/prefect-server.sh" start bench-events)"
"$PY" "$ROOT/Benchmarks/events_bench.py" "$STOCK_URL" --events "$EVENTS" --samples "$SAMPLES" | tee "$OUT/stock.json"
"$ROOT/scripts/prefect-server.sh" stop bench-events >/dev/null

PREFECT_HOME="$WORK" "$BIN/prefect-swift" server start --no-ui --port 0 --database "$WORK/prefect.db" >"$WORK/out" 2>&1 &
SWIFT_PID=$!
SWIFT_URL="$(swift_server_url "$WORK/out" "$SWIFT_PID")"
"$PY" "$ROOT/Benchmarks/events_bench.py" "$SWIFT_URL" --events "$EVENTS" --samples "$SAMPLES" | tee "$OUT/swift.json"

"$PY" - "$OUT/stock.json" "$OUT/swift.json" <<'PYEOF'
import json, sys
stock, swift = (json.load(open(path)) for path in sys.argv[1:3])
rows = [("events ingested per second (/events/in)", "ingest", "events_per_second"),
        ("state change -> /events/out subscriber, p50 ms", "state_change_to_subscriber", "p50_ms"),
        ("state change -> /events/out subscriber, p99 ms", "state_change_to_subscriber", "p99_ms"),
        ("triggering event -> action executed, p50 ms", "trigger_to_action", "p50_ms"),
        ("triggering event -> action executed, p99 ms", "trigger_to_action", "p99_ms")]
print(f"{'':50} {'Prefect 3.9.1':>14} {'prefect-swift':>14}")
for label, section, key in rows:
    print(f"{label:50} {stock[section][key]:>14} {swift[section][key]:>14}")
PYEOF
