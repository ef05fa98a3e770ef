//! 802.11 behind the capture headers other than radiotap: Prism (link
//! type 119, and AVS inside it by its cookie), AVS (163) and PPI (192),
//! on frames built by hand (`tests/support/link_captures.rs`): the
//! existing 802.11 test frames (management, control, data with IPv4,
//! IPv6 and ARP; LLC PDUs of every kind) wrapped in each header, whole
//! and cut at every length, and headers tcpdump gives up on. `sockscope
//! read` prints what `tcpdump -n -r` (4.99.3) prints, byte for byte, at
//! '', -e, -v, -e -v, -x, -e -x and -X. `--json` carries each header as
//! a `"link_layer"` object, the flows are the IP packets inside, filters
//! keep what `tcpdump -w` keeps (refused in libpcap's words where it
//! refuses them) and damaged records never panic.

mod support;

use serde_json::Value;
use sockscope::packet::LinkType;
use support::app_captures::{compare_with_tcpdump, damaged_frames_through_every_stage};
use support::bin::{sockscope, text};
use support::link_captures::{self, capture};
use support::pcap::{filter_keeps_what_tcpdump_keeps, whole_and_cut};
use support::rng::mutation_rounds;
use support::temp_file;

const LEVELS: [&str; 7] = ["", "-e", "-v", "-e -v", "-x", "-e -x", "-X"];

/// Each capture (link type, name, records) whole and cut at every length
/// prints what tcpdump prints at every level; the lines compared (0
/// without tcpdump).
fn every_cut_equals_tcpdump(captures: Vec<(u32, String, Vec<Vec<u8>>)>) -> usize {
    let mut total = 0;
    for (link, name, frames) in captures {
        let path = temp_file(
            &format!("wlan-headers-{name}.pcap"),
            capture(link, &frames, usize::MAX),
        );
        let Some(counts) = compare_with_tcpdump(&path.to_string_lossy(), &LEVELS, frames.len())
        else {
            return 0;
        };
        let lines: usize = counts.iter().sum();
        eprintln!("{name} ({link}): {lines} lines identical to tcpdump's");
        total += lines;
    }
    total
}

#[test]
fn wlan_frames_behind_each_header_equal_tcpdump() {
    let frames = link_captures::wlan_frames();
    let total = every_cut_equals_tcpdump(link_captures::behind_wlan_headers(&frames));
    eprintln!("802.11 behind Prism, AVS and PPI: {total} lines identical to tcpdump's");
    assert!(total == 0 || total > 100_000, "only {total} lines compared");
}

/// LLC PDUs of every kind (SNAP with other EtherTypes, STP, OSI,
/// NetBEUI, I and S frames …) in data frames of three DS kinds, behind
/// each header: the LLC printer's lines, and its `-x` start.
#[test]
fn llc_frames_behind_each_header_equal_tcpdump() {
    let mut frames = Vec::new();
    for body in link_captures::wlan_llc_bodies() {
        frames.extend(link_captures::wlan_data_frames(
            &body,
            &[(0, false), (3, true)],
        ));
    }
    let total = every_cut_equals_tcpdump(link_captures::behind_wlan_headers(&frames));
    eprintln!("802.11 LLC behind Prism, AVS and PPI: {total} lines identical to tcpdump's");
    assert!(total == 0 || total > 100_000, "only {total} lines compared");
}

/// Headers tcpdump's printers give up on (`[|prism]`,
/// `[|802.11_radio_avs]`, `[|ppi]`, PPI's out-of-range length), and
/// PPI before a DLT libpcap does not name (its words and the bytes).
#[test]
fn odd_headers_equal_tcpdump() {
    let total = every_cut_equals_tcpdump(link_captures::odd_wlan_headers());
    assert!(total == 0 || total > 5_000, "only {total} lines compared");
}

/// The first of the 802.11 test frames whose frame control starts with
/// `fc` (0x80 a beacon, 0x08 a data frame).
fn first_frame(fc: u8) -> Vec<u8> {
    let frames = link_captures::wlan_frames();
    let found = frames.into_iter().find(|f| f.first() == Some(&fc));
    found.expect("a frame of that kind")
}

/// The lines tcpdump prints for a few records, as this test expects
/// them (the comparisons above check them against tcpdump itself).
#[test]
fn header_words_are_tcpdumps() {
    let beacon = first_frame(0x80);
    let ppi = [link_captures::ppi_header(0, 8, 105), beacon.clone()].concat();
    let unknown = [link_captures::ppi_header(2, 8, 147), b"abc".to_vec()].concat();
    let bad = [link_captures::ppi_header(0, 4, 105), beacon.clone()].concat();
    let records = vec![ppi.clone(), unknown, bad, ppi[..7].to_vec()];
    let path = temp_file("wlan-headers-words.pcap", capture(192, &records, 0));
    let p = path.to_string_lossy();
    let out = sockscope(&["read", &p, "-e"]);
    let want = format!(
        "13:46:40.000000 V.0 DLT IEEE802_11 (105) len 8, length {}: BSSID:",
        ppi.len()
    );
    let lines: Vec<String> = text(&out.stdout).lines().map(str::to_owned).collect();
    assert!(lines[0].starts_with(&want), "{lines:?}");
    assert_eq!(
        &lines[1..],
        [
            "13:46:40.010000 V.0 DLT UNKNOWN (147) len 8, length 11: ",
            "\t0x0000:  6162 63                                  abc",
            "13:46:40.020000  [length 4 < 8 or > 65532] (invalid)",
            "13:46:40.030000  [|ppi]",
        ]
    );
}

/// One record of each kind in `--json`: the header's kind and fields,
/// then 802.11's words (as radiotap's).
#[test]
fn json_carries_each_header() {
    let data = first_frame(0x08);
    let cases: Vec<(u32, Vec<u8>, Value)> = vec![
        (
            119,
            [link_captures::prism_header(), data.clone()].concat(),
            serde_json::json!({"type": "prism", "prism": {"len": 144, "device": "wlan0"}}),
        ),
        (
            119,
            [link_captures::avs_header(2, 64), data.clone()].concat(),
            serde_json::json!({"type": "avs", "avs": {"version": 2, "len": 64}}),
        ),
        (
            163,
            [link_captures::avs_header(1, 16), data.clone()].concat(),
            serde_json::json!({"type": "avs", "avs": {"version": 1, "len": 16}}),
        ),
        (
            192,
            [link_captures::ppi_header(1, 12, 105), data.clone()].concat(),
            serde_json::json!({"type": "ppi",
                "ppi": {"version": 0, "flags": 1, "len": 12, "dlt": 105}}),
        ),
    ];
    for (link, record, want) in cases {
        let path = temp_file(
            &format!("wlan-headers-{link}.json.pcap"),
            capture(link, &[record], 0),
        );
        let out = sockscope(&["read", &path.to_string_lossy(), "--json"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let v: Value = serde_json::from_str(text(&out.stdout).trim()).expect("one JSON line");
        let layer = &v["link_layer"];
        let kind = want["type"].as_str().expect("a kind");
        assert_eq!(layer["type"], want["type"], "{v}");
        assert_eq!(layer[kind], want[kind], "{v}");
        assert_eq!(layer["frame_type"], 2, "{v}");
        assert_eq!(layer["addr2"], want_addr2(&data), "{v}");
        assert_eq!(v["ip"]["src"], "192.168.1.1", "{v}");
    }
}

/// The data frame's second address, as JSON writes it.
fn want_addr2(frame: &[u8]) -> String {
    let a: Vec<String> = frame[10..16].iter().map(|b| format!("{b:02x}")).collect();
    a.join(":")
}

/// The flow table holds the IP conversations inside the data frames.
#[test]
fn flows_are_the_ip_packets_inside() {
    let frames = link_captures::wlan_frames();
    for (link, name, records) in link_captures::behind_wlan_headers(&frames) {
        let path = temp_file(
            &format!("wlan-headers-{name}-flows.pcap"),
            capture(link, &records, 0),
        );
        let out = sockscope(&["read", &path.to_string_lossy(), "--flows", "--json"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let json = text(&out.stdout);
        assert!(
            json.lines().any(
                |l| l.contains("\"conn_state\"") && l.contains("\"id.orig_h\":\"192.168.1.1\"")
            ),
            "{name}: {json}"
        );
    }
}

/// Filters at libpcap's offsets: the 802.11 frame after Prism's 144
/// bytes (or AVS's length when the first word looks like its cookie),
/// AVS's big-endian length, PPI's little-endian one (and on PPI only
/// records whose DLT is 802.11's); `link[]` is the 802.11 frame. Each
/// keeps the records `tcpdump -w` keeps, whole and cut at every length,
/// and our BPF program agrees with the evaluator on them and on damaged
/// copies.
#[test]
fn filters_keep_what_tcpdump_keeps() {
    const EXPRS: &[&str] = &[
        "ip",
        "ip6",
        "arp",
        "icmp",
        "udp",
        "not ip",
        "ip or not ip",
        "host 192.168.1.2",
        "ip6 host 2001:db8::1",
        "wlan host 00:11:22:33:44:55",
        "ether src 66:77:88:99:aa:bb",
        "wlan addr1 ff:ff:ff:ff:ff:ff",
        "wlan ra 00:11:22:33:44:55",
        "ether broadcast",
        "ether multicast",
        "link[0] = 0x80",
        "link[1] & 3 = 1",
        "ether[0] & 0x0c = 8",
        "ip[9] = 1",
        "llc",
    ];
    /// libpcap takes frame control's words and `vlan` everywhere but on
    /// PPI.
    const FC_WORDS: &[&str] = &[
        "type data",
        "type mgt subtype beacon",
        "dir nods",
        "dir tods",
        "vlan",
    ];
    if !support::bin::require_tool("tcpdump") {
        return;
    }
    let frames = link_captures::wlan_frames();
    let captures = link_captures::behind_wlan_headers(&frames)
        .into_iter()
        .chain(link_captures::odd_wlan_headers());
    let mut rng = support::dns_captures::rng(0x0119_0163_0192);
    let (mut judged, mut kept) = (0, 0);
    for (link, name, frames) in captures {
        let records = whole_and_cut(&frames);
        let damaged: Vec<Vec<u8>> = frames
            .iter()
            .map(|f| support::dns_captures::mutate(&mut rng, f))
            .collect();
        let path = temp_file(
            &format!("wlan-headers-{name}-filters.pcap"),
            capture(link, &frames, usize::MAX),
        );
        let lt = LinkType::from_number(link);
        let exprs = EXPRS.iter().chain(FC_WORDS.iter().filter(|_| link != 192));
        for expr in exprs {
            kept += filter_keeps_what_tcpdump_keeps(lt, expr, &path, &records, &damaged);
            judged += records.len();
        }
    }
    eprintln!("filters: {judged} records judged, {kept} kept, as tcpdump -w keeps them");
    assert!(judged > 100_000, "only {judged} records judged");
}

/// The frame-control words and `vlan` libpcap refuses on PPI, in its
/// words.
#[test]
fn ppi_refuses_frame_control_words() {
    let path = temp_file(
        "wlan-headers-ppi-refused.pcap",
        capture(192, &[link_captures::ppi_header(0, 8, 105)], 0),
    );
    for (expr, words) in [
        (
            "type data",
            "802.11 link-layer types supported only on 802.11",
        ),
        (
            "subtype beacon",
            "802.11 link-layer types supported only on 802.11",
        ),
        (
            "dir nods",
            "frame direction supported only with 802.11 headers",
        ),
    ] {
        let out = sockscope(&["read", &path.to_string_lossy(), expr]);
        assert!(!out.status.success(), "{expr}");
        let err = text(&out.stderr);
        assert!(err.trim_end().ends_with(words), "{expr}: {err}");
    }
}

/// Damaged copies of every record above through every stage: no panic,
/// no loop.
#[test]
fn damaged_records_never_panic() {
    let seeds = link_captures::wlan_header_records();
    let rounds = mutation_rounds();
    let (slowest, longest) = damaged_frames_through_every_stage(&seeds, rounds, 0x5eed_0119);
    eprintln!("{rounds} damaged records: slowest {slowest:?}, longest line {longest} bytes");
}
