#!/usr/bin/env bash
# CTest fixture: `start STATE_DIR [durable]` runs a throw-away PostgreSQL server on a free loopback port with its own
# socket directory and writes its URL to STATE_DIR/url; `stop STATE_DIR` stops it and deletes its data. `pause` stops
# the server but keeps its data and port, `resume` starts it again there (after the outage test stopped it).
# Tests get fsync=off, which a process crash cannot tell from on; `durable` keeps PostgreSQL's own settings
# (fsync=on, synchronous_commit=on) for the crash test, so it runs against what a real deployment runs.
set -euo pipefail
action=$1
state=$2
mkdir -p "$state"

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pgbin/initdb" ] || { echo "PostgreSQL server binaries not found: run scripts/install-deps" >&2; exit 1; }

# The server refuses to run as root; as root we run it as the postgres user, otherwise as ourselves.
as_db_user() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop() {
  if [ -f "$state/pgdata" ]; then
    local pgdata
    pgdata=$(cat "$state/pgdata")
    as_db_user "$pgbin/pg_ctl" -D "$pgdata" -m immediate -w stop </dev/null >/dev/null 2>&1 || true
    rm -rf "$pgdata"
  fi
  rm -f "$state/pgdata" "$state/url" "$state/port" "$state/fsync"
}

# A new cluster writes each 16 MB WAL segment full of zeros in the commit that first needs it (wal_init_zero),
# until checkpoints start recycling old ones: at a few thousand answers a second, one commit in every second or
# two waited 30-60 ms for it, and the answers' p99 under load went from ~7 ms to 25-50 ms. The throw-away
# cluster skips that (a cluster in service recycles segments); the durable one keeps PostgreSQL's defaults, so
# wal_init_zero follows fsync.
run_server() {
  local fsync
  fsync=$(cat "$state/fsync")
  as_db_user "$pgbin/pg_ctl" -D "$1" -l "$1/server.log" -w -t 30 \
    -o "-p $2 -k $1 -c listen_addresses=127.0.0.1 -c fsync=$fsync -c wal_init_zero=$fsync -c max_connections=200" start \
    </dev/null >/dev/null \
    || { cat "$1/server.log" >&2; exit 1; }
}

case $action in
  start)
    stop
    pgdata=$(mktemp -d /tmp/shopdesk-pg.XXXXXX)  # under /tmp: the postgres user cannot read a clone under /root
    echo "$pgdata" >"$state/pgdata"
    [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$pgdata"
    chmod 700 "$pgdata"
    port=""
    for candidate in $(shuf -i 20000-40000 -n 50); do
      if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
    done
    [ -n "$port" ] || { echo "no free port found" >&2; exit 1; }
    as_db_user "$pgbin/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync </dev/null >/dev/null
    echo "$port" >"$state/port"
    if [ "${3:-}" = durable ]; then echo on >"$state/fsync"; else echo off >"$state/fsync"; fi
    run_server "$pgdata" "$port"
    as_db_user "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres shopdesk_test </dev/null
    echo "postgresql://postgres@127.0.0.1:$port/shopdesk_test" >"$state/url"
    echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, fsync $(cat "$state/fsync") (data in $pgdata)"
    ;;
  stop) stop ;;
  pause) as_db_user "$pgbin/pg_ctl" -D "$(cat "$state/pgdata")" -m fast -w stop </dev/null >/dev/null ;;
  resume) run_server "$(cat "$state/pgdata")" "$(cat "$state/port")" ;;
  *) echo "usage: $0 start|stop|pause|resume STATE_DIR [durable]" >&2; exit 2 ;;
esac
