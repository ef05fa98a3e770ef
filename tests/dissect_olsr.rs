//! OLSR (UDP 698) as tcpdump prints it: the generated capture
//! (`tests/support/olsr_captures.rs`: every message type tcpdump decodes
//! over IPv4 and IPv6, sizes good and bad, every validity time, seeded
//! damaged copies over both) and, in a temporary capture, every packet
//! cut at every length over both, read by `sockscope read` and `tcpdump
//! -n -r`, give the same lines byte for byte at the default level, `-v`
//! and in the dumps; goldens of the default line, `-v` and `--json` keep
//! the output fixed where tcpdump is missing. The damaged packets are
//! also in `tests/dissect_mutations.rs`.

mod support;

use support::app_captures::{
    check_dissect_capture, compare_with_tcpdump, json_has, port_order_equals_tcpdump,
};
use support::olsr_captures::{PORT, cuts, message, packet};

/// Damaged packets after the hand-built ones.
const DAMAGED: usize = 400;

/// The levels and the dumps (a cut line after tcpdump's own check dumps
/// from where it always does; after its unchecked read of a name entry,
/// from the frame's first byte).
const LEVELS: &[&str] = &["", "-v", "-vv", "-x", "-A", "-v -X", "-vv -x"];

#[test]
fn olsr_lines_equal_tcpdump() {
    check_dissect_capture(
        "olsr",
        &support::olsr_captures::capture(DAMAGED),
        LEVELS,
        DAMAGED,
    );
    json_has(
        "dissect_olsr.pcap",
        &[
            r#""olsr":{"#,
            r#""type_name":"Hello-LQ""#,
            r#""originator":"2001:db8::1""#,
            r#""interfaces":["10.0.0.2","10.0.0.3"]"#,
            r#""link_quality":100.0"#,
        ],
    );
}

#[test]
fn cut_olsr_packets_equal_tcpdump() {
    let path = support::temp_file("olsr_cuts.pcap", cuts());
    compare_with_tcpdump(&path.to_string_lossy(), &["", "-v", "-v -x"], 7000);
}

/// OLSR in tcpdump's order of UDP printers: a HELLO between 698 and each
/// other port sockscope decodes, both ways.
#[test]
fn olsr_port_order_is_tcpdumps() {
    let m = packet(&[message(
        false,
        1,
        0x2c,
        &[0, 0, 0x26, 7, 6, 0, 0, 8, 10, 0, 0, 2],
    )]);
    port_order_equals_tcpdump("olsr_ports.pcap", PORT, &m);
}
