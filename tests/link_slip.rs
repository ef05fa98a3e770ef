//! SLIP captures (link type 8): a 16-byte pseudo-header (the direction,
//! then the first 15 bytes of the frame as the line carried it: an IP
//! header or a Van Jacobson compressed TCP/IP header) before the rebuilt IP
//! packet. `-e` names the direction and the header (`I ip 66: `, `O utcp
//! 3: `, `I ctcp 3 *SA+10 10 (4): `, `slip-32!: `), and the compressed
//! headers' special cases print a table tcpdump keeps from packet to
//! packet; a cut TCP header ends `-e`'s line at ` [|slip]`. Records whole
//! and cut at every length print what `tcpdump -n -r` prints at every
//! level and dump, in one pipeline and in four threads; libpcap's filters
//! (its version test reads the direction byte; `inbound` is direction 0)
//! select what tcpdump's select.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::link_captures::{self, ipv4_echo, ipv6_udp};
use support::link_filters::records_filter_like_tcpdump;
use support::temp_path;

/// An IPv4 TCP segment 192.168.1.1.1000 > 192.168.1.2.80 carrying
/// `data` at sequence number `seq` (each record its own, so that `-v`
/// sees no retransmission).
fn tcp(seq: u32, data: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    etherparse::PacketBuilder::ipv4([192, 168, 1, 1], [192, 168, 1, 2], 64)
        .tcp(1000, 80, seq, 512)
        .ack(1)
        .psh()
        .write(&mut b, data)
        .expect("builds");
    b
}

/// A SLIP record: direction `dir`, the pseudo-header's copy of the line's
/// frame `chdr` (zero-filled to 15 bytes), then `packet`.
fn slip(dir: u8, chdr: &[u8], packet: &[u8]) -> Vec<u8> {
    let mut h = [0u8; 16];
    h[0] = dir;
    h[1..1 + chdr.len()].copy_from_slice(chdr);
    [&h[..], packet].concat()
}

/// An uncompressed TCP header's copy: the packet's first 15 bytes with
/// the type in the high nibble and the connection slot where IP's
/// protocol byte was.
fn utcp(packet: &[u8], conn: u8) -> Vec<u8> {
    let mut c = packet[..15].to_vec();
    c[0] = 0x70 | (c[0] & 0x0f);
    c[9] = conn;
    c
}

fn records() -> Vec<Vec<u8>> {
    let (v4, v6) = (ipv4_echo(), ipv6_udp());
    let seg = |n: u32| tcp(1000 + 10 * n, b"helloworld");
    vec![
        // Sent as they are, each direction and an invalid one.
        slip(0, &v4[..15], &v4),
        slip(1, &v4[..15], &v4),
        slip(2, &v4[..15], &v4),
        // Uncompressed TCP naming slots 3 and 7, in both directions (the
        // table then holds 10 for each), and with an invalid direction.
        slip(0, &utcp(&seg(0), 3), &seg(0)),
        slip(1, &utcp(&seg(1), 7), &seg(1)),
        slip(9, &utcp(&seg(2), 3), &seg(2)),
        // Compressed: slot 3 named, U (a zero and two bytes), A, S and I
        // (one byte each, which tcpdump's printer reads as one).
        slip(0, &[0xed, 3, 0x12, 0x34, 0, 0, 1, 2], &seg(3)),
        slip(0, &[0xc7, 3, 0, 0, 0, 0, 9, 2, 5, 9], &seg(4)),
        // The specials: the last slot (3) and the table's length.
        slip(0, &[0x8b, 0, 0], &seg(5)),
        slip(0, &[0x8f, 0, 0], &seg(6)),
        slip(1, &[0x8f, 0, 0], &seg(7)),
        // Slot 7 named with the "interactive" special, out.
        slip(1, &[0xcb, 7, 0, 0], &seg(8)),
        // A window going down (a zero, then a negative word).
        slip(0, &[0x82, 0, 0, 0, 0xff, 0x00], &seg(9)),
        slip(0, &[0xa0, 0, 0, 0, 0, 0x12], &seg(10)),
        // A compressed header with an invalid direction.
        slip(3, &[0xcf, 4, 0, 0], &seg(11)),
        // Other types.
        slip(0, &[0x20], &v4),
        slip(1, &[0x00], &v4),
        slip(0, &[0x60], &v6),
        // Another IP version.
        slip(0, &[0x45], &[0x55; 24]),
        // A compressed header whose changes run past the pseudo-header.
        slip(
            0,
            &[0xe7, 3, 0, 0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0],
            &seg(12),
        ),
        // The header alone.
        slip(0, &[0x45], &[]),
    ]
}

#[test]
fn slip_records_whole_and_cut_print_what_tcpdump_prints() {
    let levels = [
        "", "-e", "-v", "-e -v", "-vv", "-x", "-e -x", "-X", "-e -X", "-xx", "-e -xx", "-A",
    ];
    let path = temp_path("slip", link_captures::capture(8, &records(), usize::MAX));
    let Some(counts) = compare_with_tcpdump(&path, &levels, 600) else {
        return;
    };
    let total: usize = counts.iter().sum();
    eprintln!("slip: {total} lines identical to tcpdump's");
    assert!(total > 10_000, "{total}");
}

/// The table of compressed headers' slots is the run's, in file order:
/// four reader threads print what one does.
#[test]
fn threads_print_the_table_as_one_pipeline() {
    let path = temp_path(
        "slip-threads",
        link_captures::capture(8, &records(), usize::MAX),
    );
    let one = sockscope(&["read", &path, "-e", "-n"]);
    let four = sockscope(&["read", &path, "-e", "-n", "--threads", "4"]);
    assert!(one.status.success(), "{}", text(&one.stderr));
    assert!(four.status.success(), "{}", text(&four.stderr));
    let lines = text(&one.stdout);
    assert!(lines.contains(" O ctcp * *S+10 10 (3): "), "{lines}");
    assert_eq!(lines, text(&four.stdout));
}

#[test]
fn slip_filters_select_what_tcpdump_selects() {
    const EXPRS: &[&str] = &[
        "ip",
        "ip6",
        "tcp",
        "icmp",
        "udp port 6000",
        "tcp port 80",
        "ip[9] = 6",
        "host 192.168.1.2",
        "host 2001:db8::1",
        "len > 60",
        "link[0] = 1",
        "link[1] & 0xf0 = 0x70",
        "inbound",
        "outbound",
        "not ip",
    ];
    // libpcap's refusals, word for word.
    const REFUSED: &[&str] = &[
        "ether host 1:2:3:4:5:6",
        "ether broadcast",
        "vlan",
        "mpls",
        "llc",
    ];
    let (v4, v6) = (ipv4_echo(), ipv6_udp());
    let mut recs = records();
    // libpcap's version test reads the direction byte: records whose
    // first byte looks like IPv4's and IPv6's.
    recs.extend([
        slip(0x45, &v4[..15], &v4),
        slip(0x4f, &utcp(&tcp(5, b"x"), 1), &tcp(5, b"x")),
        slip(0x60, &[0x60], &v6),
    ]);
    let compared = records_filter_like_tcpdump((8, &recs), "slip-filters", EXPRS, REFUSED);
    if compared == 0 {
        return;
    }
    eprintln!("slip filters: {compared} lines identical to tcpdump's");
    assert!(compared > 60, "{compared}");
}

#[test]
fn json_names_the_direction_and_the_compressed_header() {
    let recs = [
        slip(1, &[0xce, 3, 0, 0, 2, 5, 0, 1, 0], &tcp(1, b"hi")),
        slip(0, &utcp(&tcp(3, b"x"), 5), &tcp(3, b"x")),
    ];
    let path = temp_path("slip-json", link_captures::capture(8, &recs, 0));
    let out = sockscope(&["read", &path, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    let l = &lines[0]["link_layer"];
    assert_eq!(lines[0]["link"], "SLIP", "{l}");
    assert_eq!(l["type"], "slip");
    assert_eq!(l["direction"], "out");
    assert_eq!(l["compression"], "compressed_tcp");
    assert_eq!(l["connection"], 3);
    assert_eq!(
        l["changes"],
        serde_json::json!({"window": 2, "ack": 5, "seq": 256})
    );
    // RFC 1144's length (tcpdump's line, `ctcp 3 W+2 A+2 S+2 2 (4)`,
    // reads W, A and S from one byte and counts 4).
    assert_eq!(l["header_len"], 9);
    assert_eq!(lines[0]["tcp"]["dport"], 80, "{}", lines[0]);
    let l = &lines[1]["link_layer"];
    assert_eq!(l["direction"], "in");
    assert_eq!(l["compression"], "uncompressed_tcp");
    assert_eq!(l["connection"], 5);
    // Flows see the packets inside.
    let out = sockscope(&["read", &path, "--flows", "-q"]);
    let table = text(&out.stdout);
    assert!(table.contains("192.168.1.1"), "{table}");
}

#[test]
fn damaged_records_never_panic() {
    support::link_damage::damaged_records_read(8, &records(), 8);
}
