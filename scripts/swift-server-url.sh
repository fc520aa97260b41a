# Sourced by the test and benchmark scripts that start `prefect-swift server start --port 0`.
#
#   URL="$(swift_server_url OUTPUT_FILE PID [TENTHS_OF_A_SECOND])" || exit 1
#
# Prints the API URL the server wrote to OUTPUT_FILE (its `PREFECT_API_URL=` line) as soon as it
# is there, waiting at most TENTHS_OF_A_SECOND (100 by default); fails, showing the server's
# output, when the process PID exits first or no URL comes.
swift_server_url() {
  local out="$1" pid="$2" tries="${3:-100}" url
  for _ in $(seq "$tries"); do
    grep -q "^PREFECT_API_URL=" "$out" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  url="$(sed -n 's/^PREFECT_API_URL=//p' "$out" 2>/dev/null)"
  if [ -z "$url" ]; then
    cat "$out" >&2 2>/dev/null
    echo "prefect-swift server start (pid $pid) printed no URL" >&2
    return 1
  fi
  echo "$url"
}
