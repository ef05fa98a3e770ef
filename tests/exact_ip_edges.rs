//! IPv4 and IPv6 at the edges of the next-header walk, byte for byte
//! `tcpdump -n -r` (4.99): a payload length of 0 (tcpdump's jumbogram
//! rule: extension headers read as far as the capture goes, padding
//! included; any other protocol gets no byte), every protocol number with
//! nothing or four bytes after the header, chains of extension headers
//! whole and cut at every length, later fragments, routing headers of
//! unknown types, AH cut in its first bytes, IPv4 options before each
//! protocol; over Ethernet, Linux cooked capture and raw IP
//! (`tests/support/ip_edge_captures.rs`). Compared at the default level,
//! `-v`, `-vv`, `-x`, `-e` and `-v -x`; the default lines are kept as
//! goldens for machines without tcpdump.
//!
//! Left out (the README says so): a fragment header whose payload length
//! ends before it, where tcpdump's unsigned length wraps.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::golden::{check_generated, check_run};
use support::{capture, ip_edge_captures};

const LEVELS: &[&str] = &["", "-v", "-vv", "-x", "-e", "-v -x"];

#[test]
fn committed_captures_match_generator() {
    for (name, bytes) in ip_edge_captures::all() {
        check_generated(name, &bytes);
    }
}

#[test]
fn lines_equal_goldens() {
    for (name, _) in ip_edge_captures::all() {
        let p = capture(name).to_string_lossy().into_owned();
        check_run(&format!("exact/{name}.out"), &["read", &p]);
    }
}

#[test]
fn lines_equal_tcpdump_at_every_level() {
    for (name, _) in ip_edge_captures::all() {
        let p = capture(name).to_string_lossy().into_owned();
        if let Some(counts) = compare_with_tcpdump(&p, LEVELS, 100) {
            // A line per packet at the default level (and one more for
            // ICMP errors that print what they quote on a second).
            let link = match name {
                "exact_ip_edges_sll.pcap" => ip_edge_captures::Link::Cooked,
                "exact_ip_edges_raw.pcap" => ip_edge_captures::Link::Raw,
                _ => ip_edge_captures::Link::Ethernet,
            };
            let packets = ip_edge_captures::records(link).len();
            assert!(counts[0] >= packets, "{name}: {counts:?} for {packets}");
        }
    }
}

/// What the captures leave out, and what the line alone does: a fragment
/// header the payload length ends before says `frag (0|0)` (tcpdump's
/// unsigned length wraps, not copied); a TCP header after an IPv6 payload
/// length of 0 (no jumbo option) is not read by the line, and gets no
/// analysis mark however often it repeats, while `--json` keeps the TCP
/// header the rest of the capture holds (etherparse's RFC 2675 reading).
#[test]
fn zero_payload_length_beyond_the_line() {
    use support::bin::{packets_json, sockscope, text};
    use support::pcap::{Layout, Record, write_pcap};
    let frag_first = [17u8, 0, 0, 0, 0, 0, 0, 5];
    let syn = [
        0x03, 0xe8, 0x07, 0xd0, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 2, 0, 0, 0, 0, 0,
    ];
    let packets = [
        ip6(44, &frag_first),
        ip6(6, &syn),
        ip6(6, &syn),
        ip6(6, &syn),
    ];
    let file = support::tempdir().join("zero_length.pcap");
    let bytes = write_pcap(
        Layout::new(101, 65535),
        packets.iter().enumerate().map(|(i, p)| Record {
            ts_sec: 1_709_294_400 + i as u32,
            ts_frac: 0,
            data: std::borrow::Cow::Borrowed(p.as_slice()),
            orig_len: p.len() as u32,
        }),
    );
    std::fs::write(&file, bytes).unwrap();
    let path = file.to_str().unwrap();
    for level in [&[][..], &["-v"]] {
        let mut args = vec!["read", path];
        args.extend(level);
        let out = text(&sockscope(&args).stdout);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 4, "{out}");
        // (`-v` adds the identification: `frag (0x00000005:0|0)`.)
        assert!(lines[0].ends_with("0|0)  [|ip6]"), "{out}");
        assert!(lines[0].contains("::1 > ::2: frag ("), "{out}");
        for l in &lines[1..] {
            assert!(l.ends_with("::1 > ::2: [|tcp]"), "{out}");
        }
    }
    let json = packets_json(path);
    assert_eq!(json.len(), 4);
    assert_eq!(json[1]["ip"]["payload_len"], 0);
    assert_eq!(json[1]["tcp"]["sport"], 1000);
    assert_eq!(json[1]["tcp"]["flags"], "S");
}

/// An IPv6 header from ::1 to ::2 with a payload length of 0 and `body`.
fn ip6(next: u8, body: &[u8]) -> Vec<u8> {
    let mut h = vec![0x60, 0, 0, 0, 0, 0, next, 64];
    h.extend_from_slice(&[0; 15]);
    h.push(1);
    h.extend_from_slice(&[0; 15]);
    h.push(2);
    h.extend_from_slice(body);
    h
}
