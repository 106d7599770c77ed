# shellcheck shell=bash
# Sourced by scripts/redis, scripts/postgres and scripts/cluster.

# unused_port [SKIP_FILE…]: a random loopback TCP port that nothing uses now,
# in any state (listening, or held by a connection), and that no SKIP_FILE
# lists (one port per line). It is taken from WEBGAMES_CLUSTER_PORTS
# (LOW-HIGH) when set, for a machine whose firewall or neighbours allow only
# a range; otherwise below the kernel's ephemeral range
# (net.ipv4.ip_local_port_range), from 20000: a port in that range may become
# the local end of some outgoing connection between this check and the
# server's bind, which then fails with "Address already in use" (HAProxy did,
# under the load of `make test`).
unused_port() {
  local low top p
  if [[ -n ${WEBGAMES_CLUSTER_PORTS:-} ]]; then
    if ! [[ $WEBGAMES_CLUSTER_PORTS =~ ^([0-9]{4,5})-([0-9]{4,5})$ ]] ||
      ((BASH_REMATCH[1] < 1024 || BASH_REMATCH[2] > 65535 || BASH_REMATCH[1] > BASH_REMATCH[2])); then
      echo "WEBGAMES_CLUSTER_PORTS must be LOW-HIGH with 1024 <= LOW <= HIGH <= 65535, not '$WEBGAMES_CLUSTER_PORTS'" >&2
      return 1
    fi
    low=$((10#${BASH_REMATCH[1]})) top=$((10#${BASH_REMATCH[2]}))
  else
    read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || low=32768
    top=$((low > 21000 ? low - 1 : 32767)) low=20000
  fi
  # Random tries first (two clusters on one machine rarely collide), then
  # every port of the range in order, so that a small range is used whole.
  for p in $(for _ in $(seq 1 100); do echo $((low + RANDOM % (top - low + 1))); done) $(seq "$low" "$top"); do
    (($# > 0)) && grep -qsx "$p" "$@" && continue
    ss -Htan "sport = :$p" 2>/dev/null | grep -q . && continue
    echo "$p"
    return 0
  done
  return 1
}
