#!/usr/bin/env bash
# The local cluster of scripts/cluster end to end: 3 replicas sharing Redis
# and PostgreSQL behind HAProxy. Health over https (the script's certificate,
# verified), every replica ready and UP in HAProxy, the events WebSocket over
# wss; an account registered on one replica logs in on another and through
# the load balancer; the signing keys rotated (`rotate-keys`) with no token
# refused; a replica killed with SIGKILL: the load balancer keeps
# answering (reads and logins), marks it DOWN, and takes it back after
# `start`; a Shifumi match played through the load balancer with
# `webgames play` (two players, whichever replicas their requests reach);
# a warm pool whose owner is killed with SIGKILL: the next owner adopts its
# Idle server and the next match gets it;
# `down` leaves no process of the cluster and no folder.
# Usage: cluster_e2e.sh path/to/webgames source-dir path/to/shifumi-server
set -euo pipefail
WEBGAMES=$(realpath "${1:?usage: $0 path/to/webgames source-dir}")
SOURCE_DIR=$(realpath "${2:?source dir}")
SHIFUMI=$(realpath "${3:?path to shifumi-server}")
CLUSTER=$SOURCE_DIR/scripts/cluster
WORK=$(mktemp -d "${TMPDIR:-/tmp}/wg-cluster-e2e-XXXXXX")
chmod 755 "$WORK"  # PostgreSQL runs as the user postgres when we are root
export WEBGAMES_CLUSTER_DIR=$WORK/cluster WEBGAMES_BIN=$WEBGAMES WEBGAMES_CLUSTER_TIMEOUT=60
export WEBGAMES_CLUSTER_SERVE_FLAGS="--password-cost minimum" WEBGAMES_POSTGRES_FSYNC=off
# Game servers' ports of their own, clear of the other tests' default range.
export WEBGAMES_CLUSTER_GAME_PORTS=41000-41299
# The parts' own ports confined to a window of 200 (scripts/lib/ports.sh),
# between 20000 and the kernel's ephemeral range like the default.
PORTS_LOW=$((20000 + ($$ % 50) * 200))
export WEBGAMES_CLUSTER_PORTS=$PORTS_LOW-$((PORTS_LOW + 199))
# Low enough to reach below; the test's own clients hold a few at most.
export WEBGAMES_CLUSTER_CONNECTIONS_PER_SOURCE=40

down_done=false
cleanup() {
  $down_done || "$CLUSTER" down >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  "$CLUSTER" status >&2 || true
  for log in "$WEBGAMES_CLUSTER_DIR"/replica-*/log "$WEBGAMES_CLUSTER_DIR"/haproxy/haproxy.log; do
    [ -f "$log" ] && { echo "--- $log" >&2; tail -n 20 "$log" >&2; }
  done
  exit 1
}

# alive PID: it runs (a zombie its parent has not reaped yet does not count).
alive() { kill -0 "$1" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
# json_field NAME: the string field NAME of the JSON object on stdin.
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
# post URL BODY: prints the status code; the body in $WORK/body.json.
post() { curl -sk -o "$WORK/body.json" -w '%{http_code}' -H 'content-type: application/json' -X POST "$1" -d "$2"; }

"$CLUSTER" up 3 >"$WORK/up.out" 2>"$WORK/up.err" || { cat "$WORK/up.err" >&2; fail "scripts/cluster up"; }
HTTPS=$(tail -n 1 "$WORK/up.out")
HTTP=$(tail -n 2 "$WORK/up.out" | head -n 1)
[[ $HTTPS == https://127.0.0.1:* ]] || fail "the last line of up is not the https URL: $HTTPS"
[[ $HTTP == http://127.0.0.1:* ]] || fail "the line before it is not the plain-http URL: $HTTP"
[ "$("$CLUSTER" url)" = "$HTTPS" ] && [ "$("$CLUSTER" url http)" = "$HTTP" ] || fail "scripts/cluster url"
CA=$WEBGAMES_CLUSTER_DIR/haproxy/cert.crt

# Every part of the cluster, by pid, for the check after `down`. Read again
# for a while: under the load of `make test`, Redis may stall past the
# lobby's lease just after `up`, and its owner then stops (status 75) and is
# started again by its supervisor, with a new pid (fresh-test saw it once).
read_pids() {
  pids=()
  for f in "$WEBGAMES_CLUSTER_DIR"/replica-*/pid "$WEBGAMES_CLUSTER_DIR"/haproxy/pid "$WEBGAMES_CLUSTER_DIR"/redis/redis.pid; do
    pids+=("$(cat "$f" 2>/dev/null)")
  done
  pids+=("$(head -n 1 "$WEBGAMES_CLUSTER_DIR"/postgres/data/postmaster.pid)")
  [ "${#pids[@]}" = 6 ] || return 1
  for pid in "${pids[@]}"; do alive "$pid" || return 1; done
  "$CLUSTER" status >"$WORK/status.txt" &&
    [ "$(grep -c '^replica-[123] .*readyz 200  haproxy UP$' "$WORK/status.txt")" = 3 ]
}
for _ in $(seq 1 100); do read_pids && break; sleep 0.2; done
read_pids || fail "not every part runs, 3 replicas ready and UP, after up: pids ${pids[*]}; $(cat "$WORK/status.txt")"

# Health over https, verified against the script's certificate.
[ "$(curl -s --cacert "$CA" "$HTTPS/healthz")" = '{"status":"ok"}' ] || fail "healthz over https"
[ "$(curl -s --cacert "$CA" -o /dev/null -w '%{http_code}' "$HTTPS/readyz")" = 200 ] || fail "readyz over https"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$HTTP/healthz")" = 200 ] || fail "healthz over plain http"

# One client address holds at most WEBGAMES_CLUSTER_CONNECTIONS_PER_SOURCE
# connections through the load balancer (the replicas do not count its own).
held=()
for _ in $(seq "$WEBGAMES_CLUSTER_CONNECTIONS_PER_SOURCE"); do
  exec {fd}<>"/dev/tcp/127.0.0.1/${HTTP##*:}"
  held+=("$fd")
done
code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$HTTPS/healthz" --cacert "$CA" || true)
[ "$code" = 000 ] || fail "a connection past the per-source limit was served ($code)"
for fd in "${held[@]}"; do exec {fd}>&-; done
served=false
for _ in $(seq 50); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$HTTP/healthz")" = 200 ] && { served=true; break; }
  sleep 0.1
done
$served || fail "the address was not served again once its connections closed"
port() { cat "$WEBGAMES_CLUSTER_DIR/replica-$1/port"; }
for p in $(cat "$WEBGAMES_CLUSTER_DIR"/replica-*/port "$WEBGAMES_CLUSTER_DIR"/haproxy/ports \
  "$WEBGAMES_CLUSTER_DIR"/redis/port "$WEBGAMES_CLUSTER_DIR"/postgres/port); do
  ((p >= PORTS_LOW && p <= PORTS_LOW + 199)) || fail "port $p is outside WEBGAMES_CLUSTER_PORTS=$WEBGAMES_CLUSTER_PORTS"
done
for r in 1 2 3; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(port "$r")/readyz")" = 200 ] || fail "replica-$r not ready"
done

# An account made on replica 1 logs in on replica 2, and through the load balancer.
account='{"username":"ada","password":"correct horse"}'
[ "$(post "http://127.0.0.1:$(port 1)/v1/auth/register" "$account")" = 201 ] || fail "register: $(cat "$WORK/body.json")"
[ "$(post "http://127.0.0.1:$(port 2)/v1/auth/login" "$account")" = 200 ] || fail "login on replica 2: $(cat "$WORK/body.json")"
token=$(json_field access_token <"$WORK/body.json")
[ "$(post "$HTTPS/v1/auth/login" "$account")" = 200 ] || fail "login through the LB: $(cat "$WORK/body.json")"
# The token replica 2 signed is good on replica 3 (shared signing keys).
code=$(curl -s -o "$WORK/body.json" -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$(port 3)/v1/account")
[ "$code" = 200 ] || fail "replica 2's token on replica 3: $code $(cat "$WORK/body.json")"

# The signing keys rotated on the running cluster: the token issued before
# stays good on every replica, and a new one, signed by the new key, too.
kid_of() {
  python3 -c 'import base64, json, sys
h = sys.stdin.read().split(".")[0]
print(json.loads(base64.urlsafe_b64decode(h + "=" * (-len(h) % 4)))["kid"])'
}
old_kid=$(kid_of <<<"$token")
"$CLUSTER" rotate-keys 2>"$WORK/rotate.err" || { cat "$WORK/rotate.err" >&2; fail "rotate-keys"; }
[ "$(post "$HTTPS/v1/auth/login" "$account")" = 200 ] || fail "login after the rotation: $(cat "$WORK/body.json")"
new_token=$(json_field access_token <"$WORK/body.json")
new_kid=$(kid_of <<<"$new_token")
[ -n "$new_kid" ] && [ "$new_kid" != "$old_kid" ] || fail "after rotate-keys the key id is still $old_kid"
for r in 1 2 3; do
  for t in "$token" "$new_token"; do
    code=$(curl -s -o "$WORK/body.json" -w '%{http_code}' -H "Authorization: Bearer $t" "http://127.0.0.1:$(port "$r")/v1/account")
    [ "$code" = 200 ] || fail "a token of key $(kid_of <<<"$t") on replica-$r after the rotation: $code $(cat "$WORK/body.json")"
  done
done

# The events WebSocket over wss: HAProxy passes the upgrade through.
curl -s --cacert "$CA" --http1.1 --max-time 2 -o /dev/null -D "$WORK/ws.txt" -H "Authorization: Bearer $token" \
  -H "Connection: Upgrade" -H "Upgrade: websocket" -H "Sec-WebSocket-Version: 13" \
  -H "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==" "$HTTPS/v1/events" || true
head -n 1 "$WORK/ws.txt" | grep -q '^HTTP/1.1 101' || fail "no WebSocket upgrade over wss: $(cat "$WORK/ws.txt")"

# The replicas' own forwarding header, sent by a client, is removed by the
# load balancer: a lobby route is forwarded to the owner (404 for a ticket
# that does not exist) by whichever replica gets it, never refused (503).
for i in $(seq 1 6); do
  code=$(curl -s --cacert "$CA" -o "$WORK/body.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
    -H "X-Webgames-Forwarded: 1" "$HTTPS/v1/tickets/tkt_nosuchticket00000000")
  [ "$code" = 404 ] || fail "a client's X-Webgames-Forwarded through the LB (request $i): $code $(cat "$WORK/body.json")"
done

# A replica killed: the load balancer keeps answering, at once and after.
killed_pid=$(cat "$WEBGAMES_CLUSTER_DIR/replica-2/pid")
"$CLUSTER" kill 2 2>/dev/null || fail "kill 2"
alive "$killed_pid" && fail "replica 2 still runs after kill"
for i in $(seq 1 30); do
  code=$(curl -s --cacert "$CA" -o /dev/null -w '%{http_code}' "$HTTPS/readyz")
  [ "$code" = 200 ] || fail "readyz through the LB answered $code (request $i after the kill)"
  if ((i % 5 == 0)); then
    code=$(post "$HTTPS/v1/auth/login" "$account")
    [ "$code" = 200 ] || fail "login through the LB answered $code (request $i after the kill)"
  fi
done
for _ in $(seq 1 100); do
  "$CLUSTER" status >"$WORK/status.txt" 2>&1 && fail "status says all is well with replica 2 killed"
  grep -q '^replica-2 .*stopped  haproxy DOWN$' "$WORK/status.txt" && break
  sleep 0.1
done
grep -q '^replica-2 .*stopped  haproxy DOWN$' "$WORK/status.txt" || fail "replica 2 not DOWN: $(cat "$WORK/status.txt")"
"$CLUSTER" start 2 2>/dev/null || fail "start 2"
"$CLUSTER" status >"$WORK/status.txt" || fail "status after start: $(cat "$WORK/status.txt")"
grep -q '^replica-2 .*readyz 200  haproxy UP$' "$WORK/status.txt" || fail "replica 2 not back: $(cat "$WORK/status.txt")"
pids+=("$(cat "$WEBGAMES_CLUSTER_DIR/replica-2/pid")")
# Its flags are the same: the token signed before the kill still verifies on it.
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$(port 2)/v1/account")
[ "$code" = 200 ] || fail "the token on the restarted replica 2: $code"

# A Shifumi match through the load balancer: a developer registers the game,
# two players queue with `webgames play` and play it to the end.
export WEBGAMES_SERVER=$HTTP WEBGAMES_CREDENTIALS=$WORK/credentials.json WEBGAMES_PASSWORD="correct horse"
export HOME=$WORK/home  # the players' device ids live in $HOME/.config/webgames
"$WEBGAMES" ctl register --username dev --role developer >/dev/null || fail "ctl register through the LB"
sed "s|^command = .*|command = \"$SHIFUMI\"|" "$SOURCE_DIR/examples/shifumi/game.toml" >"$WORK/game.toml"
"$WEBGAMES" ctl games create "$WORK/game.toml" >/dev/null || fail "ctl games create through the LB"
# play_match: alice and bob play a match of shifumi with `webgames play`
# through the load balancer, to results that agree.
play_match() {
  local alice bob p results
  "$WEBGAMES" play shifumi --auto --as alice --timeout-s 30 >"$WORK/alice.out" 2>"$WORK/alice.err" &
  alice=$!
  "$WEBGAMES" play shifumi --auto --as bob --timeout-s 30 >"$WORK/bob.out" 2>"$WORK/bob.err" &
  bob=$!
  wait "$alice" || fail "alice: $(cat "$WORK/alice.out" "$WORK/alice.err")"
  wait "$bob" || fail "bob: $(cat "$WORK/bob.out" "$WORK/bob.err")"
  for p in alice bob; do
    grep -q "^server ready at " "$WORK/$p.out" || fail "$p never saw the server: $(cat "$WORK/$p.out")"
    tail -n 1 "$WORK/$p.out" | grep -Eq "^result: (win|lose|draw)$" || fail "$p: no result: $(cat "$WORK/$p.out")"
  done
  results="$(tail -n 1 "$WORK/alice.out") $(tail -n 1 "$WORK/bob.out")"
  case "$results" in
    "result: win result: lose" | "result: lose result: win" | "result: draw result: draw") ;;
    *) fail "results do not agree: $results" ;;
  esac
}
play_match

# A warm pool in the cluster (docs/pools.md): the game keeps one server
# Idle; the replica owning the lobby (and the pools) is killed with SIGKILL;
# the next owner adopts the Idle server from the shared records (it runs
# on, still Idle, and no second one is started), and the next match gets it.
# The pool turned off then stops the server the match left in its place.

# The replica holding the lobby's lease (nothing while none does).
owner() { "$CLUSTER" owner 2>/dev/null || true; }
idle_pool() { # the ids of the game's Idle pool servers
  "$WEBGAMES" ctl -o json sessions list --game shifumi --state idle |
    python3 -c 'import json,sys; print(" ".join(s["id"] for s in json.load(sys.stdin)["items"] if s.get("pooled")))'
}
server_pid() { # the pid of the game server of session $1
  local f e
  for f in /proc/[0-9]*/environ; do
    mapfile -d '' env 2>/dev/null <"$f" || continue
    for e in "${env[@]}"; do [[ $e != "WEBGAMES_SESSION_ID=$1" ]] || { f=${f%/environ}; echo "${f#/proc/}"; return 0; }; done
  done
  return 1
}
{ cat "$WORK/game.toml"; printf '\n[pool]\npolicy = "buffer"\nbuffer = 1\n'; } >"$WORK/pooled.toml"
"$WEBGAMES" ctl games update "$WORK/pooled.toml" >/dev/null || fail "ctl games update with a pool"
idle=""
for _ in $(seq 1 100); do
  idle=$(idle_pool)
  [ -n "$idle" ] && break
  sleep 0.2
done
[[ $idle =~ ^[^\ ]+$ ]] || fail "not one Idle pool server: '$idle'"
pool_pid=$(server_pid "$idle") || fail "no process of the pool server $idle"
victim=$(owner)
[ -n "$victim" ] || fail "no replica owns the lobby"
victim_pid=$(cat "$WEBGAMES_CLUSTER_DIR/$victim/pid")
"$CLUSTER" kill "$victim" 2>/dev/null || fail "kill $victim"
adopted=false
for _ in $(seq 1 150); do
  new_owner=$(owner)
  if [ "$new_owner" != "$victim" ] && grep -q "director: adopted session $idle (idle" "$WEBGAMES_CLUSTER_DIR/$new_owner/log"; then
    adopted=true
    break
  fi
  sleep 0.2
done
$adopted || fail "no replica adopted the pool server $idle after $victim was killed"
alive "$pool_pid" || fail "the pool server $idle died with the owner"
sleep 2 # pool refreshes on the new owner: the adopted server fills the pool
[ "$(idle_pool)" = "$idle" ] || fail "after the takeover the Idle pool servers are '$(idle_pool)', not $idle alone"
play_match
"$WEBGAMES" ctl -o json sessions show "$idle" >"$WORK/pooled.json" || fail "ctl sessions show $idle"
python3 -c 'import json,sys; s=json.load(sys.stdin); sys.exit(0 if s["state"] == "ended" and len(s["players"]) == 2 else 1)' \
  <"$WORK/pooled.json" || fail "the match did not get the adopted pool server: $(cat "$WORK/pooled.json")"
"$WEBGAMES" ctl games update "$WORK/game.toml" >/dev/null || fail "ctl games update without a pool"
for _ in $(seq 1 100); do
  [ -z "$(idle_pool)" ] && break
  sleep 0.2
done
[ -z "$(idle_pool)" ] || fail "the pool turned off left Idle servers: $(idle_pool)"
alive "$victim_pid" && fail "$victim still runs after kill"
"$CLUSTER" start "$victim" 2>/dev/null || fail "start $victim"
pids+=("$(cat "$WEBGAMES_CLUSTER_DIR/$victim/pid")")

# The owner paused past its lease (SIGSTOP, as a long GC pause or a stalled
# VM would): another replica takes the lobby over; woken up, the old owner
# finds its lease gone and stops with status 75, and its supervisor
# (scripts/cluster) starts it again; a match plays after it.
victim=$(owner)
victim_pid=$(cat "$WEBGAMES_CLUSTER_DIR/$victim/pid")
kill -STOP "$victim_pid"
taken=false
for _ in $(seq 1 100); do
  [ "$(owner)" != "$victim" ] && { taken=true; break; }
  sleep 0.1
done
kill -CONT "$victim_pid"
$taken || fail "nobody took the lobby over from $victim, paused for 10 s"
restarted=false
for _ in $(seq 1 150); do
  if ! alive "$victim_pid" && [ "$(cat "$WEBGAMES_CLUSTER_DIR/$victim/pid")" != "$victim_pid" ] &&
    "$CLUSTER" status >"$WORK/status.txt" 2>&1; then
    restarted=true
    break
  fi
  sleep 0.2
done
$restarted || fail "$victim paused past its lease was not started again: $(cat "$WORK/status.txt")"
grep -q "stopped with status 75; starting it again" "$WEBGAMES_CLUSTER_DIR/$victim/log" ||
  fail "$victim was not stopped by its lost lease: $(grep -v '\[access\]' "$WEBGAMES_CLUSTER_DIR/$victim/log" | tail -n 5)"
pids+=("$(cat "$WEBGAMES_CLUSTER_DIR/$victim/pid")")
play_match

# A match whose players never connect: its server runs when the cluster
# goes down (a stopped replica leaves it for the next owner to adopt).
installation=$(cat "$WEBGAMES_CLUSTER_DIR/installation")
for p in carol dave; do
  [ "$(post "$HTTPS/v1/auth/guest" "{\"device_id\":\"e2e-$p\"}")" = 200 ] || fail "guest $p: $(cat "$WORK/body.json")"
  token=$(json_field access_token <"$WORK/body.json")
  code=$(curl -sk -o "$WORK/body.json" -w '%{http_code}' -H "authorization: Bearer $token" \
    -H 'content-type: application/json' -X POST "$HTTPS/v1/queues/shifumi/duel/tickets" -d '{}')
  [ "$code" = 201 ] || fail "ticket of $p: $code $(cat "$WORK/body.json")"
done
started=false
for _ in $(seq 1 100); do
  for f in /proc/[0-9]*/environ; do
    tr '\0' '\n' <"$f" 2>/dev/null | grep -qxF "WEBGAMES_INSTALLATION=$installation" && started=true && break
  done
  $started && break
  sleep 0.1
done
$started || fail "no game server started for carol and dave"

# No replica left: the load balancer answers in the API's error shape.
for r in 1 2 3; do "$CLUSTER" stop "$r" >/dev/null 2>&1 || fail "stop replica-$r"; done
lb_answer=""
for _ in $(seq 1 50); do
  lb_answer=$(curl -s --cacert "$CA" -D "$WORK/lb.headers" "$HTTPS/v1/games")
  grep -q '^HTTP/1.1 503' "$WORK/lb.headers" && break
  sleep 0.1
done
[ "$lb_answer" = '{"error":{"code":"unavailable","message":"no replica is ready; retry"}}' ] ||
  fail "the load balancer's 503: $(cat "$WORK/lb.headers") $lb_answer"
grep -qi '^retry-after: 1' "$WORK/lb.headers" || fail "no Retry-After on the load balancer's 503"

# Down: nothing of the cluster is left running, its game servers included,
# and the folder is gone.
"$CLUSTER" down 2>"$WORK/down.err" || { cat "$WORK/down.err" >&2; fail "down"; }
down_done=true
for pid in "${pids[@]}"; do
  alive "$pid" && fail "pid $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline")) still runs after down"
done
for f in /proc/[0-9]*/cmdline; do
  args=()
  mapfile -d '' args 2>/dev/null <"$f" || continue
  [[ "${args[*]}" != *"$WORK"* ]] || fail "left after down: ${f%/cmdline}: ${args[*]}"
done
# No game server of this cluster either (each carries WEBGAMES_INSTALLATION).
for f in /proc/[0-9]*/environ; do
  env=()
  mapfile -d '' env 2>/dev/null <"$f" || continue
  for e in "${env[@]}"; do
    [[ $e != "WEBGAMES_INSTALLATION=$installation" ]] || fail "a game server left after down: ${f%/environ}"
  done
done
[ ! -e "$WEBGAMES_CLUSTER_DIR" ] || fail "$WEBGAMES_CLUSTER_DIR is still there"
echo "ok"
