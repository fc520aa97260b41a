#!/usr/bin/env bash
# libFuzzer on the project's own targets, built in release mode with the fuzzer and address
# sanitizers (`swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING`,
# in .build-fuzz/):
#
#   decoders   PrefectJSONDecoder over every response model the client decodes
#              (Fuzz/fuzz-decoders), seeded with the responses captured from Prefect 3.9.1
#              (Tests/PrefectSchemasTests/Fixtures), each under every model.
#   requests   the embedded server's request path through InProcessTransport (method, path
#              and body from the input; Fuzz/fuzz-requests), seeded with every request of the
#              recorded differential scenarios (Tests/PrefectServerTests/Fixtures).
#
#   scripts/fuzz-native.sh TARGET [--runs N] [--seconds S] [--workers W] [--report FILE]
#   scripts/fuzz-native.sh TARGET --build-only      build it, fuzz nothing
#
# Stops after N executions or S seconds (whichever first; both optional), with W parallel
# workers. Any crash, sanitizer report, out-of-memory or timeout (10 s per input) fails the
# script; the input that caused it is kept under .build-fuzz/artifacts/. ASan's leak check is
# off: the Swift runtime's caches that live until exit are not leaks.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="${1:-}"; shift || true
case "$TARGET" in decoders|requests) ;; *) sed -n '2,20p' "$0"; exit 2 ;; esac
RUNS=""
SECONDS_LIMIT=""
WORKERS=1
REPORT=""
BUILD_ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --seconds) SECONDS_LIMIT="$2"; shift 2 ;;
    --workers) WORKERS="$2"; shift 2 ;;
    --report) REPORT="$2"; shift 2 ;;
    --build-only) BUILD_ONLY=1; shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
cd "$ROOT"
echo "== building fuzz-$TARGET (release, -sanitize=fuzzer,address)" >&2
swift build -c release --product "fuzz-$TARGET" --build-path .build-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING 2>&1 | grep -E "error:|warning: .*/(Sources|Fuzz)/" >&2 || true
BIN="$(swift build -c release --build-path .build-fuzz --show-bin-path)/fuzz-$TARGET"
[ -x "$BIN" ] || { echo "fuzz-$TARGET did not build" >&2; exit 1; }
[ -z "$BUILD_ONLY" ] || exit 0

corpus="$(mktemp -d)"
artifacts="$ROOT/.build-fuzz/artifacts/$TARGET"
mkdir -p "$artifacts"
trap 'rm -rf "$corpus"' EXIT
python3 - "$TARGET" "$corpus" "$ROOT" <<'PY'
import glob, json, os, re, sys, uuid
target, corpus, root = sys.argv[1], sys.argv[2], sys.argv[3]
count = 0
if target == "decoders":
    # As many selectors as Fuzz/fuzz-decoders has models (its first byte is taken modulo that).
    for path in sorted(glob.glob(f"{root}/Tests/PrefectSchemasTests/Fixtures/*.json")):
        data = open(path, "rb").read()
        for selector in range(35):
            open(f"{corpus}/{count:05d}", "wb").write(bytes([selector]) + data)
            count += 1
else:
    fill = re.compile(r"\{([a-z_]+|time:[+-]\d+|pad:\d+|unique|uuid)\}")
    ids = {}
    def sub(match):
        name = match.group(1)
        if name.startswith("time:"):
            return "2026-01-01T00:00:00Z"
        if name.startswith("pad:"):
            return "a" * min(int(name[4:]), 64)
        if name == "unique":
            return "fuzzseed"
        return ids.setdefault(name, str(uuid.uuid4()))
    seen = set()
    for path in sorted(glob.glob(f"{root}/Tests/PrefectServerTests/Fixtures/*.json")):
        recording = json.load(open(path))
        for scenario in recording.get("scenarios", {}).values():
            for step in scenario.get("steps", []) if isinstance(scenario, dict) else []:
                text = f"{step['method']} {fill.sub(sub, step['path'])}\n{fill.sub(sub, step.get('body') or '')}"
                if text not in seen:
                    seen.add(text)
                    open(f"{corpus}/{count:05d}", "w").write(text)
                    count += 1
print(f"{count} seed inputs", file=sys.stderr)
PY

# Inputs up to 16 KiB: mutations stay fast (the largest seeds, 200 flow runs, are cut there).
args=("$corpus" "-max_len=16384" "-timeout=10" "-rss_limit_mb=4096" "-print_final_stats=1" "-artifact_prefix=$artifacts/")
[ -n "$RUNS" ] && args+=("-runs=$RUNS")
[ -n "$SECONDS_LIMIT" ] && args+=("-max_total_time=$SECONDS_LIMIT")
if [ "$WORKERS" -gt 1 ]; then args+=("-fork=$WORKERS" "-ignore_crashes=0"); fi
log="$(mktemp)"
started=$(date +%s)
status=0
ASAN_OPTIONS="detect_leaks=0:abort_on_error=1" "$BIN" "${args[@]}" >"$log" 2>&1 || status=$?
elapsed=$(( $(date +%s) - started ))
tail -n 25 "$log"
python3 - "$log" "$TARGET" "$elapsed" "$status" "${REPORT:-/dev/null}" <<'PY'
import json, re, sys
log, target, elapsed, status, report = open(sys.argv[1]).read(), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
runs = [int(n) for n in re.findall(r"stat::number_of_executed_units: (\d+)", log)]
total = sum(runs) if runs else max([int(n) for n in re.findall(r"#(\d+)[:\s]", log)] or [0])
findings = len(re.findall(r"==\d+==ERROR|Fatal error|SUMMARY: (Address|libFuzzer)|deadly signal|Timeout", log))
result = {"target": target, "executions": total, "seconds": elapsed,
          "executions_per_second": round(total / elapsed) if elapsed else None,
          "findings": findings, "exit_status": status}
print(json.dumps(result))
json.dump(result, open(report, "w"))
PY
rm -f "$log"
exit "$status"
