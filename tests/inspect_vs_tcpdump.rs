//! Our default line is tcpdump's line: for the generated captures, `sockscope
//! read FILE ARGS` prints byte for byte what `tcpdump -n -r FILE ARGS` prints
//! (TZ=UTC). Skips without tcpdump unless SOCKSCOPE_REQUIRE_LIVE=1 (CI
//! installs it).

mod support;

use support::bin::{require_tool, sockscope};
use support::capture;

const CASES: &[(&str, &[&str])] = &[
    ("inspect_ethernet.pcap", &[]),
    ("inspect_ethernet.pcap", &["-S"]),
    ("inspect_ethernet.pcap", &["-X"]),
    ("inspect_ethernet.pcap", &["-c", "5"]),
    ("inspect_ethernet_be_ns.pcap", &[]),
    ("inspect_vlan.pcap", &[]),
    ("inspect_ipv6.pcap", &[]),
    ("inspect_ipv6.pcap", &["-X"]),
    ("inspect_sll.pcap", &[]),
    ("inspect_sll2.pcap", &[]),
    ("inspect_null.pcap", &[]),
    ("inspect_raw.pcap", &[]),
    // A link type tcpdump has no printer for: its hex and ASCII, then the
    // dump the flags ask for, of the whole frame.
    ("inspect_unknown_link.pcap", &[]),
    ("inspect_unknown_link.pcap", &["-x"]),
    ("inspect_unknown_link.pcap", &["-X"]),
    ("inspect_unknown_link.pcap", &["-A"]),
    // Cut by the snap length, and damaged: tcpdump's `[|tcp]`, `bad-hlen`,
    // `truncated-ip`, `[bad opt]`, `[|ether]` (tests/exact_vs_tcpdump.rs
    // has one capture per such class).
    ("inspect_snapped.pcap", &[]),
    ("inspect_malformed.pcap", &[]),
];

#[test]
fn default_lines_equal_tcpdump() {
    if !require_tool("tcpdump") {
        return;
    }
    for (file, args) in CASES {
        let path = capture(file);
        let path = path.to_str().unwrap();
        let ours = sockscope(&[&["read", path][..], args].concat());
        let theirs = support::bin::tcpdump(path, args);
        assert!(ours.status.success());
        let (ours, theirs) = (
            String::from_utf8_lossy(&ours.stdout),
            String::from_utf8_lossy(&theirs.stdout),
        );
        assert!(!theirs.is_empty(), "tcpdump printed nothing for {file}");
        assert_eq!(ours, theirs, "{file} {args:?}: sockscope vs tcpdump");
    }
}
