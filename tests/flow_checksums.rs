//! Bad checksums reach the flow tracker (`bad_checksums`, Zeek's `c`/`C`),
//! `-K` turns them off, and checksum offload (captures made on the host
//! that sent the packets, such as the demo's loopback recordings) is
//! detected and not counted.
//!
//! `captures/tcp_bad_checksums.pcap` is generated here with etherparse's
//! packet builder: one TCP connection, 40 data segments each way-acked, of
//! which 11 client segments and 1 server ACK carry a wrong checksum (each
//! resent intact right after, as a receiver that dropped it would see).
//! `SOCKSCOPE_REGEN_CAPTURES=1` rewrites it; `SOCKSCOPE_BLESS=1` the
//! goldens in `tests/golden/read_flows/`.

mod support;

use etherparse::PacketBuilder;
use std::path::PathBuf;
use std::process::{Command, Output};
use support::bin::{sockscope, sockscope_from_root, transcript};
use support::golden::{check_generated, check_golden};

const NAME: &str = "tcp_bad_checksums";
/// 2023-11-14 22:13:20 UTC.
const T0: u64 = 1_700_000_000;
/// Client data segments whose first copy is corrupted: one early (among
/// the packets that decide on offload) and ten later, so the
/// originator's `C` is recorded at the 1st and the 10th occurrence.
const BAD_CLIENT: [u32; 11] = [2, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38];
/// The server ACK whose first copy is corrupted (the responder's `c`).
const BAD_SERVER: u32 = 10;
const SEGMENTS: u32 = 40;
const SEG_LEN: u32 = 100;

/// One Ethernet frame of the connection; `corrupt` flips a payload byte
/// after the checksum was computed.
fn frame(
    from_client: bool,
    seq: u32,
    ack: u32,
    flags: &str,
    payload: &[u8],
    corrupt: bool,
) -> Vec<u8> {
    let (mac_a, mac_b) = ([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2]);
    let (ip_a, ip_b) = ([10, 0, 0, 1], [10, 0, 0, 2]);
    let (sport, dport) = (40000, 80);
    let b = if from_client {
        PacketBuilder::ethernet2(mac_a, mac_b)
            .ipv4(ip_a, ip_b, 64)
            .tcp(sport, dport, seq, 64240)
    } else {
        PacketBuilder::ethernet2(mac_b, mac_a)
            .ipv4(ip_b, ip_a, 64)
            .tcp(dport, sport, seq, 65160)
    };
    let mut b = b;
    for f in flags.chars() {
        b = match f {
            'S' => b.syn(),
            'F' => b.fin(),
            'P' => b.psh(),
            '.' => b.ack(ack),
            _ => b,
        };
    }
    let mut out = Vec::new();
    b.write(&mut out, payload).unwrap();
    if corrupt {
        // A payload byte if there is one, else the window's low byte.
        let at = if payload.is_empty() {
            14 + 20 + 15
        } else {
            out.len() - 1
        };
        out[at] ^= 0x20;
    }
    out
}

/// The connection's frames, in order.
fn frames() -> Vec<Vec<u8>> {
    let (c0, s0) = (1000u32, 5000u32);
    let mut f = vec![
        frame(true, c0, 0, "S", b"", false),
        frame(false, s0, c0 + 1, "S.", b"", false),
        frame(true, c0 + 1, s0 + 1, ".", b"", false),
    ];
    let payload = vec![b'x'; SEG_LEN as usize];
    for i in 0..SEGMENTS {
        let seq = c0 + 1 + i * SEG_LEN;
        if BAD_CLIENT.contains(&i) {
            f.push(frame(true, seq, s0 + 1, "P.", &payload, true));
        }
        f.push(frame(true, seq, s0 + 1, "P.", &payload, false));
        let acked = seq + SEG_LEN;
        if i == BAD_SERVER {
            f.push(frame(false, s0 + 1, acked, ".", b"", true));
        }
        f.push(frame(false, s0 + 1, acked, ".", b"", false));
    }
    let end = c0 + 1 + SEGMENTS * SEG_LEN;
    f.push(frame(true, end, s0 + 1, "F.", b"", false));
    f.push(frame(false, s0 + 1, end + 1, "F.", b"", false));
    f.push(frame(true, end + 1, s0 + 2, ".", b"", false));
    f
}

/// Classic pcap, microseconds, Ethernet; 100 µs between packets.
fn pcap() -> Vec<u8> {
    let mut out = Vec::new();
    for v in [0xa1b2_c3d4u32, 0x0004_0002, 0, 0, 65535, 1] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for (i, data) in frames().iter().enumerate() {
        let us = i as u64 * 100;
        let len = data.len() as u32;
        for v in [
            (T0 + us / 1_000_000) as u32,
            (us % 1_000_000) as u32,
            len,
            len,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(data);
    }
    out
}

fn capture_path() -> PathBuf {
    support::capture(&format!("{NAME}.pcap"))
}

fn flow_json(out: &Output) -> serde_json::Value {
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(text.lines().next().expect("one flow")).unwrap()
}

#[test]
fn committed_capture_matches_generator() {
    check_generated(&format!("{NAME}.pcap"), &pcap());
}

#[test]
fn bad_segments_show_as_c_in_history_and_count() {
    let file = capture_path();
    let file = file.to_str().unwrap();
    let golden = |case: &str, args: &[&str]| {
        let out = sockscope_from_root(args);
        check_golden(&format!("read_flows/{case}.out"), &transcript(&out));
        out
    };
    let out = golden(
        &format!("{NAME}.json"),
        &["read", file, "--flows", "--json"],
    );
    let flow = flow_json(&out);
    let bad = BAD_CLIENT.len() as u64 + 1;
    assert_eq!(flow["bad_checksums"], bad, "{flow}");
    let history = flow["history"].as_str().unwrap();
    // The originator's C at its 1st and 10th bad segment, the responder's c once.
    assert_eq!(history.matches('C').count(), 2, "{history}");
    assert_eq!(history.matches('c').count(), 1, "{history}");
    // `reading from file …` and the summary: no offload message.
    assert!(
        String::from_utf8_lossy(&out.stderr).lines().count() == 2,
        "no offload message"
    );
    golden(NAME, &["read", file, "--flows", "--timeline"]);

    // -K: nothing is verified, nothing counted.
    let out = golden(
        &format!("{NAME}.K.json"),
        &["read", file, "--flows", "--json", "-K"],
    );
    let flow = flow_json(&out);
    assert_eq!(flow["bad_checksums"], 0);
    assert!(!flow["history"].as_str().unwrap().contains(['c', 'C']));
}

/// Our count agrees with tshark's (`tcp.checksum.status == 0`: bad).
#[test]
fn bad_segment_count_matches_tshark() {
    let file = capture_path();
    let Ok(t) = Command::new("tshark")
        .args(["-n", "-o", "tcp.check_checksum:TRUE", "-r"])
        .arg(&file)
        .args([
            "-Y",
            "tcp.checksum.status == 0",
            "-T",
            "fields",
            "-e",
            "frame.number",
        ])
        .output()
    else {
        eprintln!("skipped: tshark is not installed");
        return;
    };
    let tshark_bad = String::from_utf8_lossy(&t.stdout).lines().count() as u64;
    let out = sockscope(&["read", file.to_str().unwrap(), "--flows", "--json"]);
    assert_eq!(flow_json(&out)["bad_checksums"], tshark_bad);
    assert_eq!(tshark_bad, BAD_CLIENT.len() as u64 + 1);
}

/// The demo captures were recorded on `lo`, where the kernel never fills
/// in TCP/UDP checksums: offload is detected, said once, and no flow gets
/// `c`; forcing the check shows what it would have done.
#[test]
fn loopback_demo_captures_are_offload_not_corruption() {
    for name in ["demo_tcp", "demo_udp", "demo_chat"] {
        let file = support::capture(&format!("{name}.pcap"));
        let file = file.to_str().unwrap();
        let out = sockscope(&["read", file, "--flows", "--json"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            stderr
                .matches("checksum offload? not counting bad checksums")
                .count(),
            1,
            "{name}: {stderr}"
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        for line in stdout.lines() {
            let flow: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(flow["bad_checksums"], 0, "{name}: {line}");
            assert!(
                !flow["history"].as_str().unwrap().contains(['c', 'C']),
                "{name}: {line}"
            );
        }
        if name == "demo_tcp" {
            let forced = sockscope(&["read", file, "--flows", "--json", "--verify-checksums"]);
            assert!(String::from_utf8_lossy(&forced.stdout).contains("\"history\":\"C"));
            assert!(!String::from_utf8_lossy(&forced.stderr).contains("offload"));
        }
    }
}
