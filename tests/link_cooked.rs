//! Linux cooked packets as tcpdump's `sll_print` and `sll2_print` print
//! them: a cut header (` [|sll]`), an 802.1Q tag followed (its words,
//! under `-e` its fields; QinQ's not), an IP version the tag does not
//! name, LLC PDUs no printer decodes; whole and cut at
//! every length, at the default level, `-v`, `-e` and in the dumps, equal
//! to `tcpdump -n -r` byte for byte.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::cooked_captures::{captures, payloads};

#[test]
fn cooked_vlan_and_llc_equal_tcpdump() {
    for (name, bytes) in captures() {
        let path = support::temp_file(&format!("cooked_{name}.pcap"), bytes);
        compare_with_tcpdump(
            &path.to_string_lossy(),
            &["", "-v", "-e", "-e -v", "-x", "-e -x", "-X"],
            payloads().len(),
        );
    }
}
