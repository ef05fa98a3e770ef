//! Symantec's firewall captures (link type 99): a 44-byte header whose
//! bytes 6 and 7 are an EtherType, then what tcpdump's EtherType printer
//! makes of it: IPv4, IPv6, ARP and every EtherType payload the other
//! link tests use, VLAN tags it does not follow, EtherTypes it has no
//! printer for, lengths it calls invalid; whole and cut at every length,
//! each must print what `tcpdump -n -r` prints at every level and in
//! every dump; filters select what tcpdump selects (libpcap compares
//! every protocol word with the EtherType, OSI's and STP's SAPs too) and
//! are refused in its words; flows and `--json` see the packet.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::link_captures::{self, ether_type_payloads, ipv4_echo, ipv6_udp};
use support::link_filters::filters_equal_tcpdump;
use support::temp_path;

const SYMANTEC: u32 = 99;

/// A record: a header of its own bytes (0x60, 0x61, …) with `t` at byte
/// 6, then `rest`.
fn record(t: u16, rest: &[u8]) -> Vec<u8> {
    let mut h: Vec<u8> = (0x60..0x60 + 44).collect();
    h[6..8].copy_from_slice(&t.to_be_bytes());
    [&h[..], rest].concat()
}

fn records() -> Vec<Vec<u8>> {
    let (v4, v6) = (ipv4_echo(), ipv6_udp());
    let mut r = vec![
        record(0x0800, &v4),
        record(0x86dd, &v6),
        // The IPv4 printer on an IPv6 packet, and the other way round.
        record(0x0800, &v6),
        record(0x86dd, &v4),
        record(0x1234, b"hello"),
        // Lengths: no EtherType to the printer.
        record(0x0020, &[0; 20]),
        record(1500, &v4),
        // A VLAN tag the EtherType printer does not follow.
        record(0x8100, &[[0, 10, 8, 0].as_slice(), &v4].concat()),
        // OSI, STP and IPX by their SAPs, as libpcap's filters see them.
        record(0x00fe, &[0x81, 0x1c, 1, 0]),
        record(0x0042, &[0; 35]),
        // The header alone.
        record(0x0800, &[]),
    ];
    r.extend(ether_type_payloads().iter().filter_map(|p| {
        let (t, rest) = p.split_first_chunk::<2>()?;
        Some(record(u16::from_be_bytes(*t), rest))
    }));
    r
}

#[test]
fn records_whole_and_cut_print_what_tcpdump_prints() {
    let path = temp_path(
        "symantec-cuts",
        link_captures::capture(SYMANTEC, &records(), 80),
    );
    let levels = [
        "", "-e", "-v", "-e -v", "-vv", "-x", "-e -x", "-X", "-xx", "-A",
    ];
    let Some(counts) = compare_with_tcpdump(&path, &levels, 1_000) else {
        return;
    };
    let total: usize = counts.iter().sum();
    eprintln!("symantec: {total} lines identical to tcpdump's");
    assert!(total > 100_000, "{total}");
}

#[test]
fn filters_select_what_tcpdump_selects() {
    const EXPRS: &[&str] = &[
        "ip",
        "ip6",
        "arp",
        "icmp",
        "udp port 6000",
        "ether proto 0x1234",
        "host 192.168.1.2",
        "host 2001:db8::1",
        "len > 60",
        "link[6:2] = 0x8100",
        "clnp",
        "iso",
        "stp",
        "ipx",
        "atalk",
        "pppoes and ip",
        "ip and not icmp",
    ];
    // libpcap's refusals, word for word.
    const REFUSED: &[&str] = &[
        "ether host 1:2:3:4:5:6",
        "ether broadcast",
        "vlan",
        "mpls",
        "llc",
        "inbound",
    ];
    let bytes = link_captures::capture(SYMANTEC, &records(), 0);
    let path = temp_path("symantec-filters", bytes.clone());
    let compared = filters_equal_tcpdump((&path, &bytes), SYMANTEC, EXPRS, REFUSED);
    if compared == 0 {
        return;
    }
    eprintln!("symantec filters: {compared} lines identical to tcpdump's");
    assert!(compared > 40, "{compared}");
}

#[test]
fn flows_and_json_see_the_packet() {
    let frames = [record(0x86dd, &ipv6_udp()), record(0x0800, &ipv4_echo())];
    let path = temp_path(
        "symantec-json",
        link_captures::capture(SYMANTEC, &frames, 0),
    );
    let out = sockscope(&["read", &path, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["link"], "SYMANTEC_FIREWALL");
    assert_eq!(lines[0]["link_layer"]["type"], "symantec");
    assert_eq!(lines[0]["link_layer"]["protocol"], 0x86dd);
    assert_eq!(lines[0]["udp"]["dport"], 6000);
    assert_eq!(lines[1]["ip"]["dst"], "192.168.1.2");
    let out = sockscope(&["read", &path, "--flows", "-q"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.contains("[2001:db8::1]:5000"), "{table}");
    assert!(table.contains("192.168.1.1"), "{table}");
}

#[test]
fn damaged_records_never_panic() {
    support::link_damage::damaged_records_read(SYMANTEC, &records(), 99);
}
