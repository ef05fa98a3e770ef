//! libpcap's "expression rejects all packets": on an empty capture of
//! every link type whose filters we compile, each expression of
//! `tests/filter/expressions.txt` and a list of contradictions is
//! compiled by tcpdump and by us. Where tcpdump says the expression
//! rejects all packets, we say it too (or refuse the expression in our own
//! words, as before); where tcpdump takes it, we never say it rejects
//! all. The misses (tcpdump says it, we run a filter that matches
//! nothing) are counted and named.

mod support;

use sockscope::filter::{CompileError, Filter};
use sockscope::packet::LinkType;
use std::process::Command;
use support::bin::require_tool;

/// The link types, by the numbers files carry (several have two).
const LINKS: &[u32] = &[
    1, 0, 108, 12, 14, 101, 228, 229, 113, 276, 9, 50, 104, 107, 51, 105, 127, 119, 163, 192, 6,
    10, 11, 100, 19, 106, 240, 241, 117, 15, 102, 8, 16, 103, 114, 99, 109, 226, 138, 189, 220,
    201, 271, 7, 129, 112, 122, 166, 195, 230, 283, 182, 123, 178, 179, 181, 180, 167, 132, 164,
    136, 133, 168, 137,
];

/// Expressions that contradict themselves, on some link types or all.
const CONTRADICTIONS: &[&str] = &[
    "ip and arp",
    "tcp and udp",
    "ip6 and arp",
    "arp",
    "rarp",
    "(ip or ip6) and arp",
    "udp and tcp port 80",
    "ip and ip6",
    "vlan and ip and arp",
    "ether proto 0x800 and ether proto 0x806",
    "ip[9] = 6 and ip[9] = 17",
    "tcp[13] = 2 and tcp[13] = 18",
    "geneve and arp",
    "ip and arp and geneve",
    "not ip and ip",
    "ip and not ip",
    "len > 100 and len < 50",
    "1 = 2",
    "1 = 1",
    "link[0] = 1 and link[0] = 2",
    "wlan host 1:2:3:4:5:6 and arp",
    "mpls and ip and arp",
    "pppoes and ip and arp",
    "icmp and tcp",
    "icmp6 and udp",
    "ip and lane and ip",
    "lane and ip and arp",
    "vpi 1 and vpi 2",
    "oamf4 and sc",
    "lane and llc and lane",
];

/// tcpdump's misses we know of: libpcap's optimizer folds these where
/// our program's shape hides the contradiction from the same reasoning.
const KNOWN_MISSES: &[(u32, &str)] = &[
    (16, "udp and tcp port 80"),
    (103, "udp and tcp port 80"),
    (7, "udp and tcp port 80"),
    (129, "udp and tcp port 80"),
];

const REJECTS_ALL: &str = "expression rejects all packets";

/// What libpcap compiles and sockscope refuses in its own words, by
/// design: `geneve` and `pppoes` where the network layer's offset is not
/// a constant (802.11's header, pf's log header) or, for `geneve`, on
/// Prism/AVS/PPI (libpcap does not optimize there).
fn ours_refused_known(link: u32, expr: &str) -> bool {
    let wlan = [105, 127, 119, 163, 192].contains(&link);
    let words: Vec<&str> = expr.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    let has = |w: &str| words.contains(&w);
    (wlan || link == 117) && (has("geneve") || has("pppoes"))
}

#[test]
fn rejects_all_packets_where_tcpdump_says_so_and_nowhere_else() {
    if !require_tool("tcpdump") {
        return;
    }
    let listed = std::fs::read_to_string(support::root().join("tests/filter/expressions.txt"))
        .expect("expressions.txt");
    let exprs: Vec<&str> = listed
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .chain(CONTRADICTIONS.iter().copied())
        .collect();
    let (mut agreed, mut refused, mut misses, mut wrong) = (0, 0, Vec::new(), Vec::new());
    let (mut pairs, mut theirs_all, mut unparsed) = (0, 0, 0);
    // tcpdump takes the expression and we refuse it; tcpdump refuses it
    // and we take it.
    let (mut refused_taken, mut taken_refused) = (Vec::new(), Vec::new());
    for &link in LINKS {
        let path = support::temp_path(&format!("rejects-{link}.pcap"), empty_pcap(link));
        for &expr in &exprs {
            let out = Command::new("tcpdump")
                // `--`: an expression may start with `-` (`-ip[9] = -6`).
                .args(["-r", &path, "--", expr])
                .env("TZ", "UTC")
                .output()
                .expect("tcpdump runs");
            let theirs = String::from_utf8_lossy(&out.stderr).contains(REJECTS_ALL);
            pairs += 1;
            theirs_all += usize::from(theirs);
            // Words sockscope does not parse fail before any link type.
            let Ok(filter) = Filter::parse(expr) else {
                unparsed += usize::from(theirs);
                continue;
            };
            match (theirs, filter.check_link(LinkType::from_number(link))) {
                (true, Err(CompileError::RejectsAll)) => agreed += 1,
                (true, Err(_)) => refused += 1,
                (true, Ok(())) => misses.push((link, expr)),
                (false, Err(CompileError::RejectsAll)) => wrong.push((link, expr)),
                (false, Err(e)) if out.status.success() => refused_taken.push((link, expr, e)),
                (false, Ok(())) if !out.status.success() => taken_refused.push((link, expr)),
                (false, _) => {}
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "we say it rejects all, tcpdump does not: {wrong:?}"
    );
    let unknown: Vec<_> = misses
        .iter()
        .filter(|m| !KNOWN_MISSES.contains(m))
        .collect();
    assert!(
        unknown.is_empty(),
        "tcpdump says it rejects all, we run it: {unknown:?}"
    );
    assert!(
        taken_refused.is_empty(),
        "tcpdump refuses, we take: {taken_refused:?}"
    );
    let unlisted: Vec<_> = refused_taken
        .iter()
        .filter(|(link, expr, _)| !ours_refused_known(*link, expr))
        .collect();
    assert!(
        unlisted.is_empty(),
        "tcpdump takes, we refuse: {unlisted:?}"
    );
    eprintln!(
        "{pairs} pairs, tcpdump rejects all in {theirs_all}: {agreed} agreed, \
         {refused} refused in our words, {unparsed} not parsed, {} known misses; \
         tcpdump takes {} we refuse (listed)",
        misses.len(),
        refused_taken.len()
    );
    assert!(agreed >= 1_000, "only {agreed} agreed");
}

/// A pcap file header of `link` and no records.
fn empty_pcap(link: u32) -> Vec<u8> {
    let mut b = 0xa1b2_c3d4u32.to_le_bytes().to_vec();
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&4u16.to_le_bytes());
    for v in [0u32, 0, 262_144, link] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    b
}
