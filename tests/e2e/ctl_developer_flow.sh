#!/usr/bin/env bash
# A developer registers, logs in, creates the example game from its TOML file
# with `webgames ctl`, lists it and reads it back; then logs out.
source "$(dirname "$0")/lib.sh"
SOURCE_DIR=${2:?source dir}
start_server

export WEBGAMES_SERVER="http://127.0.0.1:$PORT"
export WEBGAMES_CREDENTIALS="$WORK/credentials.json"
export WEBGAMES_PASSWORD="correct horse"
ctl() { "$WEBGAMES" ctl "$@"; }

ctl -o table register --username ada --role developer | grep -q "logged in as ada (developer)" || fail "register"
[ "$(stat -c %a "$WEBGAMES_CREDENTIALS")" = 600 ] || fail "credentials file must be private"
ctl -o table login --username ada | grep -q "logged in as ada" || fail "login"
ctl whoami | grep -q '"username":"ada"' || fail "whoami"

ctl games create "$SOURCE_DIR/examples/shifumi/game.toml" >"$WORK/created.json" || fail "games create"
grep -q '"name":"shifumi"' "$WORK/created.json" || fail "created game lacks its name"
grep -q '"SHIFUMI_ROUNDS":"3"' "$WORK/created.json" || fail "created game lacks its env"
ctl games list | grep -q '"name":"shifumi"' || fail "games list"
ctl games show shifumi | grep -q '"min_players":2' || fail "games show"

# Arena's file too (what `make run` registers beside Shifumi): a free for all of 2 to 4.
ctl games create "$SOURCE_DIR/examples/arena/game.toml" >"$WORK/arena.json" || fail "games create arena"
grep -q '"protocol":"ws"' "$WORK/arena.json" || fail "arena lacks its ws port: $(cat "$WORK/arena.json")"
grep -q '"start_below_max_after_s":10' "$WORK/arena.json" || fail "arena's ffa queue: $(cat "$WORK/arena.json")"

# The same file again is a conflict, reported with its code, and its field's line.
if ctl games create "$SOURCE_DIR/examples/shifumi/game.toml" 2>"$WORK/err.txt"; then fail "duplicate create succeeded"; fi
name_line=$(grep -n '^name = "shifumi"$' "$SOURCE_DIR/examples/shifumi/game.toml" | cut -d: -f1)
grep -q 'conflict' "$WORK/err.txt" && grep -qF "game.toml line $name_line: name: " "$WORK/err.txt" ||
  fail "duplicate error: $(cat "$WORK/err.txt")"

# A broken file names the line.
printf 'name = "x"\n[server\n' >"$WORK/broken.toml"
if ctl games create "$WORK/broken.toml" 2>"$WORK/err.txt"; then fail "broken file accepted"; fi
grep -q 'broken.toml:2' "$WORK/err.txt" || fail "parse error lacks the line: $(cat "$WORK/err.txt")"

# A game the server refuses: the file goes as TOML, so the error names the
# line of its field, on create and on update alike.
sed 's/^team_size = 1$/team_size = 0/' "$SOURCE_DIR/examples/shifumi/game.toml" >"$WORK/bad.toml"
line=$(grep -n '^team_size = 0$' "$WORK/bad.toml" | cut -d: -f1)
[ -n "$line" ] || fail "examples/shifumi/game.toml has no 'team_size = 1' line to break"
for command in create update; do
  if ctl games $command "$WORK/bad.toml" 2>"$WORK/err.txt"; then fail "games $command took team_size 0"; fi
  grep -qF "bad.toml line $line: queues[0].team_size: must be between 1 and" "$WORK/err.txt" ||
    fail "games $command's error lacks its line $line: $(cat "$WORK/err.txt")"
done

ctl logout >/dev/null || fail "logout"
if ctl games list 2>/dev/null; then fail "still logged in after logout"; fi
echo "ok"
