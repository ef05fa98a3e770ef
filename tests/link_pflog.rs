//! pf's logs (link type 117, PFLOG) on records built by hand
//! (`tests/support/pflog_captures.rs`): `sockscope read` prints what
//! `tcpdump -n -r` (4.99.3) prints, byte for byte, at the default level,
//! `-e`, `-v`, `-vv`, `-x`, `-e -x` and `-X`, each record whole and cut
//! at every length; filters (IP's words at libpcap's offsets after the
//! padded header, pf's own words) keep the records tcpdump's `-w` keeps,
//! and our BPF program agrees with the evaluator; the words libpcap
//! refuses are refused in its words; `--json` carries the header as a
//! `"link_layer"` object and the flows are the packets inside; damaged
//! records never panic.

mod support;

use serde_json::json;
use sockscope::filter::Filter;
use sockscope::packet::LinkType;
use std::process::Command;
use support::app_captures::{compare_with_tcpdump, damaged_frames_through_every_stage};
use support::bin::{require_tool, sockscope, text};
use support::dns_captures::{mutate, rng};
use support::link_captures::capture;
use support::pcap::{filter_keeps_what_tcpdump_keeps, whole_and_cut};
use support::pflog_captures::{self, Pf};
use support::rng::mutation_rounds;
use support::temp_file;

const PFLOG: u32 = 117;

/// Every record whole, then each cut at every length.
fn records_and_cuts() -> Vec<(Vec<u8>, u32)> {
    whole_and_cut(&pflog_captures::records())
}

#[test]
fn pflog_lines_equal_tcpdump() {
    let records = pflog_captures::records();
    let path = temp_file("pflog-lines.pcap", capture(PFLOG, &records, usize::MAX));
    let levels = ["", "-e", "-v", "-vv", "-x", "-e -x", "-X"];
    let Some(counts) = compare_with_tcpdump(&path.to_string_lossy(), &levels, records.len()) else {
        return;
    };
    let total: usize = counts.iter().sum();
    eprintln!("pflog: {total} lines identical to tcpdump's, per level {counts:?}");
    assert!(total > 40_000, "only {total} lines compared");
}

/// The records behind PPI and PKTAP headers: PFLOG's printer's count
/// (its padded header, a bad length byte's value, what a cut header had;
/// nothing when it gave up) is counted again by theirs.
#[test]
fn pflog_behind_ppi_and_pktap_equals_tcpdump() {
    let total = support::link_captures::behind_ppi_and_pktap_equal_tcpdump(
        "pflog",
        PFLOG,
        &records_and_cuts(),
    );
    assert!(total == 0 || total > 40_000, "only {total} lines compared");
}

/// The lines of a few records, as tcpdump prints them (and as the
/// comparison above checks against tcpdump itself): the header's words
/// under `-e` only, before an unknown family's bytes always.
/// Rule 7 of ruleset `main`, subrule 3, blocked outbound for lack of
/// memory.
fn blocked() -> Pf {
    Pf {
        rulenr: 7,
        ruleset: b"main",
        subrulenr: 3,
        reason: 5,
        action: 1,
        dir: 2,
        ..Pf::default()
    }
}

#[test]
fn pflog_words_are_tcpdumps() {
    let v4 = support::link_captures::ipv4_echo();
    let base = Pf::default();
    let records = [
        blocked().record(&v4),
        Pf {
            af: 10,
            ..base.clone()
        }
        .record(&v4[..4]),
        Pf {
            length: 44,
            ..base.clone()
        }
        .record(&v4),
        Pf {
            reason: 4,
            action: 3,
            dir: 3,
            ..base.clone()
        }
        .record(&v4),
    ];
    let path = temp_file("pflog-words.pcap", capture(PFLOG, &records, 0));
    let p = path.to_string_lossy();
    let out = sockscope(&["read", &p, "-e"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let echo = "192.168.1.1 > 192.168.1.2: ICMP echo request, id 4660, seq 1, length 16";
    let want = format!(
        "13:46:40.000000 rule 7.main.3/5(memory): block out on em0: {echo}\n\
         13:46:40.010000 rule 0/0(match): pass in on em0: \n\
         \t0x0000:  4500 0024                                E..$\n\
         13:46:40.020000 [pflog: invalid header length!]\n\
         13:46:40.030000 rule 0/3(short): unkn(3) unkn(3) on em0: {echo}\n"
    );
    assert_eq!(text(&out.stdout), want);
    if require_tool("tcpdump") {
        let theirs = support::bin::tcpdump(&p, &["-e"]);
        assert_eq!(text(&theirs.stdout), want);
    }
}

/// IP's words (the network layer after the header's padded length, by
/// address family: 2 for `ip`, Linux's 10 for `ip6`, as libpcap built
/// there compiles them) and pf's own keep the records tcpdump's filter
/// keeps, whole and cut at every length; our BPF program agrees with
/// the evaluator on them and on damaged copies.
#[test]
fn pflog_filters_select_what_tcpdump_selects() {
    const EXPRS: &[&str] = &[
        "ip",
        "ip6",
        "not ip",
        "icmp",
        "udp",
        "tcp",
        "tcp port 80",
        "ip6 and tcp port 80",
        "udp port 6000",
        "host 192.168.1.2",
        "src host 10.0.0.1",
        "host 2001:db8::2",
        "net 192.168.0.0/16",
        "ip[9] = 1",
        "ip6[6] = 17",
        "tcp[13] & 2 != 0",
        "icmp[0] = 8",
        "greater 100",
        "less 80",
        "ether proto 0x0800",
        "ip proto 1",
        "on em0",
        "ifname em",
        "on em1",
        "on vio0",
        "rset main",
        "ruleset r",
        "rnr 7",
        "rulenum 0",
        "srnr 3",
        "subrulenum 4294967295",
        "reason match",
        "reason short",
        "reason 3",
        "reason 4",
        "reason 14",
        "reason 300",
        "action pass",
        "action block",
        "action drop",
        "action accept",
        "action noscrub",
        "action synproxy-drop",
        "action NAT",
        "inbound",
        "outbound",
        "inbound and icmp",
        "on em0 and rnr 0 and action pass",
        "not on em0 or reason memory",
    ];
    if !require_tool("tcpdump") {
        return;
    }
    let records = records_and_cuts();
    let frames: Vec<Vec<u8>> = pflog_captures::records();
    let path = temp_file("pflog-filters.pcap", capture(PFLOG, &frames, usize::MAX));
    let lt = LinkType::from_number(PFLOG);
    let mut rng = rng(0x0f10_6117);
    let damaged: Vec<Vec<u8>> = frames.iter().map(|f| mutate(&mut rng, f)).collect();
    let (mut compared, mut kept) = (0, 0);
    for expr in EXPRS {
        kept += filter_keeps_what_tcpdump_keeps(lt, expr, &path, &records, &damaged);
        compared += records.len();
    }
    eprintln!("pflog filters: {compared} records judged as tcpdump judges them, {kept} kept");
    assert!(kept > 10_000, "{kept}");
}

/// What libpcap refuses on pf's logs, and pf's words elsewhere, are
/// refused in its words (and tcpdump refuses them too).
#[test]
fn pflog_refusals_are_libpcaps() {
    let cases: &[(u32, &str, &str)] = &[
        (PFLOG, "vlan", "no VLAN support for OpenBSD pflog file"),
        (PFLOG, "mpls", "no MPLS support for OpenBSD pflog file"),
        (PFLOG, "llc", "'llc' not supported for OpenBSD pflog file"),
        (
            PFLOG,
            "ether host 1:2:3:4:5:6",
            "ethernet addresses supported only on",
        ),
        (PFLOG, "ether broadcast", "not a broadcast link"),
        (
            PFLOG,
            "on aaaaaaaaaaaaaaaa",
            "ifname interface names can only be 15 characters",
        ),
        (
            PFLOG,
            "rset aaaaaaaaaaaaaaaa",
            "ruleset names can only be 15 characters",
        ),
        (1, "on em0", "ifname supported only on PF linktype"),
        (1, "rset main", "ruleset supported only on PF linktype"),
        (1, "rnr 1", "rnr supported only on PF linktype"),
        (1, "srnr 1", "srnr supported only on PF linktype"),
        (1, "reason match", "reason supported only on PF linktype"),
        (1, "action pass", "action supported only on PF linktype"),
    ];
    for &(link, expr, words) in cases {
        let filter = Filter::parse(expr).expect(expr);
        let err = filter
            .check_link(LinkType::from_number(link))
            .expect_err(expr)
            .to_string();
        assert!(err.contains(words), "{link} `{expr}`: {err}");
        tcpdump_refuses(link, expr, words);
    }
    for (expr, words) in [
        ("reason foo", "unknown PF reason \"foo\""),
        ("action foo", "unknown PF action \"foo\""),
        ("action match", "unknown PF action \"match\""),
    ] {
        let err = Filter::parse(expr).expect_err(expr).to_string();
        assert!(err.contains(words), "`{expr}`: {err}");
        tcpdump_refuses(PFLOG, expr, words);
    }
    for expr in ["on 5", "rnr main", "action 4", "rnr"] {
        assert!(Filter::parse(expr).is_err(), "`{expr}`");
    }
}

/// tcpdump refuses `expr` on a capture of `link` with `words`.
fn tcpdump_refuses(link: u32, expr: &str, words: &str) {
    if !require_tool("tcpdump") {
        return;
    }
    let path = temp_file(&format!("pflog-refusal-{link}.pcap"), capture(link, &[], 0));
    let out = Command::new("tcpdump")
        .args(["-r"])
        .arg(&path)
        .arg(expr)
        .output()
        .expect("tcpdump runs");
    let err = text(&out.stderr);
    assert!(
        !out.status.success() && err.contains(words),
        "tcpdump {link} `{expr}`: {err}"
    );
}

/// `--json`: the header's fields as the `"link_layer"` object, its
/// length byte alone when cut; the IP packet inside. The flows are the
/// IP conversations the records carry.
#[test]
fn pflog_json_and_flows() {
    let pf = Pf {
        uid: 1000,
        pid: 4242,
        ..blocked()
    };
    let record = pf.record(&pflog_captures::ipv4_tcp(4321));
    let frames = [record.clone(), record[..30].to_vec()];
    let path = temp_file("pflog-json.pcap", capture(PFLOG, &frames, 0));
    let p = path.to_string_lossy();
    let out = sockscope(&["read", &p, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[0]["link_layer"],
        json!({"type": "pflog", "length": 61, "header_len": 64, "af": 2, "action": 1,
               "reason": 5, "ifname": "em0", "ruleset": "main", "rulenr": 7,
               "subrulenr": 3, "uid": 1000, "pid": 4242, "rule_uid": 1000,
               "rule_pid": 42, "dir": 2})
    );
    assert_eq!(lines[0]["ip"]["src"], json!("10.0.0.1"));
    assert_eq!(lines[0]["tcp"]["dport"], json!(80), "{}", lines[0]);
    assert_eq!(
        lines[1]["link_layer"],
        json!({"type": "pflog", "length": 61})
    );
    let out = sockscope(&["read", &p, "--flows", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let flows = text(&out.stdout);
    assert!(
        flows.lines().any(|l| l.contains("\"conn_state\":\"S0\"")
            && l.contains("\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":4321")),
        "{flows}"
    );
}

/// Damaged copies of the records through every stage: no panic, no
/// loop, lines of bounded length.
#[test]
fn pflog_records_survive_damage() {
    let seeds: Vec<(u32, Vec<u8>)> = pflog_captures::records()
        .into_iter()
        .map(|r| (PFLOG, r))
        .collect();
    let rounds = mutation_rounds();
    let (slowest, longest) = damaged_frames_through_every_stage(&seeds, rounds, 0x0f10_6117);
    eprintln!("{rounds} damaged pflog records: slowest {slowest:?}, longest line {longest} bytes");
}
