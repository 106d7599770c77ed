#!/usr/bin/env bash
# `webgames serve --catalog postgres://…` end to end, on a PostgreSQL of its
# own (scripts/postgres): a developer registers, logs in, creates and lists a
# game; a second replica on the same database sees them; while PostgreSQL is
# down /readyz answers 503 with the reason and catalog calls 503 unavailable,
# /healthz stays 200; when it is back both recover by themselves. Then an
# operator is made on that database and logs in.
source "$(dirname "$0")/../e2e/lib.sh"
SOURCE_DIR=${2:?source dir}

ci=false
case ${CI:-} in "" | 0 | false) ;; *) ci=true ;; esac
export WEBGAMES_POSTGRES_DIR=/tmp/wg-pge-$$-$RANDOM WEBGAMES_POSTGRES_FSYNC=off
REPLICA_PID=""
stop_all() {
  if [ -n "$REPLICA_PID" ] && kill -0 "$REPLICA_PID" 2>/dev/null; then
    kill -TERM "$REPLICA_PID" 2>/dev/null || true
    wait "$REPLICA_PID" 2>/dev/null || true
  fi
  cleanup
  "$SOURCE_DIR/scripts/postgres" stop >/dev/null 2>&1 || true
}
trap stop_all EXIT

if ! URL=$("$SOURCE_DIR/scripts/postgres" start); then
  $ci && fail "PostgreSQL did not start (CI is set)"
  echo "skipped: no PostgreSQL"
  exit 0
fi

start_server --catalog "$URL"
grep -q "catalog: PostgreSQL at" "$WORK/server.log" || fail "the server did not use PostgreSQL"
BASE="http://127.0.0.1:$PORT"
[ "$(curl -s -o "$WORK/ready.json" -w '%{http_code}' "$BASE/readyz")" = 200 ] || fail "readyz: $(cat "$WORK/ready.json")"

export WEBGAMES_SERVER="$BASE"
export WEBGAMES_CREDENTIALS="$WORK/credentials.json"
export WEBGAMES_PASSWORD="correct horse"
ctl() { "$WEBGAMES" ctl "$@"; }
ctl -o table register --username ada --role developer | grep -q "logged in as ada (developer)" || fail "register"
ctl -o table login --username ada | grep -q "logged in as ada" || fail "login"
ctl games create "$SOURCE_DIR/examples/shifumi/game.toml" >/dev/null || fail "games create"
ctl games list | grep -q '"name":"shifumi"' || fail "games list"
if ctl games create "$SOURCE_DIR/examples/shifumi/game.toml" 2>"$WORK/err.txt"; then fail "duplicate create succeeded"; fi
grep -q 'conflict' "$WORK/err.txt" || fail "duplicate error: $(cat "$WORK/err.txt")"
count=$(psql -qtA "$URL" -c "SELECT count(*) FROM games WHERE name = 'shifumi'") || fail "psql"
[ "$count" = 1 ] || fail "the game is not in PostgreSQL ($count rows)"
# The catalog's statements are timed in /metrics (docs/operations.md#metrics).
curl -sf "$BASE/metrics" >"$WORK/metrics.txt" || fail "GET /metrics"
grep -q '^# TYPE webgames_postgres_query_duration_seconds histogram$' "$WORK/metrics.txt" ||
  fail "/metrics has no webgames_postgres_query_duration_seconds"
grep -qE '^webgames_postgres_query_duration_seconds_count [1-9]' "$WORK/metrics.txt" ||
  fail "no PostgreSQL statement timed: $(grep webgames_postgres_query_duration_seconds_count "$WORK/metrics.txt")"

# A second replica on the same database sees the account and the game.
: >"$WORK/replica.log"  # exists before the first read below: the server opens it only after the fork
"$WEBGAMES" serve --port 0 --data-dir "$WORK/data2" --password-cost minimum --catalog "$URL" >"$WORK/replica.log" 2>&1 &
REPLICA_PID=$!
for _ in $(seq 1 100); do
  PORT2=$(sed -n 's|.*serving on http://127.0.0.1:\([0-9]*\).*|\1|p' "$WORK/replica.log" | head -n1)
  [ -n "$PORT2" ] && break
  sleep 0.1
done
[ -n "$PORT2" ] || fail "the second replica did not start: $(tail -n 5 "$WORK/replica.log")"
WEBGAMES_SERVER="http://127.0.0.1:$PORT2" WEBGAMES_CREDENTIALS="$WORK/credentials2.json" \
  "$WEBGAMES" ctl -o table login --username ada | grep -q "logged in as ada" || fail "login on the second replica"
WEBGAMES_SERVER="http://127.0.0.1:$PORT2" WEBGAMES_CREDENTIALS="$WORK/credentials2.json" \
  "$WEBGAMES" ctl games list | grep -q '"name":"shifumi"' || fail "games list on the second replica"

# readyz_becomes CODE: waits (up to 5 s: the answer is cached for 1 s) for /readyz to answer CODE.
readyz_becomes() {
  local code=""
  for _ in $(seq 1 50); do
    code=$(curl -s -o "$WORK/ready.json" -w '%{http_code}' "$BASE/readyz")
    [ "$code" = "$1" ] && return 0
    sleep 0.1
  done
  fail "readyz stayed $code, not $1: $(cat "$WORK/ready.json")"
}

# PostgreSQL goes away: not ready, with the reason; alive; catalog calls 503.
"$SOURCE_DIR/scripts/postgres" halt
readyz_becomes 503
grep -q '"code":"unavailable"' "$WORK/ready.json" && grep -q '"field":"catalog"' "$WORK/ready.json" ||
  fail "readyz reason: $(cat "$WORK/ready.json")"
curl -sf "$BASE/healthz" >/dev/null || fail "healthz failed while PostgreSQL is down"
if ctl games list 2>"$WORK/err.txt"; then fail "games list succeeded while PostgreSQL is down"; fi
grep -q 'unavailable' "$WORK/err.txt" || fail "games list error: $(cat "$WORK/err.txt")"

# Back: ready again within the readiness cache's second, and serving.
"$SOURCE_DIR/scripts/postgres" start >/dev/null
readyz_becomes 200
ctl games list | grep -q '"name":"shifumi"' || fail "games list after PostgreSQL came back"

# An operator made on the shared catalog (webgames ctl operator create --catalog), from a
# machine with no data directory of the server's: it logs in to the running replica.
"$WEBGAMES" ctl operator create root --catalog "$URL" --data-dir "$WORK/operator-data" --password-cost minimum \
  -o table >"$WORK/op.txt" || fail "operator create: $(cat "$WORK/op.txt")"
grep -Eq "^role: +operator$" "$WORK/op.txt" || fail "operator create: $(cat "$WORK/op.txt")"
WEBGAMES_CREDENTIALS="$WORK/root.json" "$WEBGAMES" ctl -o table login --username root |
  grep -q "logged in as root (operator)" || fail "operator login"
WEBGAMES_CREDENTIALS="$WORK/root.json" "$WEBGAMES" ctl -o json games list | grep -q '"owners":{' ||
  fail "the operator's games list"
echo "ok"
