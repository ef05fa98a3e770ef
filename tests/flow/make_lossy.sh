#!/usr/bin/env bash
# Record a bulk TCP transfer across a lossy path between network namespaces
# this script creates (and removes): sender ssflowA (10.77.1.1) -> router
# ssflowR -> receiver ssflowB (10.77.2.2). An nft rule in the router's
# forward chain drops 3% of the data segments at random; tcpdump records on
# the receiver's veth, so the drops show up as holes, duplicate ACKs and
# retransmissions. (Dropping in the sender's own OUTPUT hook would not do:
# the sender's TCP sees the local error and resends at once, leaving no hole.
# tc netem would do, but container kernels often lack sch_netem.)
# Usage: make_lossy.sh OUT.pcap   (root, iproute2, nftables, tcpdump, python3)
set -euo pipefail
out=$(realpath -m "$1")
A=ssflowA; R=ssflowR; B=ssflowB
cleanup() { for n in $A $R $B; do ip netns del $n 2>/dev/null || true; done; }
trap cleanup EXIT
cleanup
for n in $A $R $B; do ip netns add $n; ip -n $n link set lo up; done
ip link add vA netns $A type veth peer name rA netns $R
ip link add vB netns $B type veth peer name rB netns $R
ip -n $A addr add 10.77.1.1/24 dev vA; ip -n $R addr add 10.77.1.2/24 dev rA
ip -n $B addr add 10.77.2.2/24 dev vB; ip -n $R addr add 10.77.2.1/24 dev rB
# One segment per frame (no 64 KiB GSO frames dropped as a unit).
ip -n $A link set vA gso_max_size 1500
ip -n $A link set vA gso_max_segs 1
for l in "$A vA" "$R rA" "$R rB" "$B vB"; do set -- $l; ip -n $1 link set $2 up; done
ip -n $A route add default via 10.77.1.2
ip -n $B route add default via 10.77.2.1
ip netns exec $R sysctl -qw net.ipv4.ip_forward=1
ip netns exec $R nft -f - <<'NFT'
table inet lossy {
  chain lossy_forward {
    type filter hook forward priority 0;
    tcp dport 5001 meta length > 100 numgen random mod 100 < 3 drop
  }
}
NFT

tmp=$(mktemp -d); chmod 0777 "$tmp"
ip netns exec $B python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.77.2.2", 5001)); s.listen(1)
c, _ = s.accept()
while c.recv(65536): pass
c.close()' &
srv=$!
ip netns exec $B tcpdump -i vB -s 100 --immediate-mode -U -n -w "$tmp/lossy.pcap" tcp port 5001 2>"$tmp/tcpdump.err" &
td=$!
for _ in $(seq 50); do grep -q "listening on" "$tmp/tcpdump.err" && break; sleep 0.1; done
ip netns exec $A python3 -c '
import socket
c = socket.create_connection(("10.77.2.2", 5001))
block = b"x" * 65536
for _ in range(128): c.sendall(block)
c.shutdown(socket.SHUT_WR)
c.recv(1)
c.close()'
wait $srv
sleep 0.5
kill -INT $td; wait $td || true
cp "$tmp/lossy.pcap" "$out"
rm -rf "$tmp"
echo "wrote $out"
