#!/usr/bin/env bash
# Two players on one machine (`--as alice`, `--as bob`) play Shifumi through
# `webgames play --auto` against the real server and the real game server;
# then a lone player times out (its ticket is cancelled) and a second ticket
# of one player is refused.
# Usage: play_shifumi_e2e.sh path/to/webgames source-dir path/to/shifumi-server
source "$(dirname "$0")/../e2e/lib.sh"
SOURCE_DIR=${2:?source dir}
SHIFUMI=${3:?path to shifumi-server}
start_server

export WEBGAMES_SERVER="http://127.0.0.1:$PORT"
export WEBGAMES_CREDENTIALS="$WORK/credentials.json"
export WEBGAMES_PASSWORD="correct horse"
export HOME="$WORK/home"  # device ids live in $HOME/.config/webgames
"$WEBGAMES" ctl register --username dev --role developer >/dev/null || fail "register"
sed "s|^command = .*|command = \"$SHIFUMI\"|" "$SOURCE_DIR/examples/shifumi/game.toml" >"$WORK/game.toml"
"$WEBGAMES" ctl games create "$WORK/game.toml" >/dev/null || fail "games create"

play() { "$WEBGAMES" play shifumi --auto "$@"; }

play --as alice --timeout-s 30 >"$WORK/alice.out" 2>"$WORK/alice.err" &
alice=$!
play --as bob --timeout-s 30 >"$WORK/bob.out" 2>"$WORK/bob.err" &
bob=$!
wait "$alice" || fail "alice: $(cat "$WORK/alice.out" "$WORK/alice.err")"
wait "$bob" || fail "bob: $(cat "$WORK/bob.out" "$WORK/bob.err")"
for p in alice bob; do
  grep -q "^server ready at " "$WORK/$p.out" || fail "$p never saw the server: $(cat "$WORK/$p.out")"
  tail -n 1 "$WORK/$p.out" | grep -Eq "^result: (win|lose|draw)$" || fail "$p: no result: $(cat "$WORK/$p.out")"
  [ "$(stat -c %a "$HOME/.config/webgames/device-id-$p")" = 600 ] || fail "$p's device id file must be private"
done
results="$(tail -n 1 "$WORK/alice.out") $(tail -n 1 "$WORK/bob.out")"
case "$results" in
  "result: win result: lose" | "result: lose result: win" | "result: draw result: draw") ;;
  *) fail "results do not agree: $results" ;;
esac

# Alone in the queue: gives up after --timeout-s, cancelling the ticket...
if play --as carol --timeout-s 2 >"$WORK/carol.out" 2>"$WORK/carol.err"; then fail "carol found a match alone"; fi
grep -q "no match within 2 s; ticket .* cancelled" "$WORK/carol.err" || fail "carol: $(cat "$WORK/carol.err")"
# ...so carol may queue again; a second ticket at once is refused.
"$WEBGAMES" play shifumi --auto --as carol >"$WORK/carol.out" 2>&1 &  # not through play(): $! must be webgames
carol=$!
for _ in $(seq 1 50); do grep -q "^queued in" "$WORK/carol.out" && break; sleep 0.1; done
grep -q "^queued in" "$WORK/carol.out" || fail "carol could not queue again: $(cat "$WORK/carol.out")"
if play --as carol 2>"$WORK/twice.err" >/dev/null; then fail "a second ticket was accepted"; fi
grep -q "409 conflict" "$WORK/twice.err" || fail "second ticket: $(cat "$WORK/twice.err")"
# SIGTERM (or Ctrl-C, which a script's background job ignores) cancels the queued ticket and exits 130.
kill -TERM "$carol"
status=0
wait "$carol" || status=$?
[ "$status" = 130 ] || fail "carol exited $status after SIGTERM: $(cat "$WORK/carol.out")"
grep -q "interrupted; ticket .* cancelled" "$WORK/carol.out" || fail "carol: $(cat "$WORK/carol.out")"
echo "ok"
