#!/usr/bin/env bash
# The wider check of issue 12: every capture under captures/ (and any files or
# directories given as arguments), re-cut with `editcap -s N` at several snap
# lengths, read by `tcpdump -n -r` and by `sockscope read` with the same flags;
# every line compared. Prints, per capture and per protocol class, how many
# lines are identical and how many differ, then every differing line.
#
# Why a script and not a test: it compares thousands of cut files whose
# differences in application protocols belong to other issues; it is a
# measuring tool to run before and after a change, not a pass/fail gate (the
# differential tests in tests/*_vs_tcpdump.rs are the gates).
#
#   tests/tools/wider_check.sh [FILE|DIR ...]
#
# Environment:
#   SOCKSCOPE_BIN     the binary (default: target/debug/sockscope; build it first)
#   WIDER_SNAPS       snap lengths, 0 meaning the file as it is
#                     (default: "0 30 38 46 54 56 58 62 70 80 96 128"; 56 and
#                     58 leave 2 and 4 bytes of an ICMPv6 header, or an
#                     option's kind and length, after Ethernet and IPv6)
#   WIDER_FLAGS       flag sets compared on every cut, separated by '|'
#                     (default: "|-v|-e"; the empty set is the default line)
#   WIDER_OUTPUT_FLAGS flag sets compared only on WIDER_OUTPUT_FILES, uncut and
#                     cut at 54 (default: tcpdump's output flags, see below)
#   WIDER_OUTPUT_FILES captures (names under captures/) those run on
#   WIDER_KEEP        a directory to keep the cut files and both outputs in
#
# Needs tcpdump and editcap (Debian: tcpdump, wireshark-common). Every line
# must be equal (sockscope's TCP analysis marks need --analysis, which no
# flag set here gives). Exit status 0 whatever the counts.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SOCKSCOPE_BIN:-$root/target/debug/sockscope}
snaps=${WIDER_SNAPS:-"0 30 38 46 54 56 58 62 70 80 96 128"}
flagsets=${WIDER_FLAGS:-"|-v|-e"}
output_flags=${WIDER_OUTPUT_FLAGS:-"-x|-xx|-X|-XX|-A|-t|-tt|-ttt|-tttt|-ttttt|-#|-e -XX -vv|-# -tttt -v -X"}
output_files=${WIDER_OUTPUT_FILES:-"exact_snapped.pcap exact_ipv6.pcap exact_icmp.pcap inspect_vlan.pcap verbose_time_gaps.pcap tcp_normal.pcap"}

for tool in tcpdump editcap; do
  command -v "$tool" >/dev/null || { echo "wider_check: $tool is not installed" >&2; exit 1; }
done
[ -x "$bin" ] || { echo "wider_check: no binary at $bin (cargo build)" >&2; exit 1; }

work=${WIDER_KEEP:-$(mktemp -d)}
mkdir -p "$work"
[ -n "${WIDER_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
# One row per compared line, fields separated by the unit separator (the
# lines themselves hold tabs).
results=$work/results
sep=$'\037'
: >"$results"

inputs=()
if [ $# -eq 0 ]; then set -- "$root/captures"; fi
for a in "$@"; do
  if [ -d "$a" ]; then
    while IFS= read -r f; do inputs+=("$f"); done < <(find "$a" -maxdepth 1 -type f \( -name '*.pcap' -o -name '*.pcapng' \) | sort)
  else
    inputs+=("$a")
  fi
done

# The class of a packet, from tcpdump's lines for it (the packet line and its
# -v continuation lines; hex dump lines do not count). Application protocols
# first (they ride on UDP/TCP), then the IP protocols other than TCP, UDP and
# ICMP (IGMP, SCTP, GRE, ESP …, and link types tcpdump does not decode):
# neither counts as L2-L4 in the total; then L4, L3, L2.
classify='
# A port (or ports, an alternation) after an address: an IPv4 address has
# four numbers before it, so a group address such as 224.0.0.22 (IGMPv3
# reports) is not port 22.
function port(l, p) {
  return l ~ ("([0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+|[0-9a-f]*:[0-9a-f:]*)\\.(" p ")[ :]")
}
function classof(l) {
  if (l ~ /LLDP|STP|LACP|CDP|LLC|802\.1|OAM|Marker|EAPOL|PTP/) return "l2-control"
  if (port(l, "53|5353|5355") || l ~ /domain/) return "app:dns"
  if (l ~ /NTP/) return "app:ntp"
  if (l ~ /BOOTP|DHCP/) return "app:bootp"
  if (l ~ /SYSLOG/) return "app:syslog"
  if (port(l, "69") || l ~ /tftp|TFTP/) return "app:tftp"
  if (port(l, "80") || l ~ /HTTP/) return "app:http"
  if (port(l, "22") || l ~ /SSH/) return "app:ssh"
  if (l ~ /igmp|IGMP|sctp|SCTP|DCCP|GRE|ESP\(|AH\(|EGP|igrp|RSVP|OSPF|PIM|VRRP|CARP|pgm|PGM|mobility|mobile|EIGRP|IPComp|UNSUPPORTED| nd [0-9]/) return "ip-other"
  if (l ~ /\[\|(egp|dccp|rsvp|gre|esp|mobile|ospf3|pim|ipcomp|ether|llc)\]/) return "ip-other"
  if (l ~ /ICMP6|icmp6/) return "icmp6"
  if (l ~ /ICMP|icmp/) return "icmp"
  if (l ~ /Flags \[|\[\|tcp\]|tcp /) return "tcp"
  if (l ~ /UDP|udp/) return "udp"
  if (l ~ /ARP|arp/) return "arp"
  if (l ~ /IP6|ip6/) return "ipv6"
  if (l ~ /IP |ip-proto|\[\|ip\]|IP$/) return "ipv4"
  return "l2-other"
}
# Line l starts packet k when it is not indented; under -A (ascii set) the
# payload lines are not indented either, so only a line that starts with a
# time does; under -# (numbered set) it starts with k right-aligned in five
# columns and two spaces (the "%5u  " of tcpdump), which indented lines and
# payload lines do not pass for.
function starts(l, k,   num) {
  if (numbered) {
    num = sprintf("%5u  ", k)
    return substr(l, 1, length(num)) == num
  }
  if (ascii) return l ~ /^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\./
  return l !~ /^[ \t]/
}
# Read the file f into line[], whether each line starts a packet into first[]
# and the class of each line into cls[] (one packet: a line that starts one
# and the lines after it); return the number of lines.
function classes(f, cls, first,   n, i, j, k, l, text, start) {
  n = 0
  while ((getline l < f) > 0) line[++n] = l
  close(f)
  k = 0
  for (i = 1; i <= n; i++) if ((first[i] = starts(line[i], k + 1))) k++
  start = 1
  for (i = 2; i <= n + 1; i++) {
    if (i > n || first[i]) {
      text = ""
      for (j = start; j < i; j++) if (line[j] !~ /^\t0x[0-9a-f]+:/) text = text " " line[j]
      c = classof(text)
      for (j = start; j < i; j++) cls[j] = c
      start = i
    }
  }
  return n
}'

# Compare tcpdump's output ($1) with sockscope's ($2), line by line; append
# one row per line to $results: status, class, capture, snap, flags, line no,
# tcpdump's line, sockscope's line.
compare() {
  local theirs=$1 ours=$2 name=$3 snap=$4 flags=$5
  local ascii=0 numbered=0
  case " $flags " in *" -A "* | *" -AA "*) ascii=1 ;; esac
  case " $flags " in *" -# "*) numbered=1 ;; esac
  awk -v OFS="$sep" -v name="$name" -v snap="$snap" -v flags="$flags" -v ascii="$ascii" -v numbered="$numbered" -v theirs="$theirs" -v ours="$ours" "$classify"'
    function row(i, a, b, c) {
      st = (a == b) ? "same" : "diff"
      print st, c, name, snap, flags, i, a, b
    }
    BEGIN {
      nt = classes(theirs, ct, first); for (i = 1; i <= nt; i++) { t[i] = line[i]; if (first[i]) pt[++kt] = i }
      delete line; delete first
      no = classes(ours, co, first); for (i = 1; i <= no; i++) { o[i] = line[i]; if (first[i]) po[++ko] = i }
      pt[kt + 1] = nt + 1; po[ko + 1] = no + 1
      if (kt == ko && pt[1] == 1 && po[1] == 1) {
        # Same number of packets: compare packet by packet, so that one
        # missing -v line does not make every later line differ.
        for (k = 1; k <= kt; k++) {
          lt = pt[k + 1] - pt[k]; lo = po[k + 1] - po[k]
          for (j = 0; j < (lt > lo ? lt : lo); j++)
            row(pt[k] + j, j < lt ? t[pt[k] + j] : "(none)", j < lo ? o[po[k] + j] : "(none)", ct[pt[k]])
        }
      } else {
        for (i = 1; i <= (nt > no ? nt : no); i++)
          row(i, i <= nt ? t[i] : "(none)", i <= no ? o[i] : "(none)", i <= nt ? ct[i] : co[i])
      }
    }' >>"$results"
}

# Cut $1 to snap length $2 into $3, keeping its file format.
cut_to() {
  local in=$1 snap=$2 out=$3 fmt=pcap
  case "$in" in
    *.pcapng) fmt=pcapng ;;
    *) case "$(od -An -tx1 -N4 "$in" | tr -d ' ')" in
         4d3cb2a1 | a1b23c4d) fmt=nsecpcap ;;
       esac ;;
  esac
  if [ "$snap" = 0 ]; then cp "$in" "$out"; else editcap -F "$fmt" -s "$snap" "$in" "$out" 2>/dev/null; fi
}

# Run both on $1 with the flags $2 (words), compare.
run_pair() {
  local file=$1 flags=$2 name=$3 snap=$4 base
  base=$work/$name.$snap.$(echo "${flags:-default}" | tr -c 'A-Za-z0-9#\n' _)
  # shellcheck disable=SC2086
  if ! TZ=UTC tcpdump -n -r "$file" $flags >"$base.tcpdump" 2>"$base.err"; then
    refused+=("$name -s $snap ${flags:-default}: $(tail -1 "$base.err")")
    return
  fi
  # shellcheck disable=SC2086
  TZ=UTC LC_ALL=C.UTF-8 "$bin" read "$file" $flags >"$base.sockscope" 2>/dev/null || true
  compare "$base.tcpdump" "$base.sockscope" "$name" "$snap" "${flags:-default}"
}

skipped=()
refused=()
for f in "${inputs[@]}"; do
  name=$(basename "$f")
  for snap in $snaps; do
    cut=$work/$name.cut$snap
    if ! cut_to "$f" "$snap" "$cut"; then skipped+=("$name -s $snap"); continue; fi
    IFS='|' read -ra sets <<<"$flagsets"
    [ "$flagsets" != "${flagsets%|}" ] && sets+=("")
    for flags in "${sets[@]}"; do run_pair "$cut" "$flags" "$name" "$snap"; done
    if [[ " $output_files " == *" $name "* ]] && { [ "$snap" = 0 ] || [ "$snap" = 54 ]; }; then
      IFS='|' read -ra sets <<<"$output_flags"
      for flags in "${sets[@]}"; do run_pair "$cut" "$flags" "$name" "$snap"; done
    fi
    [ -n "${WIDER_KEEP:-}" ] || rm -f "$cut"
  done
done

echo "== per capture (lines compared, differing)"
awk -F"$sep" '{ n[$3]++; if ($1 == "diff") d[$3]++ } END { for (c in n) printf "%-32s %7d %5d\n", c, n[c], d[c] }' "$results" | sort
echo "== per class (lines compared, differing)"
awk -F"$sep" '{ n[$2]++; if ($1 == "diff") d[$2]++ } END { for (c in n) printf "%-12s %7d %5d\n", c, n[c], d[c] }' "$results" | sort
echo "== per flag set (lines compared, differing)"
awk -F"$sep" '{ n[$5]++; if ($1 == "diff") d[$5]++ } END { for (c in n) printf "%-20s %7d %5d\n", c, n[c], d[c] }' "$results" | sort
awk -F"$sep" '{ n++; if ($1 == "diff") { d++; if ($2 !~ /^(app:|l2-control|ip-other)/) l++ } }
  END { printf "== total: %d lines compared, %d identical, %d differing (%d of them L2-L4)\n", n, n - d, d, l }' "$results"
if [ ${#skipped[@]} -gt 0 ]; then echo "== editcap could not cut: ${skipped[*]}"; fi
if [ ${#refused[@]} -gt 0 ]; then printf '== tcpdump refused (not compared): %s\n' "${refused[@]}"; fi
echo "== differing lines (class, capture, snap, flags, line; tcpdump then sockscope)"
awk -F"$sep" '$1 == "diff"' "$results" | sort -t"$sep" -s -k2,2 |
  awk -F"$sep" '{ printf "%s %s -s %s %s #%s\n  tcpdump:   %s\n  sockscope: %s\n", $2, $3, $4, $5, $6, $7, $8 }'
