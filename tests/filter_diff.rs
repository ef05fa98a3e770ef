//! Differential tests against tcpdump (libpcap 1.10), without needing
//! tcpdump: tests/filter/expected.txt records, for every capture in
//! captures/filter_*.pcap and every expression in tests/filter/expressions.txt,
//! which packets `tcpdump -# -n -r FILE EXPR` printed and the program
//! `tcpdump -dd` compiled (regenerate with tests/filter/regen.sh).

mod support;

use std::collections::HashMap;

use sockscope::filter::{Filter, bpf};
use sockscope::packet::LinkType;
use support::filter_captures::{self, expected, packets};

type Captures = HashMap<String, (LinkType, Vec<(Vec<u8>, u32)>)>;

fn captures() -> Captures {
    let mut m = HashMap::new();
    for (name, _) in filter_captures::CAPTURES {
        let (link, pkts) = packets(name);
        m.insert(name.to_string(), (LinkType::from_number(link), pkts));
    }
    m
}

fn selected(pkts: &[(Vec<u8>, u32)], f: impl Fn(&[u8], u32) -> bool) -> Vec<usize> {
    pkts.iter()
        .enumerate()
        .filter(|(_, (d, l))| f(d, *l))
        .map(|(i, _)| i + 1)
        .collect()
}

const REJECTS_ALL: &str = "expression rejects all packets";

#[test]
fn there_are_at_least_60_expressions_per_capture() {
    let exp = expected();
    for (name, _) in filter_captures::CAPTURES {
        let n = exp.iter().filter(|e| e.capture == name).count();
        assert!(n >= 60, "{name}: only {n} expressions");
    }
}

/// `Filter::matches` selects exactly the packets tcpdump printed.
#[test]
fn user_space_matches_agree_with_tcpdump() {
    let caps = captures();
    let mut failures = Vec::new();
    for e in expected() {
        let (link, pkts) = &caps[&e.capture];
        let filter = Filter::parse(&e.expr).unwrap_or_else(|err| panic!("{}: {err}", e.expr));
        let ours = selected(pkts, |d, l| filter.matches(*link, d, l));
        match &e.result {
            Ok(want) => {
                if let Err(err) = filter.check_link(*link) {
                    failures.push(format!(
                        "{} | {}: tcpdump accepts it, we say {err}",
                        e.capture, e.expr
                    ));
                } else if &ours != want {
                    failures.push(format!(
                        "{} | {}\n    tcpdump: {want:?}\n    ours:    {ours:?}",
                        e.capture, e.expr
                    ));
                }
            }
            Err(msg) if msg == REJECTS_ALL => {
                if !ours.is_empty() {
                    failures.push(format!(
                        "{} | {}: tcpdump rejects all, we select {ours:?}",
                        e.capture, e.expr
                    ));
                }
                match filter.check_link(*link) {
                    Err(err) if err.to_string() == REJECTS_ALL => {}
                    other => failures.push(format!(
                        "{} | {}: tcpdump rejects all packets, we say {other:?}",
                        e.capture, e.expr
                    )),
                }
            }
            Err(msg) => {
                if filter.check_link(*link).is_ok() {
                    failures.push(format!(
                        "{} | {}: tcpdump refuses ({msg}), we accept",
                        e.capture, e.expr
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Our compiled BPF gives the same verdict as `matches` on every packet, and
/// tcpdump's own program (run in our interpreter) selects the same packets:
/// the compiled program is semantically tcpdump's.
#[test]
fn compiled_bpf_agrees_with_matches_and_with_tcpdumps_program() {
    let caps = captures();
    let mut failures = Vec::new();
    let mut checked = 0;
    for e in expected() {
        let (link, pkts) = &caps[&e.capture];
        let filter = Filter::parse(&e.expr).unwrap_or_else(|err| panic!("{}: {err}", e.expr));
        if filter.check_link(*link).is_err() {
            assert!(
                filter.compile(*link, 65535).is_err(),
                "{}: compile must refuse too",
                e.expr
            );
            continue;
        }
        let prog = match filter.compile(*link, 262144) {
            Ok(p) => p,
            Err(err) => {
                failures.push(format!(
                    "{} | {}: does not compile: {err}",
                    e.capture, e.expr
                ));
                continue;
            }
        };
        let by_matches = selected(pkts, |d, l| filter.matches(*link, d, l));
        // `read`'s decoded form of the program returns what the reference
        // interpreter returns, packet by packet.
        let decoded = bpf::Program::new(&prog);
        let by_bpf = selected(pkts, |d, l| {
            let r = bpf::run(&prog, d, l);
            assert!(r == 0 || r == 262144, "ret must be 0 or snaplen, got {r}");
            assert_eq!(decoded.run(d, l), r, "{} | {}", e.capture, e.expr);
            r != 0
        });
        if by_bpf != by_matches {
            failures.push(format!(
                "{} | {}: bpf {by_bpf:?} vs matches {by_matches:?}\n{}",
                e.capture,
                e.expr,
                bpf::dump(&prog)
            ));
        }
        if let Some(dd) = &e.dd {
            let theirs = bpf::parse_c(dd).expect("tcpdump -dd output");
            let by_theirs = selected(pkts, |d, l| bpf::run(&theirs, d, l) != 0);
            if by_theirs != by_bpf {
                failures.push(format!(
                    "{} | {}: tcpdump's program {by_theirs:?} vs ours {by_bpf:?}",
                    e.capture, e.expr
                ));
            }
            if let Ok(want) = &e.result
                && &by_theirs != want
            {
                failures.push(format!(
                    "{} | {}: our interpreter runs tcpdump's program to {by_theirs:?}, tcpdump printed {want:?}",
                    e.capture, e.expr
                ));
            }
        }
        checked += 1;
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked >= 500, "only {checked} programs checked");
}
