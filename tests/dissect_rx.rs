//! AFS's Rx (UDP 7000-7009) as tcpdump 4.99 prints it: the header at
//! every level, acknowledgements, the file server's calls and their
//! replies (tcpdump's call table): `captures/dissect_rx.pcap`, generated
//! by `tests/support/rx_captures.rs` (the whole messages, the first cut at
//! every length, damaged copies of the file server's) and, in a temporary
//! capture, every message cut at every length, read by `sockscope read`
//! and `tcpdump -n -r`: the same lines byte for byte at the default level,
//! `-v`, `-vv`, `-vvv` and with the dumps; goldens of the default line,
//! `-v` and `--json` keep the output fixed where tcpdump is missing. Its
//! place in tcpdump's order of UDP printers is compared too.

mod support;

use support::app_captures::{
    check_dissect_capture, json_has, port_order_equals_tcpdump, udp_cuts_equal_tcpdump,
};
use support::rx_captures;

/// Damaged messages after the hand-built ones.
const DAMAGED: usize = 400;

/// The levels and the dumps (a read past the capture is tcpdump's
/// `longjmp`: the dump then starts at the frame's first byte).
const LEVELS: &[&str] = &["", "-v", "-vv", "-vvv", "-x", "-A", "-vv -X"];

#[test]
fn rx_lines_equal_tcpdump() {
    check_dissect_capture("rx", &rx_captures::rx_capture(DAMAGED), LEVELS, DAMAGED);
    json_has(
        "dissect_rx.pcap",
        &[r#""rx":{"#, r#""opcode":130"#, r#""type_name":"ack""#],
    );
}

#[test]
fn cut_rx_messages_equal_tcpdump() {
    udp_cuts_equal_tcpdump(
        "rx_cuts.pcap",
        &rx_captures::messages(),
        &["", "-v", "-vv", "-x"],
        3000,
    );
}

/// tcpdump tries Rx after vat and before RIPng: a file server call
/// between 7000 and each port sockscope decodes, both ways.
#[test]
fn rx_port_order_is_tcpdumps() {
    port_order_equals_tcpdump(
        "rx_ports.pcap",
        rx_captures::FS_PORT,
        &rx_captures::lone_call(),
    );
}
