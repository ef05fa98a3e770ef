//! Linux's Classical IP over ATM (DLT 19, link type 106 in files): a
//! record is LLC/SNAP with OUI 0 (`aa aa 03 00 00 00`) and an EtherType,
//! or else a bare IPv4 packet (tcpdump hands it to its IPv4 printer
//! whatever its version nibble says). Records of both kinds, with IPv4,
//! IPv6, ARP and every EtherType payload the other link tests use behind
//! SNAP, near misses of the SNAP header, whole and cut at every length,
//! must print what `tcpdump -n -r` prints at every level and in every
//! dump, under both numbers; filters select what tcpdump selects (libpcap
//! compiles them as RFC 1483 ATM's) and are refused in its words; flows
//! and `--json` see the packet.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::link_captures::{self, ether_type_payloads, ipv4_echo, ipv6_udp};
use support::link_filters::filters_equal_tcpdump;
use support::temp_path;

const ATM_CLIP: u32 = 19;
const ATM_CLIP_FILE: u32 = 106;

/// `payload` (an EtherType and what follows) behind LLC/SNAP with `oui`.
fn snap(oui: [u8; 3], payload: &[u8]) -> Vec<u8> {
    [&[0xaa, 0xaa, 0x03][..], &oui, payload].concat()
}

fn by_type(t: u16, rest: &[u8]) -> Vec<u8> {
    [&t.to_be_bytes()[..], rest].concat()
}

fn records() -> Vec<Vec<u8>> {
    let (v4, v6) = (ipv4_echo(), ipv6_udp());
    let arp = [
        &[0, 1, 8, 0, 6, 4, 0, 1][..],
        &[2, 0, 0, 0, 0, 1],
        &[192, 168, 1, 1],
        &[0; 6],
        &[192, 168, 1, 2],
    ]
    .concat();
    let mut v5 = v4.clone();
    v5[0] = 0x55;
    let mut r = vec![
        // Bare IP: IPv4, an IPv6 packet (the IPv4 printer's "wrong
        // link-layer encapsulation") and another version.
        v4.clone(),
        v6.clone(),
        v5,
        // LLC/SNAP, OUI 0.
        snap([0; 3], &by_type(0x0800, &v4)),
        snap([0; 3], &by_type(0x86dd, &v6)),
        snap([0; 3], &by_type(0x0806, &arp)),
        snap([0; 3], &by_type(0x1234, b"hello")),
        // Near misses: another OUI, another control or SAP: IPv4 bytes.
        snap([0x00, 0x80, 0xc2], &by_type(0x0007, &[0; 20])),
        snap([0x00, 0x00, 0x0c], &by_type(0x2000, &[0; 10])),
        [&[0xaa, 0xaa, 0x13, 0, 0, 0, 8, 0][..], &v4].concat(),
        [&[0xfe, 0xfe, 0x03, 0xcc][..], &v4].concat(),
        vec![0x42; 7],
    ];
    r.extend(ether_type_payloads().iter().map(|p| snap([0; 3], p)));
    r
}

#[test]
fn records_whole_and_cut_print_what_tcpdump_prints() {
    let frames = records();
    let levels = [
        "", "-e", "-v", "-e -v", "-vv", "-x", "-e -x", "-X", "-xx", "-A",
    ];
    let mut total = 0;
    for link in [ATM_CLIP, ATM_CLIP_FILE] {
        let path = temp_path(
            &format!("clip-{link}-cuts"),
            link_captures::capture(link, &frames, 60),
        );
        let Some(counts) = compare_with_tcpdump(&path, &levels, 1_000) else {
            return;
        };
        total += counts.iter().sum::<usize>();
    }
    eprintln!("atm_clip: {total} lines identical to tcpdump's");
    assert!(total > 20_000, "{total}");
}

#[test]
fn filters_select_what_tcpdump_selects() {
    const EXPRS: &[&str] = &[
        "ip",
        "ip6",
        "arp",
        "icmp",
        "udp port 6000",
        "ip[9] = 1",
        "ether proto 0x86dd",
        "host 192.168.1.2",
        "host 2001:db8::1",
        "len > 60",
        "link[0] = 0xaa",
        "ip and not icmp",
    ];
    // libpcap's refusals, word for word.
    const REFUSED: &[&str] = &[
        "ether host 1:2:3:4:5:6",
        "ether broadcast",
        "ether multicast",
        "vlan",
        "inbound",
        "llc",
        "llc u",
    ];
    let mut compared = 0;
    for link in [ATM_CLIP, ATM_CLIP_FILE] {
        let bytes = link_captures::capture(link, &records(), usize::MAX);
        let path = temp_path(&format!("clip-{link}-filters"), bytes.clone());
        compared += filters_equal_tcpdump((&path, &bytes), link, EXPRS, REFUSED);
    }
    if compared == 0 {
        return;
    }
    eprintln!("atm_clip filters: {compared} lines identical to tcpdump's");
    assert!(compared > 1_000, "{compared}");
}

#[test]
fn flows_and_json_see_the_packet() {
    let frames = [ipv4_echo(), snap([0; 3], &by_type(0x86dd, &ipv6_udp()))];
    let path = temp_path("clip-json", link_captures::capture(ATM_CLIP, &frames, 0));
    let out = sockscope(&["read", &path, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["link"], "ATM_CLIP");
    assert_eq!(lines[0]["link_layer"]["type"], "atm_clip");
    assert_eq!(lines[0]["link_layer"]["encapsulation"], "ip");
    assert_eq!(lines[0]["ip"]["dst"], "192.168.1.2");
    let l = &lines[1]["link_layer"];
    assert_eq!(l["encapsulation"], "llc");
    assert_eq!(
        (&l["llc"]["dsap"], &l["llc"]["pid"]),
        (&0xaa.into(), &0x86dd.into())
    );
    assert_eq!(lines[1]["udp"]["dport"], 6000);
    let out = sockscope(&["read", &path, "--flows", "-q"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.contains("[2001:db8::1]:5000"), "{table}");
    assert!(table.contains("192.168.1.1"), "{table}");
}

#[test]
fn damaged_records_never_panic() {
    support::link_damage::damaged_records_read(ATM_CLIP, &records(), 19);
}
