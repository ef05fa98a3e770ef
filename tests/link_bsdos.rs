//! BSD/OS's SLIP (DLT 15, link type 102) and PPP (DLT 16, link type 103)
//! captures. SLIP: tcpdump's IPv4 printer after a 16-byte header it
//! prints nothing of (`-e` leaves out the printer's `IP `), `[|slip_bsdos]`
//! under 16 bytes; libpcap's filters test the version nibble of the
//! record's first byte and read the network layer at 24, and sockscope's
//! select what tcpdump's select. PPP: tcpdump 4.99 prints nothing of a
//! record but its bytes under `-x`; libpcap's filters read PPP's protocol
//! at byte 5 (IPv4 is IP or VJ's compressed or uncompressed TCP; some
//! protocol words map to PPP's numbers, others are compared as they are)
//! and the network layer at 24, and sockscope's select what they select. Records whole and cut at every length
//! print what `tcpdump -n -r` prints at every level and in every dump,
//! under both numbers.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::link_captures::{self, ipv4_echo, ipv6_udp};
use support::link_filters::{REFUSED_WITHOUT_MACS, records_filter_like_tcpdump};
use support::temp_path;

/// A SLIP record: a 16-byte header (direction, then its own bytes) and
/// `packet`; `pad` more header bytes (where libpcap's filters look).
fn slip(dir: u8, pad: usize, packet: &[u8]) -> Vec<u8> {
    let mut h: Vec<u8> = (0x10..0x10 + 16 + pad as u8).collect();
    h[0] = dir;
    [&h[..], packet].concat()
}

fn slip_records() -> Vec<Vec<u8>> {
    let (v4, v6) = (ipv4_echo(), ipv6_udp());
    let mut r = Vec::new();
    for dir in [0, 1, 2] {
        r.push(slip(dir, 0, &v4));
    }
    r.extend([
        // The IPv4 printer on IPv6 and on another version.
        slip(0, 0, &v6),
        slip(0, 0, &[0x55; 24]),
        // Where libpcap's filters find a packet (and its version test
        // reads the header's first byte).
        slip(0x45, 8, &v4),
        slip(0x60, 8, &v6),
        // The header alone.
        slip(0, 0, &[]),
    ]);
    r
}

#[test]
fn slip_records_whole_and_cut_print_what_tcpdump_prints() {
    let levels = [
        "", "-e", "-v", "-e -v", "-vv", "-x", "-e -x", "-X", "-xx", "-A",
    ];
    let mut total = 0;
    for link in [15, 102] {
        let path = temp_path(
            &format!("slip-bsdos-{link}"),
            link_captures::capture(link, &slip_records(), usize::MAX),
        );
        let Some(counts) = compare_with_tcpdump(&path, &levels, 400) else {
            return;
        };
        total += counts.iter().sum::<usize>();
    }
    eprintln!("slip_bsdos: {total} lines identical to tcpdump's");
    assert!(total > 10_000, "{total}");
}

#[test]
fn ppp_records_print_what_tcpdump_prints() {
    let (v4, v6) = (ipv4_echo(), ipv6_udp());
    let records = vec![
        [&[0xff, 0x03, 0x00, 0x21][..], &v4].concat(),
        [&[0u8; 24][..], &v6].concat(),
        v4,
        vec![1],
    ];
    let levels = ["", "-e", "-v", "-x", "-e -x", "-X", "-xx"];
    let mut total = 0;
    for link in [16, 103] {
        let path = temp_path(
            &format!("ppp-bsdos-{link}"),
            link_captures::capture(link, &records, usize::MAX),
        );
        let Some(counts) = compare_with_tcpdump(&path, &levels, 50) else {
            return;
        };
        total += counts.iter().sum::<usize>();
    }
    eprintln!("ppp_bsdos: {total} lines identical to tcpdump's");
    assert!(total > 1_000, "{total}");
}

#[test]
fn slip_filters_select_what_tcpdump_selects() {
    const EXPRS: &[&str] = &[
        "ip",
        "ip6",
        "icmp",
        "udp port 6000",
        "ip[9] = 1",
        "host 192.168.1.2",
        "host 2001:db8::1",
        "len > 60",
        "link[0] = 1",
        "not ip",
    ];
    let mut compared = 0;
    for link in [15, 102] {
        let name = format!("slip-bsdos-{link}-filters");
        compared += records_filter_like_tcpdump(
            (link, &slip_records()),
            &name,
            EXPRS,
            REFUSED_WITHOUT_MACS,
        );
    }
    if compared == 0 {
        return;
    }
    eprintln!("slip_bsdos filters: {compared} lines identical to tcpdump's");
    assert!(compared > 30, "{compared}");
}

/// A BSD/OS PPP record: a 24-byte header (the direction first, PPP's
/// protocol at 5), then `packet`.
fn ppp_bsdos(dir: u8, proto: u16, packet: &[u8]) -> Vec<u8> {
    let mut h = [0u8; 24];
    h[0] = dir;
    h[5..7].copy_from_slice(&proto.to_be_bytes());
    [&h[..], packet].concat()
}

#[test]
fn ppp_filters_select_what_tcpdump_selects() {
    const EXPRS: &[&str] = &[
        "ip",
        "ip6",
        "icmp",
        "udp port 6000",
        "host 192.168.1.2",
        "ip6 host 2001:db8::1",
        "arp",
        "atalk",
        "decnet",
        "ipx",
        "iso",
        "isis",
        "clnp",
        "stp",
        "ether proto 0x8847",
        "ether proto 0x8137",
        "ether proto 0x600",
        "pppoes and ip",
        "pppoes 1 and udp",
        "pppoed",
        "geneve",
        "geneve and ip",
        "geneve 5 and tcp port 80",
        "geneve 6",
        "link[0] = 1",
        "len > 60",
        "not ip",
    ];
    let (v4, v6) = (ipv4_echo(), ipv6_udp());
    let osi = [0x83, 27, 1, 0, 0x0f, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    let mut pppoe = vec![0x11, 0, 0, 1, 0, (v4.len() + 2) as u8, 0, 0x21];
    pppoe.extend_from_slice(&v4);
    let records = vec![
        ppp_bsdos(0, 0x21, &v4),
        ppp_bsdos(1, 0x2d, &v4),
        ppp_bsdos(0, 0x2f, &v4),
        ppp_bsdos(0, 0x57, &v6),
        ppp_bsdos(0, 0x0806, &[0; 28]),
        ppp_bsdos(0, 0x29, &[0; 20]),
        ppp_bsdos(0, 0x27, &[0; 20]),
        ppp_bsdos(0, 0x2b, &[0; 20]),
        ppp_bsdos(0, 0x8137, &[0; 20]),
        ppp_bsdos(0, 0x23, &osi),
        ppp_bsdos(0, 0x25, &[0; 20]),
        ppp_bsdos(0, 0x0281, &[0, 1, 1, 0xff]),
        ppp_bsdos(0, 0x8847, &[0, 1, 1, 0xff]),
        ppp_bsdos(0, 0x8864, &pppoe),
        ppp_bsdos(0, 0x8863, &[0x11, 9, 0, 0, 0, 0]),
        ppp_bsdos(0, 0x21, &link_captures::geneve_packet(false)),
        ppp_bsdos(0, 0x2d, &link_captures::geneve_packet(false)),
        ppp_bsdos(0, 0x57, &link_captures::geneve_packet(true)),
        ppp_bsdos(0, 0xc021, &[1, 1, 0, 4]),
    ];
    let mut compared = 0;
    for link in [16, 103] {
        let name = format!("ppp-bsdos-{link}-filters");
        compared +=
            records_filter_like_tcpdump((link, &records), &name, EXPRS, REFUSED_WITHOUT_MACS);
    }
    if compared == 0 {
        return;
    }
    eprintln!("ppp_bsdos filters: {compared} lines identical to tcpdump's");
    assert!(compared > 60, "{compared}");
}

#[test]
fn json_flows_and_refused_filters() {
    let path = temp_path(
        "slip-bsdos-json",
        link_captures::capture(102, &[slip(1, 0, &ipv4_echo())], 0),
    );
    let out = sockscope(&["read", &path, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let line = text(&out.stdout);
    let v: serde_json::Value = serde_json::from_str(line.trim()).expect("json");
    assert_eq!(v["link"], "SLIP_BSDOS", "{line}");
    assert_eq!(v["link_layer"]["type"], "slip_bsdos", "{line}");
    assert_eq!(v["ip"]["dst"], "192.168.1.2", "{line}");
    let out = sockscope(&["read", &path, "--flows", "-q"]);
    assert!(
        text(&out.stdout).contains("192.168.1.1"),
        "{}",
        text(&out.stdout)
    );
    // BSD/OS PPP: the record, no packet (tcpdump decodes none).
    let path = temp_path(
        "ppp-bsdos-json",
        link_captures::capture(103, &[ipv4_echo()], 0),
    );
    let out = sockscope(&["read", &path, "--json"]);
    let v: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).expect("json");
    assert_eq!(v["link_layer"]["type"], "ppp_bsdos");
    assert!(v.get("ip").is_none(), "{v}");
}

#[test]
fn damaged_records_never_panic() {
    for link in [15, 16] {
        support::link_damage::damaged_records_read(link, &slip_records(), 15);
    }
}
