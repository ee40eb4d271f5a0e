#!/usr/bin/env bash
# N "hosts" on one machine: Linux network namespaces h0…h(N-1), each with a
# veth link into one Linux bridge, one address per host, loopback up.
#
#   scripts/netns-hosts.sh up N [--netem "delay 1ms loss 5%" --on h1]
#   scripts/netns-hosts.sh down
#   scripts/netns-hosts.sh list        # host address, one a line
#
# Addresses: the bridge (this, the root namespace, where mpiexec runs) is
# 10.77.0.1; host i is 10.77.0.(10+i). Each namespace's /etc/hosts view is not
# touched; tsmpi and Hydra address hosts by these numbers. --netem puts a
# `tc netem` qdisc on both ends of the host's link (so both directions suffer
# it); --on defaults to h0. A kernel without netem gets the loss part from
# nftables instead, and a refusal for delay. `up` first removes what an earlier `up` left, so it
# is idempotent; `down` removes only what `up` made (recorded in $STATE).
# Needs root and iproute2.
set -euo pipefail

STATE=${TSMPI_NETNS_STATE:-/run/tsmpi-netns}
BRIDGE=tsmpi-br0
NET=10.77.0

die() { echo "netns-hosts: $*" >&2; exit 1; }

need() {
  command -v ip >/dev/null || die "ip not found; apt-get install -y iproute2"
  [[ $(id -u) == 0 ]] || die "must run as root (network namespaces and bridges)"
}

down() {
  need
  if [[ -f $STATE/hosts ]]; then
    while read -r host _; do
      ip netns del "$host" 2>/dev/null || true
      ip link del "tsv-$host" 2>/dev/null || true
    done <"$STATE/hosts"
    rm -f "$STATE/hosts"
  fi
  ip link del "$BRIDGE" 2>/dev/null || true
}

# Loss only, for kernels built without sch_netem (CONFIG_NET_SCH_NETEM unset,
# as on the Firecracker VM this was written on): nftables drops that share of
# packets at random on the host's link, both ways, as netem's loss would.
loss_with_nftables() {
  local host=$1 spec=$2 pct per10k
  [[ $spec =~ ^loss\ (random\ )?([0-9]+(\.[0-9]+)?)%$ ]] ||
    die "this kernel has no netem qdisc (CONFIG_NET_SCH_NETEM), and without it only 'loss P%' can be emulated, not '$spec'"
  pct=${BASH_REMATCH[2]}
  command -v nft >/dev/null || die "this kernel has no netem qdisc; loss needs nftables instead: apt-get install -y nftables"
  per10k=$(awk -v p="$pct" 'BEGIN { printf "%d", p * 100 + 0.5 }')
  ip netns exec "$host" nft -f - <<RULES
table inet tsmpi_loss {
  chain in { type filter hook input priority 0; iifname "eth0" numgen random mod 10000 < $per10k counter drop; }
  chain out { type filter hook output priority 0; oifname "eth0" numgen random mod 10000 < $per10k counter drop; }
}
RULES
  echo "netns-hosts: $host drops $pct% of its packets each way (nftables; this kernel has no netem)" >&2
}

impair() {
  local host=$1 spec=$2
  # shellcheck disable=SC2086  # the netem spec is words on purpose
  if command -v tc >/dev/null && tc qdisc add dev "tsv-$host" root netem $spec 2>/dev/null; then
    # shellcheck disable=SC2086
    ip netns exec "$host" tc qdisc add dev eth0 root netem $spec
  else
    loss_with_nftables "$host" "$spec"
  fi
}

up() {
  local n=$1 netem="" on=h0
  shift
  [[ $n =~ ^[0-9]+$ && $n -ge 1 && $n -le 200 ]] || die "N must be 1..200, got '$n'"
  while [[ $# -gt 0 ]]; do
    case $1 in
      --netem) netem=$2; shift 2 ;;
      --on) on=$2; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  need
  down
  trap 'echo "netns-hosts: up failed; removing what it made" >&2; down' EXIT
  mkdir -p "$STATE"
  ip link add "$BRIDGE" type bridge
  ip addr add "$NET.1/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  for ((i = 0; i < n; i++)); do
    local host=h$i addr=$NET.$((10 + i))
    ip netns add "$host"
    echo "$host $addr" >>"$STATE/hosts"
    ip link add "tsv-$host" type veth peer name eth0 netns "$host"
    ip link set "tsv-$host" master "$BRIDGE" up
    ip -n "$host" link set lo up
    ip -n "$host" addr add "$addr/24" dev eth0
    ip -n "$host" link set eth0 up
    ip -n "$host" route add default via "$NET.1"
    if [[ -n $netem && $host == "$on" ]]; then impair "$host" "$netem"; fi
  done
  # Every host must reach every other before anyone relies on it.
  for ((i = 0; i < n; i++)); do
    if command -v ping >/dev/null && [[ -z $netem ]]; then
      ip netns exec "h$i" ping -c 1 -W 2 "$NET.1" >/dev/null 2>&1 || die "h$i cannot reach the bridge at $NET.1"
    fi
  done
  trap - EXIT
  list
}

list() {
  [[ -f $STATE/hosts ]] || die "no hosts are up; run: $0 up N"
  cat "$STATE/hosts"
}

case ${1:-} in
  up) shift; up "${1:-2}" "${@:2}" ;;
  down) down ;;
  list) list ;;
  *) die "usage: $0 up N [--netem 'delay 1ms loss 5%' --on h1] | down | list" ;;
esac
