#!/usr/bin/env bash
# deploy/prometheus.yml is a valid Prometheus configuration, checked by
# promtool (Debian's prometheus package, scripts/install-deps), together with
# the targets file `scripts/cluster targets` writes for its cluster job:
# promtool reads that file_sd file too, and warns when it is missing.
#   check_prometheus_config.sh SOURCE_DIR
set -euo pipefail
root=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The layout the configuration expects: deploy/ beside build/cluster/.
mkdir -p "$tmp/deploy"
cp "$root/deploy/prometheus.yml" "$tmp/deploy/"
for i in 1 2; do
  mkdir -p "$tmp/build/cluster/replica-$i"
  : >"$tmp/build/cluster/replica-$i/args"
  echo $((18000 + i)) >"$tmp/build/cluster/replica-$i/port"
done
WEBGAMES_CLUSTER_DIR=$tmp/build/cluster "$root/scripts/cluster" targets >"$tmp/build/cluster/prometheus-targets.json"
grep -qF '"targets":["127.0.0.1:18001","127.0.0.1:18002"]' "$tmp/build/cluster/prometheus-targets.json" || {
  echo "FAIL: scripts/cluster targets wrote:"; cat "$tmp/build/cluster/prometheus-targets.json"; exit 1; }

out=$(promtool check config "$tmp/deploy/prometheus.yml" 2>&1) || { echo "$out"; echo "FAIL: promtool"; exit 1; }
echo "$out"
if grep -q WARNING <<<"$out"; then echo "FAIL: promtool warns"; exit 1; fi
echo "ok: deploy/prometheus.yml and the cluster's targets file"
