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
