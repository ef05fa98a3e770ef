//! MACsec (802.1AE) frames as `tcpdump -n -r` prints them: the SecTAG's
//! words under `-e`, a payload in the clear decoded without its ICV and
//! within its short length, an encrypted or changed one as `802.1AE
//! MACsec, an 0, pn 9, flags EC, ` and hex, cut and invalid tags —
//! every frame whole, cut at every length and damaged, at every level
//! and dump; and the tag's fields in `--json`.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::golden::{check_generated, check_run};
use support::{capture, macsec_captures, temp_file};

/// Damaged copies in the committed capture.
const DAMAGED: usize = 2000;

const LEVELS: &[&str] = &["", "-e", "-v", "-vv", "-e -vvv", "-x", "-e -x", "-X", "-A"];

#[test]
fn macsec_lines_equal_tcpdump() {
    check_generated("link_macsec.pcap", &macsec_captures::capture(DAMAGED));
    let p = capture("link_macsec.pcap").to_string_lossy().into_owned();
    compare_with_tcpdump(&p, LEVELS, DAMAGED);
    check_run("link/macsec.out", &["read", &p, "-e"]);
    let cuts = temp_file("macsec_cuts.pcap", macsec_captures::every_cut_capture());
    compare_with_tcpdump(&cuts.to_string_lossy(), LEVELS, 1000);
}

#[test]
fn json_holds_the_sectag() {
    let p = capture("link_macsec.pcap").to_string_lossy().into_owned();
    let json = text(&sockscope(&["read", &p, "--json", "-c", "26"]).stdout);
    let tags: Vec<&str> = json
        .lines()
        .filter_map(|l| l.split(r#""macsec":"#).nth(1))
        .filter_map(|rest| rest.split('}').next())
        .collect();
    // Every frame of the 26 but the one whose tag is behind a VLAN tag
    // (tcpdump does not follow it) and the one etherparse finds no
    // Ethernet header in... each names its tag.
    assert!(tags.len() >= 24, "{}: {json}", tags.len());
    for want in [
        r#"{"an":1,"confidential":false,"flags":"I","pn":7,"sci":"0011223344550001","short_len":0,"valid":true"#,
        r#"{"an":0,"confidential":true,"flags":"ECI","pn":9,"sci":"0011223344550001","short_len":0,"valid":true"#,
        r#"{"an":0,"confidential":false,"flags":"none","pn":3,"short_len":30,"valid":true"#,
        r#"{"state":"invalid","valid":false"#,
    ] {
        assert!(tags.contains(&want), "no {want} in {tags:#?}");
    }
    // The IP packet in the clear is the packet's.
    let first = json.lines().next().unwrap_or_default();
    assert!(first.contains(r#""src":"10.0.0.1""#), "{first}");
}
