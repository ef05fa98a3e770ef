//! Solaris' ipnet records (link type 226): a 24-byte header, then IPv4 or
//! IPv6 by the header's family (Solaris' 2 and 26). Records of each
//! family (and ones whose packet is not the family's, and unknown
//! families), both directions and several zones, whole and cut at every
//! length, must print what `tcpdump -n -r` prints at every level and in
//! every dump; filters select what tcpdump selects (family tests,
//! `inbound`/`outbound` on the packet type, IP filters past the header)
//! and are refused in libpcap's words where it refuses them; our BPF
//! program agrees with the evaluator; flows and `--json` see the packet.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::link_captures::{self, ipv4_echo, ipv6_udp};
use support::link_filters::filters_equal_tcpdump;
use support::temp_path;

const IPNET: u32 = 226;

/// An ipnet record: version 1, `family`, packet type `htype` (1 out, 2
/// in), interface 3, zones `zones`, then `packet`.
fn record(family: u8, htype: u16, zones: (u32, u32), packet: &[u8]) -> Vec<u8> {
    let mut r = vec![1, family];
    r.extend_from_slice(&htype.to_be_bytes());
    r.extend_from_slice(&(packet.len() as u32).to_be_bytes());
    r.extend_from_slice(&3u32.to_be_bytes());
    r.extend_from_slice(&0u32.to_be_bytes());
    r.extend_from_slice(&zones.0.to_be_bytes());
    r.extend_from_slice(&zones.1.to_be_bytes());
    r.extend_from_slice(packet);
    r
}

fn records() -> Vec<Vec<u8>> {
    let (v4, v6) = (ipv4_echo(), ipv6_udp());
    vec![
        record(2, 2, (0, 0), &v4),
        record(26, 1, (7, 9), &v6),
        record(2, 1, (1, 2), &v4),
        record(26, 2, (0xffff_ffff, 1), &v6),
        // Another family: the header's words and the bytes.
        record(1, 2, (1, 2), &v4),
        record(0, 0, (0, 0), &[]),
        record(255, 3, (5, 6), b"hello"),
        // A packet that is not its family's.
        record(2, 2, (1, 2), &v6),
        record(26, 2, (1, 2), &v4),
    ]
}

#[test]
fn records_whole_and_cut_print_what_tcpdump_prints() {
    let frames = records();
    let path = temp_path(
        "ipnet-cuts",
        link_captures::capture(IPNET, &frames, usize::MAX),
    );
    let levels = ["", "-e", "-v", "-e -v", "-x", "-e -x", "-X", "-xx", "-A"];
    let Some(counts) = compare_with_tcpdump(&path, &levels, 400) else {
        return;
    };
    let total: usize = counts.iter().sum();
    eprintln!("ipnet: {total} lines identical to tcpdump's");
    assert!(total > 5_000, "{total}");
}

#[test]
fn filters_select_what_tcpdump_selects() {
    const EXPRS: &[&str] = &[
        "ip",
        "ip6",
        "icmp",
        "udp port 6000",
        "ip[9] = 1",
        "ether proto 0x86dd",
        "inbound",
        "outbound",
        "ip multicast",
        "net 192.168.1.0/24",
        "host 2001:db8::1",
        "len > 60",
        "link[1] = 26",
        "ip and not inbound",
    ];
    // libpcap's refusals, word for word.
    const REFUSED: &[&str] = &[
        "ether host 1:2:3:4:5:6",
        "ether broadcast",
        "ether multicast",
        "vlan",
        "mpls",
        "llc",
    ];
    let bytes = link_captures::capture(IPNET, &records(), usize::MAX);
    let path = temp_path("ipnet-filters", bytes.clone());
    let compared = filters_equal_tcpdump((&path, &bytes), IPNET, EXPRS, REFUSED);
    if compared == 0 {
        return;
    }
    eprintln!("ipnet filters: {compared} lines identical to tcpdump's");
    assert!(compared > 300, "{compared}");
}

#[test]
fn flows_and_json_see_the_packet() {
    let frames = [record(26, 1, (7, 9), &ipv6_udp())];
    let path = temp_path("ipnet-json", link_captures::capture(IPNET, &frames, 0));
    let out = sockscope(&["read", &path, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let line = text(&out.stdout);
    let v: serde_json::Value = serde_json::from_str(line.trim()).expect("json");
    assert_eq!(v["link"], "IPNET", "{line}");
    let l = &v["link_layer"];
    assert_eq!(l["type"], "ipnet", "{line}");
    assert_eq!(l["family"], 26, "{line}");
    assert_eq!(l["htype"], 1, "{line}");
    assert_eq!(l["ifindex"], 3, "{line}");
    assert_eq!((&l["zsrc"], &l["zdst"]), (&7.into(), &9.into()), "{line}");
    assert_eq!(v["udp"]["dport"], 6000, "{line}");
    let out = sockscope(&["read", &path, "--flows", "-q"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.contains("[2001:db8::1]:5000"), "{table}");
    assert!(table.contains("udp"), "{table}");
}

#[test]
fn damaged_records_never_panic() {
    support::link_damage::damaged_records_read(IPNET, &records(), 226);
}
