# shellcheck shell=bash
# Sourced by scripts/redis, scripts/postgres and scripts/cluster.

# unused_port [SKIP_FILE…]: a random loopback TCP port that nothing uses now,
# in any state (listening, or held by a connection), and that no SKIP_FILE
# lists (one port per line). It is taken below the kernel's ephemeral range
# (net.ipv4.ip_local_port_range): a port in that range may become the local
# end of some outgoing connection between this check and the server's bind,
# which then fails with "Address already in use" (HAProxy did, under the
# load of `make test`).
unused_port() {
  local low top p
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || low=32768
  top=$((low > 21000 ? low - 1 : 32767))
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % (top - 19999)))
    (($# > 0)) && grep -qsx "$p" "$@" && continue
    ss -Htan "sport = :$p" 2>/dev/null | grep -q . && continue
    echo "$p"
    return 0
  done
  return 1
}
