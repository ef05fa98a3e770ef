//! The offline inspector's golden tests: every capture in `captures/inspect_*`
//! is replayed by the real binary with each output option, and the output
//! (stdout, stderr, exit code) is compared byte for byte with
//! `tests/golden/inspect/`.

mod support;

use support::bin::sockscope;
use support::golden::{check_generated, check_run};
use support::{capture, inspect_captures};

/// The committed captures are exactly what the generator writes (so the
/// generator is the documentation of every byte).
#[test]
fn committed_captures_match_generator() {
    for (name, bytes) in inspect_captures::all() {
        check_generated(name, &bytes);
    }
}

fn golden(case: &str, args: &[&str]) {
    check_run(&format!("inspect/{case}.out"), args);
}

fn cap(name: &str) -> String {
    capture(name).to_string_lossy().into_owned()
}

#[test]
fn ethernet_default() {
    golden("ethernet", &["read", &cap("inspect_ethernet.pcap")]);
}

#[test]
fn ethernet_big_endian_nanoseconds_prints_the_same_lines() {
    let a = sockscope(&["read", &cap("inspect_ethernet.pcap")]);
    let b = sockscope(&["read", &cap("inspect_ethernet_be_ns.pcap")]);
    assert_eq!(
        String::from_utf8_lossy(&a.stdout),
        String::from_utf8_lossy(&b.stdout)
    );
    golden(
        "ethernet_be_ns.epoch",
        &[
            "read",
            &cap("inspect_ethernet_be_ns.pcap"),
            "--time",
            "epoch",
        ],
    );
}

#[test]
fn ethernet_verbose() {
    golden("ethernet.v", &["read", &cap("inspect_ethernet.pcap"), "-v"]);
}

#[test]
fn ethernet_hex_first_three() {
    golden(
        "ethernet.X.c3",
        &["read", &cap("inspect_ethernet.pcap"), "-X", "-c", "3"],
    );
}

#[test]
fn ethernet_json() {
    golden(
        "ethernet.json",
        &["read", &cap("inspect_ethernet.pcap"), "--json"],
    );
}

#[test]
fn ethernet_absolute_seq() {
    golden("ethernet.S", &["read", &cap("inspect_ethernet.pcap"), "-S"]);
}

#[test]
fn time_formats() {
    golden(
        "ethernet.rel",
        &["read", &cap("inspect_ethernet.pcap"), "--time", "rel"],
    );
    golden(
        "ethernet.delta",
        &["read", &cap("inspect_ethernet.pcap"), "--time", "delta"],
    );
}

#[test]
fn vlan_and_qinq() {
    golden("vlan", &["read", &cap("inspect_vlan.pcap")]);
    golden("vlan.json", &["read", &cap("inspect_vlan.pcap"), "--json"]);
}

#[test]
fn ipv6_extension_headers() {
    golden("ipv6", &["read", &cap("inspect_ipv6.pcap")]);
    golden("ipv6.v", &["read", &cap("inspect_ipv6.pcap"), "-v"]);
    golden("ipv6.json", &["read", &cap("inspect_ipv6.pcap"), "--json"]);
}

#[test]
fn cooked_null_and_raw_link_types() {
    for (case, file) in [
        ("sll2", "inspect_sll2.pcap"),
        ("sll", "inspect_sll.pcap"),
        ("null", "inspect_null.pcap"),
        ("raw", "inspect_raw.pcap"),
    ] {
        golden(case, &["read", &cap(file)]);
    }
    golden("sll2.json", &["read", &cap("inspect_sll2.pcap"), "--json"]);
}

#[test]
fn unknown_link_type_is_shown_and_counted() {
    golden("unknown_link", &["read", &cap("inspect_unknown_link.pcap")]);
}

#[test]
fn snapped_packets_print_what_was_captured_as_tcpdump_does() {
    golden("snapped", &["read", &cap("inspect_snapped.pcap")]);
}

#[test]
fn malformed_packets_are_marked_and_the_run_continues() {
    golden("malformed", &["read", &cap("inspect_malformed.pcap")]);
    golden(
        "malformed.json",
        &["read", &cap("inspect_malformed.pcap"), "--json"],
    );
}

#[test]
fn pcapng_with_two_link_types() {
    golden(
        "two_interfaces",
        &["read", &cap("inspect_two_interfaces.pcapng")],
    );
}

/// `--json` writes its objects without building `serde_json` values (for
/// speed), keys in sorted order by hand: every line of every committed
/// capture must be exactly what `serde_json` prints for the same object
/// (its maps sort keys), so a key written out of order fails here.
#[test]
fn json_lines_are_canonical_on_every_capture() {
    let dir = capture("inspect_ethernet.pcap")
        .parent()
        .expect("captures dir")
        .to_path_buf();
    let mut lines = 0;
    for entry in std::fs::read_dir(&dir).expect("captures/") {
        let path = entry.expect("dir entry").path();
        let name = path.to_string_lossy().into_owned();
        if !(name.ends_with(".pcap") || name.ends_with(".pcapng")) {
            continue;
        }
        for args in [
            vec!["read", &name, "--json"],
            vec!["read", &name, "--json", "-v"],
        ] {
            let out = sockscope(&args);
            for line in String::from_utf8_lossy(&out.stdout).lines() {
                let v: serde_json::Value = serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("{name}: not JSON ({e}): {line}"));
                assert_eq!(v.to_string(), line, "{name}: key order or escaping differs");
                lines += 1;
            }
        }
    }
    assert!(lines > 500, "only {lines} JSON lines checked");
}
