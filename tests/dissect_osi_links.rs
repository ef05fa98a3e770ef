//! ISO CLNS PDUs (CLNP, ES-IS, IS-IS) off LLC: PPP's protocol 0x0023 (PPP,
//! PPP in HDLC framing, inside PPPoE, L2TP and PPTP's GRE), GRE's 0x00fe
//! and Cisco HDLC's 0xfefe, EtherType 0xfefe (Ethernet and Linux cooked,
//! after a control byte) and Frame Relay's NLPIDs 0x81-0x83 (two- and
//! three-byte addresses) reach the printer LLC's SAP 0xfe uses, as
//! tcpdump's `isoclns_print`: every hand-built PDU whole and a few cut at
//! every length, on every framing, equal `tcpdump -n -r` byte for byte at
//! the default level, `-v`, `-vv`, `-e` and in the dumps; `--json` gives
//! the PDU the object it has after LLC.

mod support;

use serde_json::Value;
use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::osi_link_captures::{capture_of, framings, pdus};
use support::{isis_captures, link_captures};

const LEVELS: &[&str] = &[
    "", "-v", "-vv", "-e", "-e -v", "-e -vv", "-x", "-e -x", "-v -x",
];

#[test]
fn osi_on_ppp_gre_and_cisco_hdlc_equals_tcpdump() {
    let mut total = 0;
    for f in framings() {
        let path = support::temp_file(&format!("osi_{}.pcap", f.name), capture_of(&f));
        let Some(counts) = compare_with_tcpdump(&path.to_string_lossy(), LEVELS, pdus().len())
        else {
            return;
        };
        total += counts.iter().sum::<usize>();
    }
    eprintln!("OSI off LLC: {total} tcpdump lines compared, 0 differ");
}

/// The `--json` objects of a capture's packets: the member named `key`
/// of each, at the top or in the tunnel's `inner`.
fn objects(path: &str) -> Vec<Value> {
    let out = sockscope(&["read", path, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("a JSON line");
            let at = v.get("inner").unwrap_or(&v);
            ["clnp", "esis", "isis"]
                .iter()
                .find_map(|k| at.get(*k).cloned())
                .unwrap_or_else(|| panic!("{path}: no OSI object in {l}"))
        })
        .collect()
}

/// Every PDU's object on each framing is the one it has after LLC (a
/// one-byte PDU is left out: Cisco HDLC's printer refuses it; behind
/// Cisco HDLC's pad byte and on Frame Relay only CLNP, ES-IS and IS-IS,
/// for which tcpdump skips the pad, or which Frame Relay's NLPID names).
#[test]
fn osi_off_llc_json_objects_are_llc_ones() {
    let pdus: Vec<Vec<u8>> = pdus().into_iter().filter(|p| p.len() > 1).collect();
    let llc: Vec<Vec<u8>> = pdus.iter().map(|p| isis_captures::frame(p)).collect();
    let path = support::temp_file("osi_llc.pcap", link_captures::capture(1, &llc, 0));
    let want = objects(&path.to_string_lossy());
    assert_eq!(want.len(), pdus.len());
    let mut compared = 0;
    for f in framings() {
        // Frame Relay's NLPID is the PDU's first byte: only CLNP's,
        // ES-IS's and IS-IS's are OSI there.
        let padded = f.name == "chdlc_padded" || f.link == 107;
        let (whole, want): (Vec<Vec<u8>>, Vec<&Value>) = pdus
            .iter()
            .zip(&want)
            .filter(|(p, _)| !padded || (0x81..=0x83).contains(&p[0]))
            .map(|(p, o)| ((f.wrap)(p), o))
            .unzip();
        let path = support::temp_file(
            &format!("osi_json_{}.pcap", f.name),
            link_captures::capture(f.link, &whole, 0),
        );
        let got = objects(&path.to_string_lossy());
        assert_eq!(got.len(), want.len(), "{}", f.name);
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            assert!(g == w, "{} packet {}:\n  {g}\n  {w}", f.name, i + 1);
        }
        compared += got.len();
    }
    eprintln!("{compared} OSI objects off LLC equal their LLC ones");
}

/// Damaged copies of every PDU on every framing through the decoder, the
/// line printer at each level with and without `-e`, the JSON and the
/// flow view: no panic, no loop, lines of bounded length (a million in a
/// release build, 100,000 in a debug one; `SOCKSCOPE_MUTATION_ROUNDS=N`).
#[test]
fn damaged_osi_frames_never_panic_or_loop() {
    let pdus = pdus();
    let seeds: Vec<(u32, Vec<u8>)> = framings()
        .iter()
        .flat_map(|f| pdus.iter().map(move |p| (f.link, (f.wrap)(p))))
        .collect();
    let rounds = support::rng::mutation_rounds();
    let (slowest, longest) = support::app_captures::damaged_frames_through_every_stage(
        &seeds,
        rounds,
        0x0051_14f0_0000_0001,
    );
    eprintln!("{rounds} damaged OSI frames: slowest {slowest:?}, longest line {longest} bytes");
}
