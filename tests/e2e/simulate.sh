#!/usr/bin/env bash
# `webgames simulate` as a studio would run it: the sample day with the
# measured Docker starts, the plot of every buffer size and the predictive
# policy, the same figures for the same seed, and hostile input refused with
# exit status 2 and the line it is about. The figures are deterministic (a
# virtual clock and a seed), so the issue's targets for the predictive policy
# are checked here: time-to-play p99 <= 100 ms with idle <= 5 % of served,
# and no buffer size better on both axes.
set -euo pipefail
WEBGAMES=$1
SOURCE=$2
WORK=$(mktemp -d -t webgames-simulate.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
DAY=$SOURCE/examples/demand/diurnal.csv

"$WEBGAMES" simulate --demand "$DAY" --runtime docker --plot "$WORK/plot.svg" >"$WORK/out" 2>"$WORK/curve" ||
  fail "simulate exited with $?: $(cat "$WORK/curve")"
python3 - "$WORK/out" "$WORK/curve" "$WORK/plot.svg" <<'PY' || fail "figures"
import json, sys, xml.etree.ElementTree as ET
out = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
curve = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
assert len(out) == 1, out
r = out[0]
for key in ("served_server_s", "idle_server_s", "idle_ratio", "ttp_p50_ms", "ttp_p99_ms", "cold_starts", "peak_servers"):
    assert key in r, key
assert r["policy"] == "predictive" and r["matches"] > 50000, r
assert abs(r["idle_ratio"] - r["idle_server_s"] / r["served_server_s"]) < 1e-3, r
print(f"predictive on the sample day with Docker starts: ttp p99 {r['ttp_p99_ms']} ms, idle {r['idle_ratio']:.2%}, "
      f"{r['cold_starts']} cold starts of {r['matches']} matches, peak {r['peak_servers']} servers")
assert r["ttp_p99_ms"] <= 100, "predictive time-to-play p99 above 100 ms"
assert r["idle_ratio"] <= 0.05, "predictive idle above 5 % of served"
buffers = [c for c in curve if c["policy"].startswith("buffer:")]
assert [c["policy"] for c in buffers] == [f"buffer:{n}" for n in range(11)], [c["policy"] for c in buffers]
assert buffers[0]["cold_starts"] == buffers[0]["matches"] and buffers[0]["idle_server_s"] == 0, buffers[0]
for c in buffers:
    dominated = c["ttp_p99_ms"] <= r["ttp_p99_ms"] and c["idle_ratio"] <= r["idle_ratio"] and \
        (c["ttp_p99_ms"] < r["ttp_p99_ms"] or c["idle_ratio"] < r["idle_ratio"])
    assert not dominated, f"{c['policy']} beats predictive on both axes: {c}"
svg = ET.parse(sys.argv[3]).getroot()
text = " ".join(t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}text"))
assert "predictive" in text and "buffer:10" in text, text
PY

# The same seed gives the same figures; another seed others.
strip() { sed 's/,"elapsed_s":[0-9.]*//'; }
a=$("$WEBGAMES" simulate --demand "$DAY" --runtime process --policy buffer:2 --seed 7 | strip)
b=$("$WEBGAMES" simulate --demand "$DAY" --runtime process --policy buffer:2 --seed 7 | strip)
c=$("$WEBGAMES" simulate --demand "$DAY" --runtime process --policy buffer:2 --seed 8 | strip)
[ "$a" = "$b" ] || fail "seed 7 twice: $a / $b"
[ "$a" != "$c" ] || fail "seeds 7 and 8 gave the same figures"

# Hostile input: exit status 2, and a message that says where.
refused() {  # expected-text args...
  local want=$1
  shift
  set +e
  "$WEBGAMES" simulate "$@" >"$WORK/stdout" 2>"$WORK/stderr"
  local status=$?
  set -e
  [ "$status" = 2 ] || fail "simulate $* exited with $status, not 2"
  grep -q -- "$want" "$WORK/stderr" || fail "simulate $*: no '$want' in: $(cat "$WORK/stderr")"
  [ ! -s "$WORK/stdout" ] || fail "simulate $* printed figures"
}
printf 'seconds,players_per_second\n0,1\n60,lots\n' >"$WORK/bad.csv"
refused "demand line 3" --demand "$WORK/bad.csv" --latencies "$SOURCE/bench/ttp/latencies/docker.txt"
printf '0,1\n60,2\n30,2\n' >"$WORK/backwards.csv"
refused "increase" --demand "$WORK/backwards.csv" --runtime docker
head -c 20000000 /dev/zero | tr '\0' '1' >"$WORK/huge.csv"
refused "larger than" --demand "$WORK/huge.csv" --runtime docker
refused "cannot read" --demand "$WORK/missing.csv" --runtime docker
printf '12\nfast\n' >"$WORK/bad-latencies.txt"
refused "latencies line 2" --demand "$DAY" --latencies "$WORK/bad-latencies.txt"
refused "buffer:N" --demand "$DAY" --runtime docker --policy buffer:-1
refused "off, buffer:N or predictive" --demand "$DAY" --runtime docker --policy warm
refused "min-ready" --demand "$DAY" --runtime docker --min-ready 5 --max-ready 2
echo ok
