#!/usr/bin/env bash
# SIGTERM stops `webgames serve` gracefully and with exit status 0; a second
# start on the same data directory keeps the accounts (and the signing key).
source "$(dirname "$0")/lib.sh"
start_server

token=$(curl -sf -X POST "http://127.0.0.1:$PORT/v1/auth/register" \
  -d '{"username":"ada","password":"correct horse","role":"developer"}' |
  sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || fail "register"

kill -TERM "$SERVER_PID"
for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$SERVER_PID" 2>/dev/null && fail "still running 5 s after SIGTERM"
wait "$SERVER_PID" || fail "exit status $?"
SERVER_PID=""
grep -q "webgames stopped" "$WORK/server.log" || fail "no shutdown message"

start_server
# The token signed before the restart still verifies: the key was kept.
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/v1/account")
[ "$code" = 200 ] || fail "token from before the restart: $code"
echo "ok"
