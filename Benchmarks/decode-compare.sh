#!/usr/bin/env bash
# Decoding a captured 200-run `/flow_runs/filter` answer: PrefectJSONDecoder (`prefect-bench
# decode`) against pydantic with Prefect 3.9.1's models (Benchmarks/pydantic_decode.py), in
# alternating rounds so that both see the same machine; prints each round and the medians.
#
#   Benchmarks/decode-compare.sh [--rounds 5] [--file FIXTURE] [--out DIR]
#
# Needs the Prefect venv of scripts/prefect-server.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS=5
FIXTURE="$ROOT/Tests/PrefectSchemasTests/Fixtures/flow_runs_filter_200.json"
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --file) FIXTURE="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
OUT="${OUT:-$ROOT/bench-results/decode-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
"$ROOT/scripts/prefect-server.sh" install >/dev/null
PY="$ROOT/.prefect-venv/bin/python"
(cd "$ROOT" && swift build -c release --product prefect-bench 2>&1 | grep -E "error:" >&2 || true)
BENCH="$(cd "$ROOT" && swift build -c release --show-bin-path)/prefect-bench"

for round in $(seq "$ROUNDS"); do
  "$PY" "$ROOT/Benchmarks/pydantic_decode.py" --file "$FIXTURE" >"$OUT/pydantic-$round.json"
  "$BENCH" decode --file "$FIXTURE" >"$OUT/swift-$round.json"
done

python3 - "$OUT" "$ROUNDS" <<'PY' | tee "$OUT/summary.md"
import json, pathlib, statistics, sys
out, rounds = pathlib.Path(sys.argv[1]), int(sys.argv[2])
rows = []
for r in range(1, rounds + 1):
    p = json.loads((out / f"pydantic-{r}.json").read_text())
    s = json.loads((out / f"swift-{r}.json").read_text())
    rows.append((p["wall_us_per_decode_p50"], s["wall_us_per_decode_p50"], p["us_per_decode"], s["us_per_decode"]))
print("| round | pydantic p50 µs | PrefectJSONDecoder p50 µs | ratio | pydantic CPU µs | PrefectJSONDecoder CPU µs |")
print("|---:|---:|---:|---:|---:|---:|")
for i, (pw, sw, pc, sc) in enumerate(rows, 1):
    print(f"| {i} | {pw:,.0f} | {sw:,.0f} | {pw / sw:.1f}× | {pc:,.0f} | {sc:,.0f} |")
pm, sm = statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows)
ratio = statistics.median(r[0] / r[1] for r in rows)
print(f"\nMedians of {rounds} rounds, 200 flow runs per decode: pydantic {pm:,.0f} µs, "
      f"PrefectJSONDecoder {sm:,.0f} µs; median of the rounds' ratios {ratio:.1f}× faster")
PY
echo "results in $OUT" >&2
