//! TLS and QUIC on built captures, line for line against `tcpdump -n -r`.
//! tcpdump decodes neither, so sockscope's lines must stay exactly its
//! TCP and UDP lines at every level (`--app` is what adds to them): the
//! segments of a real `openssl s_client` ↔ `s_server` exchange
//! (`support/tls_segments.hex`) and RFC 9001 Appendix A's client Initial,
//! whole, on TLS's and QUIC's ports and on odd ones (both are recognised
//! by content), over IPv4 and IPv6, cut by the snap length at every byte,
//! and damaged. The live tests (`dissect_tls_live.rs`) compare real
//! openssl and Chromium traffic; these reach the cut and damaged records
//! a live exchange never sends.

mod support;

use support::app_captures::{
    Frame, TCP_HEADERS, UDP_HEADERS, capture, compare_with_tcpdump, tcp, tcp_between, udp,
    udp_between,
};
use support::bin::{require_tool, sockscope, text};
use support::dns_captures::mutate;
use support::rng::Rng;
use support::tls_captures::{tls_seeds, unhex};

/// Damaged copies of each kind of message.
const DAMAGED: usize = 3_000;

fn rfc9001_initial() -> Vec<u8> {
    let hex: String = include_str!("../src/dissect/quic/rfc9001_a2_client_initial.hex")
        .split_whitespace()
        .collect();
    unhex(&hex)
}

/// Every TLS segment to and from 443 and 4433, over IPv4 and IPv6; each
/// cut at every byte; then damaged copies.
fn tls_frames() -> Vec<Frame> {
    let seeds = tls_seeds();
    let v6 = (
        "2001:db8::1".parse().unwrap(),
        "2001:db8::2".parse().unwrap(),
    );
    let mut frames = Vec::new();
    for (i, m) in seeds.iter().enumerate() {
        let to_server = i % 2 == 0;
        for server in [443, 4433] {
            frames.push(tcp(to_server, 40001, server, 1000, m));
            frames.push(tcp_between(v6, to_server, (40001, server), 1000, m));
        }
        frames.extend((0..m.len()).map(|keep| Frame {
            snap: Some(TCP_HEADERS + keep),
            ..tcp(to_server, 40002, 443, 1000, m)
        }));
    }
    let mut rng = Rng(0x7150_7cd0_0000_0001);
    for _ in 0..DAMAGED {
        let m = &seeds[rng.below(seeds.len())];
        frames.push(tcp(true, 40003, 443, 1000, &mutate(&mut rng, m)));
    }
    frames
}

/// The client Initial to 443 and 4433 over both versions, cut at every
/// byte, then damaged copies (mostly the header: what the line could show).
fn quic_frames() -> Vec<Frame> {
    let initial = rfc9001_initial();
    let mut frames = Vec::new();
    for server in [443, 4433] {
        frames.push(udp(true, 40000, server, &initial));
        frames.push(udp(false, 40000, server, &initial));
        frames.push(udp_between(
            ("2001:db8::1", 40000),
            ("2001:db8::2", server),
            &initial,
        ));
    }
    frames.extend((0..initial.len()).map(|keep| Frame {
        snap: Some(UDP_HEADERS + keep),
        ..udp(true, 40000, 443, &initial)
    }));
    let mut rng = Rng(0x9f1c_7cd0_0000_0001);
    for _ in 0..DAMAGED {
        frames.push(udp(true, 40000, 443, &mutate(&mut rng, &initial)));
    }
    frames
}

/// tcpdump's lines of `path` at `flags`, with the packets' count.
fn tcpdump_lines(path: &str, flags: &[&str]) -> Vec<String> {
    let out = std::process::Command::new("tcpdump")
        .args(["-n", "-r", path])
        .args(flags)
        .env("TZ", "UTC")
        .output()
        .expect("tcpdump runs");
    text(&out.stdout).lines().map(str::to_owned).collect()
}

/// Each `--app` line is tcpdump's line, alone or followed by ` [` … `]`;
/// returns how many were followed.
fn app_lines_extend_tcpdumps(path: &str, flags: &[&str]) -> usize {
    let args: Vec<&str> = ["read", path, "--app"]
        .into_iter()
        .chain(flags.iter().copied())
        .collect();
    let ours = sockscope(&args);
    assert!(ours.status.success(), "{}", text(&ours.stderr));
    let ours = text(&ours.stdout);
    let theirs = tcpdump_lines(path, flags);
    let ours: Vec<&str> = ours.lines().collect();
    assert_eq!(ours.len(), theirs.len(), "{path} --app {flags:?}: lines");
    let mut extended = 0;
    for (n, (a, t)) in ours.iter().zip(&theirs).enumerate() {
        if *a == t.as_str() {
            continue;
        }
        let rest = a.strip_prefix(t.as_str()).unwrap_or_else(|| {
            panic!(
                "{path} --app {flags:?} line {}:\n  ours: {a}\n  tcpdump: {t}",
                n + 1
            )
        });
        assert!(
            rest.starts_with(" [") && rest.ends_with(']'),
            "line {}: {rest}",
            n + 1
        );
        extended += 1;
    }
    extended
}

fn check(name: &str, frames: &[Frame], min_app: usize) {
    if !require_tool("tcpdump") {
        return;
    }
    let path = support::temp_file(name, capture(frames));
    let path = path.to_string_lossy();
    let levels = ["", "-v", "-vv", "-x", "-v -X", "-e"];
    let counts = compare_with_tcpdump(&path, &levels, frames.len()).expect("tcpdump is here");
    let total: usize = counts.iter().sum();
    eprintln!("{name}: {total} lines identical to tcpdump's over {levels:?}");
    for flags in [&[][..], &["-v"][..]] {
        let extended = app_lines_extend_tcpdumps(&path, flags);
        eprintln!("{name} --app {flags:?}: {extended} lines extended");
        assert!(
            extended >= min_app,
            "{name} --app {flags:?}: only {extended} extended"
        );
    }
}

#[test]
fn tls_segments_whole_cut_and_damaged_equal_tcpdump() {
    // Every whole segment on both ports and versions starts with a record
    // header, so `--app` extends at least those 4 × 7 lines.
    check("tls_vs_tcpdump.pcap", &tls_frames(), 4 * tls_seeds().len());
}

#[test]
fn quic_initials_whole_cut_and_damaged_equal_tcpdump() {
    // The six whole Initials at least.
    check("quic_vs_tcpdump.pcap", &quic_frames(), 6);
}
