#!/usr/bin/env bash
# `webgames ctl` against the real server, for what a developer and an
# operator do after registering a game: games update, sessions list / show /
# logs (--follow until the session ends, and interrupted), queues stats,
# keys delete, operator create (local, on the server's data directory), and
# --output json (the API's answer as sent) or table.
# Usage: ctl_operator_flow.sh path/to/webgames source-dir
source "$(dirname "$0")/lib.sh"
SOURCE_DIR=${2:?source dir}
GOOD="$SOURCE_DIR/tests/hosting/servers/good.sh"
start_server

export WEBGAMES_SERVER="http://127.0.0.1:$PORT"
export WEBGAMES_PASSWORD="correct horse"
ADA="$WORK/ada.json"
ROOT="$WORK/root.json"
as() { local who=$1; shift; WEBGAMES_CREDENTIALS="$who" "$WEBGAMES" ctl "$@"; }
token_of() { jq -r .access_token "$1"; }
api() { curl -sf -H "Authorization: Bearer $(token_of "$ADA")" "$WEBGAMES_SERVER$1"; }

# The game server: good.sh (ready, heartbeats, ends when END_FILE exists),
# writing a line to its log every 0.2 s meanwhile, for --follow to follow.
cat >"$WORK/ticking.sh" <<SH
#!/bin/bash
(i=0; while :; do i=\$((i + 1)); echo "tick \$i" >&2; sleep 0.2; done) &
exec "$GOOD"
SH
chmod +x "$WORK/ticking.sh"

game_file() {  # game_file NAME END_FILE: a game whose server stays ready until END_FILE exists
  cat <<TOML
name = "$1"
[server]
command = "$WORK/ticking.sh"
ports = [{ name = "game", protocol = "tcp" }]
max_duration_s = 60
[server.env]
END_FILE = "$2"
HEARTBEAT_S = "0.5"
[[queues]]
name = "duel"
teams = 2
team_size = 1
TOML
}

as "$ADA" register --username ada --role developer >/dev/null || fail "register ada"
game_file duel-ada "$WORK/end-1" >"$WORK/game.toml"
as "$ADA" games create "$WORK/game.toml" >/dev/null || fail "games create"

# games update: the same file format, the game its name says.
game_file duel-ada "$WORK/end-2" >"$WORK/game.toml"
as "$ADA" -o json games update "$WORK/game.toml" >"$WORK/updated.json" || fail "games update"
jq -e '.server.env.END_FILE | endswith("end-2")' "$WORK/updated.json" >/dev/null || fail "update: $(cat "$WORK/updated.json")"
printf 'title = "x"\n' >"$WORK/nameless.toml"
if as "$ADA" games update "$WORK/nameless.toml" 2>"$WORK/err"; then fail "a nameless update succeeded"; fi
grep -q "(field name)" "$WORK/err" || fail "nameless update: $(cat "$WORK/err")"

# Two guests queue (players are not ctl's business: the API as a client calls it).
queue_two() {
  for device in "device-one-$1" "device-two-$1"; do
    local token
    token=$(curl -sf -X POST "$WEBGAMES_SERVER/v1/auth/guest" -d "{\"device_id\":\"$device\"}" | jq -r .access_token)
    curl -sf -X POST -H "Authorization: Bearer $token" "$WEBGAMES_SERVER/v1/queues/duel-ada/duel/tickets" -d '{}' \
      >/dev/null || fail "ticket for $device"
  done
}
# ready_session: waits for a session in state ready; prints its id.
ready_session() {
  local id=""
  for _ in $(seq 1 100); do
    id=$(as "$ADA" -o json sessions list --game duel-ada --state ready | jq -r '.items[0].id // empty')
    [ -n "$id" ] && { echo "$id"; return 0; }
    sleep 0.1
  done
  fail "no session became ready: $(as "$ADA" -o json sessions list)"
}

queue_two 1
SESSION=$(ready_session)

# --follow prints the log as it grows and exits 0 once the session has ended.
as "$ADA" sessions logs "$SESSION" --follow >"$WORK/follow.out" 2>"$WORK/follow.err" &
FOLLOW=$!
# Lines written after it started (tick 8 comes 1.6 s after the server started) reach it.
for _ in $(seq 1 100); do grep -q "^tick 8$" "$WORK/follow.out" && break; sleep 0.1; done
grep -q "^tick 8$" "$WORK/follow.out" || fail "follow printed: $(cat "$WORK/follow.out" "$WORK/follow.err")"
grep -q "ready" "$WORK/follow.out" || fail "follow missed the start: $(cat "$WORK/follow.out")"
touch "$WORK/end-2"
status=0
wait "$FOLLOW" || status=$?
[ "$status" = 0 ] || fail "follow exited $status: $(cat "$WORK/follow.err")"
# Every line once, in order: offsets neither repeat nor skip.
grep "^tick" "$WORK/follow.out" | awk '$2 != NR { exit 1 }' || fail "ticks out of order: $(cat "$WORK/follow.out")"
as "$ADA" sessions logs "$SESSION" | grep -q "^tick 8$" || fail "logs: $(as "$ADA" sessions logs "$SESSION")"

# sessions show / list, in JSON exactly as the API answers, and as tables.
as "$ADA" -o json sessions show "$SESSION" >"$WORK/show.json" || fail "sessions show"
[ "$(cat "$WORK/show.json")" = "$(api "/v1/sessions/$SESSION")" ] || fail "show's JSON is not the API's"
jq -e '.state == "ended"' "$WORK/show.json" >/dev/null || fail "not ended: $(cat "$WORK/show.json")"
as "$ADA" sessions show "$SESSION" -o table >"$WORK/show.txt" || fail "sessions show table"
grep -Eq "^state: +ended$" "$WORK/show.txt" || fail "show table: $(cat "$WORK/show.txt")"
grep -Eq "^timings.matched_at: +20" "$WORK/show.txt" || fail "show table timings: $(cat "$WORK/show.txt")"
[ "$(as "$ADA" -o json sessions list)" = "$(api /v1/sessions)" ] || fail "list's JSON is not the API's"
as "$ADA" sessions list -o table >"$WORK/list.txt" || fail "sessions list table"
head -n 1 "$WORK/list.txt" | grep -Eq "^ID +GAME +QUEUE +STATE +PLAYERS +MATCHED +REASON$" || fail "header: $(cat "$WORK/list.txt")"
grep -Eq "^$SESSION +duel-ada +duel +ended +guest-" "$WORK/list.txt" || fail "row: $(cat "$WORK/list.txt")"
as "$ADA" -o table sessions list --state failed | grep -q "^(none)$" || fail "state filter"
as "$ADA" -o json sessions list --since 1h --limit 1 | jq -e '.items | length == 1' >/dev/null || fail "--since 1h"
as "$ADA" -o json sessions list --until 1000 | jq -e '.items | length == 0' >/dev/null || fail "--until"
# Piped, the default is JSON.
as "$ADA" sessions list | jq -e '.next_cursor == null' >/dev/null || fail "piped output is not JSON"
# On a terminal, a table.
on_terminal() {  # runs "$@" with stdout on a pseudo-terminal; prints what it wrote
  python3 -c '
import os, pty, subprocess, sys
master, slave = pty.openpty()
rc = subprocess.call(sys.argv[1:], stdout=slave, stdin=subprocess.DEVNULL)
os.close(slave)
out = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
sys.stdout.write(out.decode().replace("\r\n", "\n"))
sys.exit(rc)' "$@"
}
WEBGAMES_CREDENTIALS="$ADA" on_terminal "$WEBGAMES" ctl sessions list | grep -q "^ID " || fail "no table on a terminal"
# Errors carry the API's code, message and field, and exit 1.
status=0
as "$ADA" sessions list --limit 999 2>"$WORK/err" >/dev/null || status=$?
[ "$status" = 1 ] || fail "bad limit exited $status"
grep -q '^error 422 "invalid_field": limit must be a number from 1 to 500 (field limit)$' "$WORK/err" || fail "error: $(cat "$WORK/err")"
if as "$ADA" sessions show ses_nothere 2>"$WORK/err"; then fail "unknown session shown"; fi
grep -q '"not_found".*(field session)' "$WORK/err" || fail "not found: $(cat "$WORK/err")"

# An interrupted --follow (SIGTERM: a script's background job ignores SIGINT) exits 130 and says nothing.
game_file duel-ada "$WORK/end-3" >"$WORK/game.toml"
as "$ADA" games update "$WORK/game.toml" >/dev/null || fail "games update, table"
queue_two 2
SESSION2=$(ready_session)
# (not through as(): $! must be webgames)
WEBGAMES_CREDENTIALS="$ADA" "$WEBGAMES" ctl sessions logs "$SESSION2" --follow >"$WORK/follow2.out" 2>"$WORK/follow2.err" &
FOLLOW=$!
for _ in $(seq 1 100); do grep -q "^tick 2$" "$WORK/follow2.out" && break; sleep 0.1; done
kill -TERM "$FOLLOW"
status=0
wait "$FOLLOW" || status=$?
[ "$status" = 130 ] || fail "interrupted follow exited $status"
[ ! -s "$WORK/follow2.err" ] || fail "interrupted follow complained: $(cat "$WORK/follow2.err")"

# queues stats
as "$ADA" -o json queues stats duel-ada duel | jq -e '.queue == "duel" and .waiting_tickets == 0' >/dev/null ||
  fail "queues stats"
as "$ADA" -o table queues stats duel-ada duel | grep -Eq "^waiting_tickets: +0$" || fail "queues stats table"

# keys create / list / delete
KEY=$(as "$ADA" -o json keys create ci | jq -r .id)
as "$ADA" -o table keys list | grep -Eq "^$KEY +ci +wgk_" || fail "keys list table: $(as "$ADA" -o table keys list)"
as "$ADA" -o table keys delete "$KEY" | grep -q "^deleted key $KEY$" || fail "keys delete"
as "$ADA" -o json keys list | jq -e '.items == []' >/dev/null || fail "key not deleted"
if as "$ADA" keys delete "$KEY" 2>"$WORK/err"; then fail "deleted twice"; fi
grep -q "(field key)" "$WORK/err" || fail "second delete: $(cat "$WORK/err")"

# A second developer, and an operator made on the server (no operator exists yet).
BOB="$WORK/bob.json"
as "$BOB" register --username bob --role developer >/dev/null || fail "register bob"
game_file duel-bob "$WORK/end-bob" >"$WORK/bob.toml"
as "$BOB" games create "$WORK/bob.toml" >/dev/null || fail "bob's game"
if as "$ROOT" register --username mallory --role operator 2>"$WORK/err"; then fail "registered as an operator"; fi
grep -q '403 "forbidden".*(field role)' "$WORK/err" || fail "operator registration: $(cat "$WORK/err")"
"$WEBGAMES" ctl operator create root --data-dir "$WORK/data" --password-cost minimum -o json >"$WORK/op.json" ||
  fail "operator create"
jq -e '.username == "root" and .role == "operator" and .created' "$WORK/op.json" >/dev/null || fail "$(cat "$WORK/op.json")"
"$WEBGAMES" ctl operator create bob --data-dir "$WORK/data" -o table | grep -Eq "^promoted: +true$" ||
  fail "promote bob"
"$WEBGAMES" ctl operator create bob --data-dir "$WORK/data" -o json | jq -e '.promoted == false' >/dev/null ||
  fail "promote twice"
as "$ROOT" -o table login --username root | grep -q "logged in as root (operator)" || fail "operator login"

as "$ROOT" -o table games list >"$WORK/games.txt" || fail "operator games list"
head -n 1 "$WORK/games.txt" | grep -Eq "^NAME +OWNER +TITLE +QUEUES +UPDATED$" || fail "games header: $(cat "$WORK/games.txt")"
grep -Eq "^duel-ada +ada +duel-ada +duel +20" "$WORK/games.txt" || fail "ada's game: $(cat "$WORK/games.txt")"
grep -Eq "^duel-bob +bob " "$WORK/games.txt" || fail "bob's game: $(cat "$WORK/games.txt")"
as "$ADA" -o table games list | head -n 1 | grep -Eq "^NAME +TITLE +QUEUES +UPDATED$" || fail "developer's header"
as "$ROOT" -o json sessions list | jq -e '.items | length == 2' >/dev/null || fail "operator sessions"
as "$ROOT" sessions logs "$SESSION" | grep -q "^tick 8$" || fail "operator reads logs"
as "$ROOT" -o json queues stats duel-ada duel >/dev/null || fail "operator queue stats"
if as "$ROOT" games update "$WORK/game.toml" 2>"$WORK/err"; then fail "operator changed ada's game"; fi
grep -q '403 "forbidden".*(field game)' "$WORK/err" || fail "operator update: $(cat "$WORK/err")"
if as "$ROOT" games delete duel-ada 2>"$WORK/err"; then fail "operator deleted ada's game"; fi
grep -q '403 "forbidden"' "$WORK/err" || fail "operator delete: $(cat "$WORK/err")"
touch "$WORK/end-3"
# The last session ends, and its server goes with everything it started
# (ticking.sh's loop), before webgames is stopped.
for _ in $(seq 1 100); do [ "$(api "/v1/sessions/$SESSION2" | jq -r .state)" = ended ] && break; sleep 0.1; done
[ "$(api "/v1/sessions/$SESSION2" | jq -r .state)" = ended ] || fail "session $SESSION2 did not end"
left() { grep -lsE "$WORK/tickin[g]\.sh" /proc/[0-9]*/cmdline || true; }  # [g]: not grep itself
for _ in $(seq 1 50); do [ -z "$(left)" ] && break; sleep 0.1; done
[ -z "$(left)" ] || fail "a server's processes outlived its session: $(left)"
echo "ok"
