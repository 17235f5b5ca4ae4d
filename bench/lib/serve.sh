# Sourced by bench/soak and bench/hostile: the start-up they share. Needs `root`, `build`, `build_it`, `work`
# and the script's `say` and `fail`; sets `shopdesk`, then (serve_demo) `server_pid` and `url`.

# build_shopdesk: the Release `shopdesk` binary in $build, built here unless build_it=0.
build_shopdesk() {
  if [ "$build_it" = 1 ]; then
    say "building shopdesk in Release into $build"
    nice cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSHOPDESK_BENCH=ON >/dev/null
    nice cmake --build "$build" -j "$(nproc)" --target shopdesk
  fi
  shopdesk=$root/$build/src/shopdesk
}

# demo_bodies FILE: one JSON request body per demo test query, for bench/lib/answers.lua.
demo_bodies() {
  /usr/bin/python3 - "$root/data/test.csv" "$1" <<'PY'
import csv, json, sys
with open(sys.argv[1], newline="") as f, open(sys.argv[2], "w") as out:
    for row in csv.DictReader(f):
        out.write(json.dumps({"query": row["text"]}) + "\n")
PY
}

# serve_demo ADMIN_TOKEN [SERVE_ARGS...]: the demo store in $work/store with the default kind trained
# beforehand (so the server's RSS is serving only), then `shopdesk serve` on a free port without a rate limit.
serve_demo() {
  local token=$1
  shift
  say "demo store in $work/store, the default kind trained"
  "$shopdesk" --data-dir "$work/store" demo >/dev/null
  "$shopdesk" --data-dir "$work/store" train --activate >/dev/null
  "$shopdesk" --data-dir "$work/store" serve --port 0 --admin-token "$token" --rate-limit 0 "$@" \
    >"$work/server.log" 2>&1 &
  server_pid=$!
  url=""
  for _ in $(seq 1 600); do
    url=$(sed -n 's|^shopdesk is serving .* on \(http://[^ ]*\)/$|\1|p' "$work/server.log")
    [ -z "$url" ] || break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; fail "the server did not start"; }
    sleep 0.2
  done
  [ -n "$url" ] || fail "the server did not start in 120 s"
  say "server (pid $server_pid) at $url"
}
