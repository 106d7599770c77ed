#!/usr/bin/env bash
# The demo games of `make run` (scripts/demo-games, which scripts/run-demo
# runs once the server answers): on a fresh installation it registers the
# demo developer, Shifumi and Arena; on data that holds an older spec of them
# (from before their `ws` port, which the /play page needs), it updates them
# to examples/*/game.toml; run again, it changes nothing and succeeds.
source "$(dirname "$0")/lib.sh"
SOURCE_DIR=${2:?source dir}
start_server

server="http://127.0.0.1:$PORT"
data="$WORK/demo"
demo_games() { WEBGAMES_BIN="$WEBGAMES" "$SOURCE_DIR/scripts/demo-games" "$server" "$data" || fail "scripts/demo-games"; }
export WEBGAMES_SERVER="$server"
export WEBGAMES_CREDENTIALS="$data/demo-developer.json"
ctl() { "$WEBGAMES" ctl "$@"; }
has_ws() { ctl games show "$1" | grep -q '"protocol":"ws"'; }

# A fresh installation: the account and both games are made.
demo_games
[ -s "$data/demo-developer.password" ] || fail "no demo password kept"
[ "$(stat -c %a "$data/demo-developer.password")" = 600 ] || fail "the demo password must be private"
export WEBGAMES_PASSWORD
WEBGAMES_PASSWORD=$(cat "$data/demo-developer.password")
for game in shifumi arena; do has_ws "$game" || fail "$game registered without its ws port: $(ctl games show "$game")"; done

# Data from an older checkout: the games as they were before their ws port.
for game in shifumi arena; do
  sed 's/^ports = .*/ports = [{ name = "game", protocol = "tcp" }]/' "$SOURCE_DIR/examples/$game/game.toml" >"$WORK/$game-old.toml"
  grep -q 'protocol = "ws"' "$WORK/$game-old.toml" && fail "the old $game spec still has its ws port"
  ctl games update "$WORK/$game-old.toml" >/dev/null || fail "setting the old $game spec"
  has_ws "$game" && fail "the old $game spec was not stored"
done
id_before=$(ctl games show shifumi | sed -n 's/.*"id":"\(gam_[^"]*\)".*/\1/p')

# The next `make run` brings them to today's files, keeping the games (their ids, so their history).
demo_games
for game in shifumi arena; do has_ws "$game" || fail "$game not updated: $(ctl games show "$game")"; done
[ "$(ctl games show shifumi | sed -n 's/.*"id":"\(gam_[^"]*\)".*/\1/p')" = "$id_before" ] || fail "shifumi is another game after the update"

# Again: nothing to change, and it still succeeds.
demo_games
for game in shifumi arena; do has_ws "$game" || fail "$game after a second run"; done
echo "ok"
