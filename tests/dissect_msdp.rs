//! MSDP as tcpdump prints it: the generated capture
//! (`tests/support/msdp_captures.rs`: every message type, Source-Actives
//! carrying multicast packets, several messages in a segment, the lengths
//! tcpdump refuses or reads past, seeded damaged copies, each in a TCP
//! segment to or from port 639; every payload cut at every length in a
//! temporary capture) read by `sockscope read` and `tcpdump -n -r` gives
//! the same lines byte for byte at the default level, `-v`, `-vv` (where
//! the carried packet is printed by the IP printer) and in the dumps;
//! goldens of the default line, `-v` and `--json` keep the output fixed
//! where tcpdump is missing. The damaged messages are also in
//! `tests/dissect_mutations.rs`.

mod support;

use support::app_captures::{
    Frame, capture, check_dissect_capture, compare_with_tcpdump, json_has, tcp,
    tcp_cuts_equal_tcpdump,
};
use support::msdp_captures::{PORT, message, messages};

/// Damaged messages after the hand-built ones.
const DAMAGED: usize = 400;

const WITH_DUMPS: &[&str] = &["", "-v", "-vv", "-x", "-A", "-v -X", "-vv -x", "-vvv"];

#[test]
fn msdp_lines_equal_tcpdump() {
    check_dissect_capture(
        "msdp",
        &support::msdp_captures::capture(DAMAGED),
        WITH_DUMPS,
        DAMAGED,
    );
    json_has(
        "dissect_msdp.pcap",
        &[
            r#""msdp":{"complete":true,"messages":[{"entries":[{"group":"239.1.1.1","prefix_length":32,"source":"10.9.9.9"}],"entry_count":1,"length":20,"rp":"192.0.2.1","type":1,"type_name":"SA"}]}"#,
            r#""data_length":33"#,
            r#""group":"239.1.1.1","length":8,"type":2,"type_name":"SA-Request""#,
        ],
    );
}

/// Every hand-built payload cut by the snap length at every byte: a read
/// past the capture is tcpdump's `longjmp` (its dump starts at the
/// frame's first byte), a length check is not; a carried packet is cut
/// where its own printer says.
#[test]
fn cut_msdp_messages_equal_tcpdump() {
    tcp_cuts_equal_tcpdump("msdp_cuts.pcap", PORT, &messages(), WITH_DUMPS, 2000);
}

/// MSDP in tcpdump's order of TCP ports (table `TCP_PORTS` of
/// `src/dissect/mod.rs`): a Keepalive between 639 and each of the other
/// ports, both ways, is printed by whichever printer tcpdump tries first
/// (DNS and those before it win over MSDP; MSDP wins over RPKI-RTR, LDP,
/// NFS, Kerberos, IMAP, POP3, NetBIOS and SMB), at the default level and `-v`.
#[test]
fn msdp_takes_its_place_among_the_tcp_ports() {
    const OTHERS: [u16; 24] = [
        23, 25, 43, 179, 1723, 6379, 22, 10288, 6653, 6633, 21, 80, 8080, 554, 8554, 53, 323, 646,
        2049, 88, 143, 110, 139, 445,
    ];
    let keepalive = message(4, &[]);
    let mut frames: Vec<Frame> = Vec::new();
    for other in OTHERS {
        frames.push(tcp(true, other, PORT, 1, &keepalive));
        frames.push(tcp(false, other, PORT, 1, &keepalive));
    }
    let path = support::temp_file("msdp_port_order.pcap", capture(&frames));
    let p = path.to_string_lossy();
    compare_with_tcpdump(&p, &["", "-v"], 2 * OTHERS.len());
}
