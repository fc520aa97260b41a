#!/usr/bin/env bash
# Prefect 3.9.1 as its documented multi-server setup ("How to scale self-hosted Prefect"), on
# loopback: PostgreSQL, Redis for messaging, two `prefect server start --no-services` API
# replicas on the one database, one `prefect server services start` process, and nginx
# round-robin in front (websockets included). PostgreSQL, Redis and nginx come from Debian's
# packages, prefect-redis from PyPI (pinned with prefect==3.9.1) into its own virtualenv.
#
#   scripts/prefect-ha.sh start             start it all; print the API URL (nginx's) when healthy
#   scripts/prefect-ha.sh url               the API URL of the running setup
#   scripts/prefect-ha.sh kill-replica N    SIGKILL API replica N (1 or 2)
#   scripts/prefect-ha.sh restart-replica N start API replica N again on its port; wait until healthy
#   scripts/prefect-ha.sh stop              stop every part
#
# State lives in .test-servers/ha-*/ (one directory, with its pid file, per process), so
# `prefect-server.sh stop-all` stops these too.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Its own virtualenv: prefect-redis registers its block types with any server started from the
# environment it is installed in, and the stock single servers of the tests must not have them.
VENV="${PREFECT_HA_VENV:-$ROOT/.prefect-ha-venv}"
STATE="$ROOT/.test-servers"
PYTHON="${PYTHON:-python3}"

die() { echo "prefect-ha.sh: $*" >&2; exit 1; }

install() {
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || ! command -v redis-server >/dev/null || ! command -v nginx >/dev/null; then
    echo "installing postgresql, redis-server and nginx from Debian" >&2
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq postgresql redis-server nginx >&2
  fi
  PREFECT_VENV="$VENV" "$ROOT/scripts/prefect-server.sh" install
  if ! "$VENV/bin/python" -c "import prefect_redis" 2>/dev/null; then
    echo "installing prefect-redis (with prefect==3.9.1) into $VENV" >&2
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "prefect[redis]==3.9.1" >&2
  fi
}

free_port() {
  "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Starts `$@` in its own process group, output to .test-servers/ha-NAME/log, pid in …/pid.
launch() {
  local name="$1"; shift
  local dir="$STATE/ha-$name"
  mkdir -p "$dir"
  setsid "$@" >"$dir/log" 2>&1 </dev/null &
  echo $! >"$dir/pid"
}

# Each part's directory has the layout of prefect-server.sh's servers: its stop does.
stop_part() { "$ROOT/scripts/prefect-server.sh" stop "ha-$1"; }

wait_for() {  # $1: what, $2: seconds, then a command that succeeds when it is ready
  local what="$1" seconds="$2"; shift 2
  for _ in $(seq $((seconds * 4))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  for part in pg redis api1 api2 services nginx; do [ -f "$STATE/ha-$part/log" ] && { echo "--- $part" >&2; tail -n 15 "$STATE/ha-$part/log" >&2; }; done
  die "$what was not ready after $seconds s"
}

healthy() {
  "$PYTHON" - "$1/health" <<'PY'
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=2) as response:
    sys.exit(0 if response.read().strip() == b"true" else 1)
PY
}

# The environment of every Prefect process of the setup.
prefect_env() {
  local pg redis
  pg="$(cat "$STATE/ha-pg/port")"; redis="$(cat "$STATE/ha-redis/port")"
  export PREFECT_API_DATABASE_CONNECTION_URL="postgresql+asyncpg://prefect:prefect@127.0.0.1:$pg/prefect"
  export PREFECT_MESSAGING_BROKER=prefect_redis.messaging PREFECT_MESSAGING_CACHE=prefect_redis.messaging
  export PREFECT_SERVER_EVENTS_CAUSAL_ORDERING=prefect_redis.ordering
  export PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE=prefect_redis.lease_storage
  export PREFECT_REDIS_MESSAGING_HOST=127.0.0.1 PREFECT_REDIS_MESSAGING_PORT="$redis"
  export PREFECT_SERVER_DOCKET_URL="redis://127.0.0.1:$redis/1"
  export PREFECT_SERVER_ANALYTICS_ENABLED=false PREFECT_UI_ENABLED=false PREFECT_SERVER_UI_ENABLED=false
  unset PREFECT_API_URL PREFECT_API_KEY PREFECT_API_AUTH_STRING PREFECT_PROFILE
}

start_replica() {
  local n="$1" port
  port="$(cat "$STATE/ha-api$n/port")"
  (
    prefect_env
    export PREFECT_HOME="$STATE/ha-api$n/home" PREFECT_SERVER_API_PORT="$port"
    launch "api$n" "$VENV/bin/prefect" server start --host 127.0.0.1 --port "$port" --no-services
  )
  wait_for "API replica $n" 120 healthy "http://127.0.0.1:$port/api"
}

start() {
  install
  stop
  local pg redis api1 api2 lb bin
  bin="$(dirname "$(ls /usr/lib/postgresql/*/bin/postgres | sort -V | tail -n 1)")"
  for part in pg redis api1 api2 services nginx; do rm -rf "$STATE/ha-$part"; mkdir -p "$STATE/ha-$part"; done
  pg="$(free_port)"; redis="$(free_port)"; api1="$(free_port)"; api2="$(free_port)"; lb="$(free_port)"
  echo "$pg" >"$STATE/ha-pg/port"; echo "$redis" >"$STATE/ha-redis/port"
  echo "$api1" >"$STATE/ha-api1/port"; echo "$api2" >"$STATE/ha-api2/port"; echo "$lb" >"$STATE/ha-nginx/port"

  # PostgreSQL refuses to run as root: its own cluster, owned by Debian's postgres user.
  local data="$STATE/ha-pg/data"
  mkdir -p "$data" && chown postgres:postgres "$data" "$STATE/ha-pg" && chmod 700 "$data"
  setpriv --reuid=postgres --regid=postgres --init-groups "$bin/initdb" -D "$data" -U postgres --auth=trust >"$STATE/ha-pg/initdb.log" 2>&1 \
    || { cat "$STATE/ha-pg/initdb.log" >&2; die "initdb failed"; }
  launch pg setpriv --reuid=postgres --regid=postgres --init-groups "$bin/postgres" -D "$data" -p "$pg" \
    -c listen_addresses=127.0.0.1 -c unix_socket_directories="$STATE/ha-pg" -c max_connections=300 -c fsync=off
  wait_for PostgreSQL 60 "$bin/pg_isready" -h 127.0.0.1 -p "$pg"
  "$bin/psql" -h 127.0.0.1 -p "$pg" -U postgres -q -c "CREATE ROLE prefect LOGIN PASSWORD 'prefect'" \
    -c "CREATE DATABASE prefect OWNER prefect" >/dev/null

  launch redis redis-server --bind 127.0.0.1 --port "$redis" --save "" --appendonly no --dir "$STATE/ha-redis"
  wait_for Redis 30 redis-cli -h 127.0.0.1 -p "$redis" ping

  # The first replica migrates the database; the second and the services start once it has.
  start_replica 1
  (
    prefect_env
    export PREFECT_HOME="$STATE/ha-services/home"
    launch services "$VENV/bin/prefect" server services start
  )
  start_replica 2

  cat >"$STATE/ha-nginx/nginx.conf" <<EOF
worker_processes 1;
pid $STATE/ha-nginx/nginx.pid;
error_log $STATE/ha-nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $STATE/ha-nginx/body;
  proxy_temp_path $STATE/ha-nginx/proxy;
  fastcgi_temp_path $STATE/ha-nginx/fastcgi;
  uwsgi_temp_path $STATE/ha-nginx/uwsgi;
  scgi_temp_path $STATE/ha-nginx/scgi;
  client_max_body_size 64m;
  map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }
  upstream prefect {
    server 127.0.0.1:$api1 max_fails=1 fail_timeout=3s;
    server 127.0.0.1:$api2 max_fails=1 fail_timeout=3s;
    keepalive 32;
  }
  server {
    listen 127.0.0.1:$lb;
    location / {
      proxy_pass http://prefect;
      proxy_http_version 1.1;
      proxy_set_header Host \$host;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      proxy_read_timeout 3600s;
      proxy_next_upstream error timeout http_502;
    }
  }
}
EOF
  launch nginx nginx -p "$STATE/ha-nginx" -c "$STATE/ha-nginx/nginx.conf" -g "daemon off;"
  echo "http://127.0.0.1:$lb/api" >"$STATE/ha-nginx/url"
  wait_for "nginx in front of the replicas" 30 healthy "http://127.0.0.1:$lb/api"
  cat "$STATE/ha-nginx/url"
}

stop() {
  for part in nginx api1 api2 services redis pg; do stop_part "$part"; done
}

cmd="${1:-}"; shift || true
case "$cmd" in
  start) start ;;
  url) cat "$STATE/ha-nginx/url" ;;
  kill-replica) [ "${1:-}" = 1 ] || [ "${1:-}" = 2 ] || die "usage: kill-replica 1|2"
                pid="$(cat "$STATE/ha-api$1/pid")"; kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"; rm -f "$STATE/ha-api$1/pid" ;;
  restart-replica) [ "${1:-}" = 1 ] || [ "${1:-}" = 2 ] || die "usage: restart-replica 1|2"
                   stop_part "api$1"; start_replica "$1"; cat "$STATE/ha-nginx/url" ;;
  stop) stop ;;
  *) sed -n '2,16p' "$0"; exit 2 ;;
esac
