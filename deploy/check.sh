#!/usr/bin/env bash
# deploy/check.sh SHOPDESK_BINARY: proves the deployment files, one line per check; exits non-zero naming what failed.
#   systemd     `systemd-analyze verify` on deploy/shopdesk.service with ExecStart pointed at SHOPDESK_BINARY
#   nginx       `nginx -t` on deploy/nginx/shopdesk.conf in a throw-away prefix (self-signed certificate, high ports)
#   postgresql  deploy/postgresql.md on a private PostgreSQL server: its ```sql blocks, the migration as the owner,
#               import, train and serve as shopdesk_app, what that role is refused, a second server following an
#               activation from an empty data directory, and a pg_dump/pg_restore round trip
# As root or not (PostgreSQL then runs as the postgres user, as tests/integration/postgres_fixture.sh does), with no
# standard input; leaves no process and no file behind.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: deploy/check.sh SHOPDESK_BINARY" >&2; exit 2; }
[ -x "$1" ] || { echo "FAIL: $1 is not an executable (build shopdesk first)" >&2; exit 2; }
binary=$(realpath "$1")
deploy=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$deploy")
exec </dev/null

step=setup
fail() { echo "FAIL $step: $*" >&2; exit 1; }
trap 'fail "line $LINENO: \`$BASH_COMMAND\` exited $?"' ERR
need() { command -v "$1" >/dev/null || fail "$1 not found: install $2 (scripts/install-deps does)"; }
need systemd-analyze systemd
need nginx nginx
need openssl openssl
need curl curl
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$pgbin" ] && [ -x "$pgbin/initdb" ] || fail "PostgreSQL server binaries not found: install postgresql (scripts/install-deps does)"

tmp=$(mktemp -d /tmp/shopdesk-deploy-check.XXXXXX)
pg="" server=""
as_db_user() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ -n "$pg" ]; then as_db_user "$pgbin/pg_ctl" -D "$pg" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$pg"; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
free_port() {
  for candidate in $(shuf -i 20000-40000 -n 50); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then echo "$candidate"; return; fi
  done
  echo "no free port found" >&2; return 1
}

step=systemd
sed "s|^ExecStart=/usr/local/bin/shopdesk |ExecStart=$binary |" "$deploy/shopdesk.service" >"$tmp/shopdesk.service"
grep -q "^ExecStart=$binary serve\|^ExecStart=$binary --" "$tmp/shopdesk.service" || fail "no ExecStart=/usr/local/bin/shopdesk line"
out=$(systemd-analyze verify "$tmp/shopdesk.service" 2>&1) || fail "systemd-analyze verify: $out"
# verify exits 0 on unknown keys and bad values, and only warns: any word about our unit is a failure.
if grep -i shopdesk <<<"$out"; then fail "systemd-analyze verify warns about deploy/shopdesk.service (above)"; fi
exposure=$(systemd-analyze security --offline=true "$tmp/shopdesk.service" 2>/dev/null | sed -n "s/.*Overall exposure level for [^:]*: \([0-9.]* [A-Z]*\).*/\1/p")
echo "ok   systemd: deploy/shopdesk.service passes systemd-analyze verify (exposure ${exposure:-unknown})"

step=nginx
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=shop.example.com -keyout "$tmp/tls.key" \
  -out "$tmp/tls.crt" >"$tmp/openssl.log" 2>&1 || fail "openssl req: $(cat "$tmp/openssl.log")"
p80=$(free_port)
p443=$(free_port)
[ "$p443" != "$p80" ] || p443=$((p80 + 1))
# Certificates from the temporary folder, and high ports: nginx -t binds the listen addresses.
sed -e "s|/etc/ssl/certs/shopdesk.example.crt|$tmp/tls.crt|; s|/etc/ssl/private/shopdesk.example.key|$tmp/tls.key|" \
  -e "s/^\( *listen \(\[::\]:\)\{0,1\}\)80;/\1$p80;/; s/^\( *listen \(\[::\]:\)\{0,1\}\)443 /\1$p443 /" \
  "$deploy/nginx/shopdesk.conf" >"$tmp/site.conf"
[ "$(grep -c "$tmp/tls\.\|listen \(\[::\]:\)\{0,1\}\($p80;\|$p443 \)" "$tmp/site.conf")" -eq 6 ] ||
  fail "expected the placeholder certificate, its key, and listen 80 and 443 (IPv4 and IPv6) in deploy/nginx/shopdesk.conf"
mkdir "$tmp/nginx"
cat >"$tmp/nginx.conf" <<EOF
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events {}
http {
    access_log $tmp/nginx/access.log;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    include $tmp/site.conf;
}
EOF
out=$(nginx -t -e "$tmp/nginx/error.log" -p "$tmp/nginx/" -c "$tmp/nginx.conf" 2>&1) || fail "nginx -t: $out"
echo "ok   nginx: deploy/nginx/shopdesk.conf passes nginx -t ($(nginx -v 2>&1 | sed 's|.*/||'))"

step="postgresql: server"
pg=$(mktemp -d /tmp/shopdesk-deploy-pg.XXXXXX)  # not under $tmp: the postgres user must reach it
[ "$(id -u)" -ne 0 ] || chown postgres:postgres "$pg"
chmod 700 "$pg"
as_db_user "$pgbin/initdb" -D "$pg" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$tmp/initdb.log" 2>&1 ||
  fail "initdb: $(tail -5 "$tmp/initdb.log")"
port=$(free_port)
as_db_user "$pgbin/pg_ctl" -D "$pg" -l "$pg/server.log" -w -t 30 \
  -o "-p $port -k $pg -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null 2>&1 ||
  fail "pg_ctl start: $(tail -5 "$pg/server.log")"
sql() { "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" "$@"; }
sql_block() { awk -v want="$1" '/^```sql$/ { n++; on = (n == want); next } /^```/ { on = 0 } on' "$deploy/postgresql.md"; }
shopdesk() { "$binary" "$@" >"$tmp/shopdesk.log" 2>&1 || fail "shopdesk $*: $(tail -5 "$tmp/shopdesk.log")"; }

step="postgresql: deploy/postgresql.md"
[ "$(grep -c '^```sql$' "$deploy/postgresql.md")" -eq 2 ] || fail "expected two \`\`\`sql blocks (roles and grants, then tables)"
sql_block 1 | sql -U postgres -d postgres >"$tmp/sql.log" 2>&1 || fail "its first sql block: $(cat "$tmp/sql.log")"
shopdesk --db "postgresql://shopdesk_owner@127.0.0.1:$port/shopdesk" --data-dir "$tmp/owner" stats  # migrates
sql_block 2 | sql -U postgres -d postgres >"$tmp/sql.log" 2>&1 || fail "its second sql block: $(cat "$tmp/sql.log")"
echo "ok   postgresql: deploy/postgresql.md's roles and grants applied, schema migrated as shopdesk_owner"

step="postgresql: shopdesk_app"
app=postgresql://shopdesk_app@127.0.0.1:$port/shopdesk
shopdesk --db "$app" --data-dir "$tmp/trainer" import "$root/data/train.csv"
shopdesk --db "$app" --data-dir "$tmp/trainer" train --kind linear
version=$(sql -U shopdesk_app -d shopdesk -Atc "SELECT version FROM model_versions")
for statement in "DROP TABLE customer_interactions" "ALTER TABLE customer_interactions ADD COLUMN x INTEGER" \
  "TRUNCATE customer_interactions" "INSERT INTO schema_migrations VALUES (99, 'x', 0)" \
  "DELETE FROM audit_log" "UPDATE audit_log SET actor = 'x'"; do
  if sql -U shopdesk_app -d shopdesk -c "$statement" >"$tmp/sql.log" 2>&1; then fail "shopdesk_app may $statement"; fi
  grep -q 'must be owner\|permission denied' "$tmp/sql.log" || fail "$statement failed otherwise: $(cat "$tmp/sql.log")"
done
# A newer shopdesk's migration, as the app: hide the last one applied, and the app must not apply it again.
sql -U postgres -d shopdesk -c "UPDATE schema_migrations SET version = -version WHERE version = (SELECT MAX(version) FROM schema_migrations)"
if "$binary" --db "$app" --data-dir "$tmp/trainer" stats >"$tmp/shopdesk.log" 2>&1; then fail "shopdesk_app ran a migration"; fi
grep -q 'must be owner\|permission denied for schema' "$tmp/shopdesk.log" ||
  fail "a migration as shopdesk_app failed otherwise: $(cat "$tmp/shopdesk.log")"
sql -U postgres -d shopdesk -c "UPDATE schema_migrations SET version = -version WHERE version < 0"
[ "$(sql -U shopdesk_app -d shopdesk -Atc "SELECT COUNT(*) FROM audit_log WHERE actor = 'cli'")" -eq 2 ] ||
  fail "the import and the training are not both in the audit log"
echo "ok   postgresql: shopdesk_app imports and trains (audited); DROP, ALTER, TRUNCATE, migrating, writing schema_migrations and changing the audit log refused"

step="postgresql: replicas"
rm -rf "$tmp/trainer"  # the folder the model was trained into is gone: a server must take it from the database
SHOPDESK_ADMIN_TOKEN=check-token "$binary" --db "$app" --data-dir "$tmp/replica" serve --port 0 >"$tmp/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do
  http=$(sed -n 's|.* on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$tmp/serve.log")
  [ -z "$http" ] && kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
[ -n "$http" ] || fail "serve as shopdesk_app did not start: $(tail -5 "$tmp/serve.log")"
ready() { curl -s -o "$tmp/readyz" -w '%{http_code}' "http://127.0.0.1:$http/readyz"; }
[ "$(ready)" = 503 ] || fail "/readyz before any model was activated: $(cat "$tmp/readyz")"
shopdesk --db "$app" --data-dir "$tmp/admin" models activate "$version"
for _ in $(seq 50); do [ "$(ready)" = 200 ] && break; sleep 0.1; done
grep -q "\"$version\"" "$tmp/readyz" || fail "the server did not follow the activation of $version: $(cat "$tmp/readyz")"
[ -f "$tmp/replica/models/$version/model.json" ] || fail "the server did not recreate $version from the database"
curl -sf "http://127.0.0.1:$http/api/v1/answers" --json '{"query": "where is my parcel?"}' | grep -q '"category"' ||
  fail "no answer from the server"
kill "$server"
wait "$server" || fail "serve as shopdesk_app exited $? when stopped: $(tail -5 "$tmp/serve.log")"
server=""
echo "ok   postgresql: a server with an empty data directory follows an activation and answers from the database's copy"

step="postgresql: backup"
"$pgbin/pg_dump" --format=custom --file="$tmp/shop.dump" "postgresql://shopdesk_owner@127.0.0.1:$port/shopdesk"
sql -U postgres -d postgres -c "CREATE DATABASE shopdesk_restored OWNER shopdesk_owner" \
  -c "REVOKE ALL ON DATABASE shopdesk_restored FROM PUBLIC" -c "GRANT CONNECT ON DATABASE shopdesk_restored TO shopdesk_app"
"$pgbin/pg_restore" --no-owner --exit-on-error --dbname="postgresql://shopdesk_owner@127.0.0.1:$port/shopdesk_restored" "$tmp/shop.dump"
"$binary" --db "$app" --data-dir "$tmp/admin" stats | tail -n +2 >"$tmp/before"
"$binary" --db "${app}_restored" --data-dir "$tmp/admin" stats | tail -n +2 >"$tmp/after"
cmp -s "$tmp/before" "$tmp/after" || fail "the restored store differs: $(diff "$tmp/before" "$tmp/after")"
echo "ok   postgresql: pg_dump -Fc as shopdesk_owner, pg_restore into a new database, shopdesk_app reads the same store"
