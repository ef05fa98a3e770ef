//! The bodies of the fuzz targets, shared by the libFuzzer binaries
//! (`tests/fuzz/fuzz_targets/`, built by cargo-fuzz on the stable toolchain)
//! and by the corpus replay test (`tests/fuzz_corpora.rs`), so that CI runs
//! every committed seed and every crash regression through exactly the code
//! the fuzzer ran. Each target swallows errors (bad input is normal input)
//! and panics only where the code under test does.

#![allow(dead_code)]

use sockscope::dissect::tls::stream;
use sockscope::dissect::{self, Payload, http_message};
use sockscope::filter::Filter;
use sockscope::flow::pdu::{PduLimits, Pdus};
use sockscope::flow::{FlowConfig, FlowPacket, FlowTracker, Proto};
use sockscope::output::flows::json::write_flows_json;
use sockscope::output::flows::table::write_flow_table;
use sockscope::output::flows::timeline::write_timelines;
use sockscope::output::packet::hex::{Dump, DumpKind};
use sockscope::packet::{LinkType, Timestamp};
use sockscope::pipeline::{self, ChecksumMode, OutputConfig};
use sockscope::source::file::FileSource;

/// Every link type sockscope decodes, and one it does not.
const LINKS: [u32; 9] = [0, 1, 101, 108, 113, 228, 229, 276, 147];

/// The output flags a mode byte selects: each bit one flag, so the fuzzer
/// reaches every printer.
fn config(mode: u8) -> OutputConfig {
    OutputConfig {
        verbose: mode & 3,
        dump: Dump {
            kind: if mode & 4 != 0 {
                DumpKind::HexAscii
            } else {
                DumpKind::Off
            },
            link: false,
        },
        json: mode & 8 != 0,
        flows: mode & 16 != 0,
        timeline: mode & 32 != 0,
        absolute_seq: mode & 64 != 0,
        // Forced or off, never the offload guess, whose note on stderr
        // would cost more than the run.
        checksums: if mode & 128 != 0 {
            ChecksumMode::Force
        } else {
            ChecksumMode::Off
        },
        ..OutputConfig::default()
    }
}

fn run_file(bytes: Vec<u8>, cfg: &OutputConfig) {
    let cursor = std::io::Cursor::new(bytes);
    if let Ok(mut src) = FileSource::from_reader("fuzz", Box::new(cursor)) {
        let _ = pipeline::run(&mut src, cfg, &mut std::io::sink());
    }
}

/// A whole capture file through `read`: first byte the output mode, the
/// rest the file (pcap seeds for `pcap`, pcapng seeds for `pcapng`).
pub fn file(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    run_file(rest.to_vec(), &config(mode));
}

/// A pcap file of one link type holding `frames`.
fn pcap_of(link: u32, frames: &[(&[u8], u32)]) -> Vec<u8> {
    let mut f = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    f.extend_from_slice(&262_144u32.to_le_bytes());
    f.extend_from_slice(&link.to_le_bytes());
    for (i, (data, extra)) in frames.iter().enumerate() {
        let caplen = data.len().min(262_144);
        for v in [i as u32, 0, caplen as u32, caplen as u32 + extra] {
            f.extend_from_slice(&v.to_le_bytes());
        }
        f.extend_from_slice(&data[..caplen]);
    }
    f
}

/// One frame through every decoder of a link type: byte 0 picks the link
/// type, byte 1 the output mode (its top bit marks the frame cut by the
/// snap length), the rest is the frame.
pub fn decode(data: &[u8]) {
    let [pick, mode, frame @ ..] = data else {
        return;
    };
    let link = LINKS[usize::from(*pick) % LINKS.len()];
    let cut = u32::from(mode >> 7) * 100;
    run_file(pcap_of(link, &[(frame, cut)]), &config(*mode));
}

/// A filter expression, then a NUL, a link-type byte and a frame: parse,
/// compile to BPF, run both the program and the evaluator on the frame
/// (they must agree), and run the pipeline with the filter.
pub fn filter(data: &[u8]) {
    let (expr, rest) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let Ok(expr) = std::str::from_utf8(expr) else {
        return;
    };
    let Ok(f) = Filter::parse(expr) else {
        return;
    };
    let (pick, frame) = rest.split_first().unwrap_or((&1, &[]));
    let link_no = LINKS[usize::from(*pick) % LINKS.len()];
    let link = LinkType::from_number(link_no);
    let _ = f.to_string();
    let _ = f.check_link(link);
    let orig = frame.len() as u32;
    let eval = f.matches(link, frame, orig);
    if let Ok(prog) = f.compile(link, 262_144) {
        let bpf = sockscope::filter::bpf::run(&prog, frame, orig) != 0;
        assert_eq!(
            bpf, eval,
            "BPF and evaluator disagree on {expr:?} over {link}"
        );
    }
    let cfg = OutputConfig {
        filter: Some(f),
        ..config(*pick)
    };
    run_file(pcap_of(link_no, &[(frame, 0)]), &cfg);
}

/// The flow tracker on a made-up conversation among four hosts: each 12-byte
/// record is one segment (time step, hosts, ports, flags, seq, ack,
/// payload), with a tiny table so that expiry, eviction and the report
/// limit all run; then every flow printer.
pub fn flow(data: &[u8]) {
    let Some((&shape, records)) = data.split_first() else {
        return;
    };
    let mut t = FlowTracker::new(FlowConfig {
        max_flows: usize::from(shape & 15) + 1,
        max_reported: usize::from(shape >> 4) + 1,
        record_events: true,
        max_events_per_flow: 16,
        ..FlowConfig::default()
    });
    let mut now = 0u64;
    for r in records.chunks_exact(12) {
        let [dt, hosts, sp, dp, flags, s0, s1, s2, s3, a0, a1, len] = *r else {
            continue;
        };
        now = now.saturating_add(u64::from(dt).pow(3) * 1_000_000);
        let host = |i: u8| std::net::IpAddr::from([10, 0, 0, i & 3]);
        let proto = match hosts >> 6 {
            0 | 1 => Proto::Tcp,
            2 => Proto::Udp,
            _ => Proto::Icmp,
        };
        let p = FlowPacket {
            ts: Timestamp(now),
            src: host(hosts),
            dst: host(hosts >> 2),
            proto,
            sport: u16::from(sp & 7) + 1000,
            dport: u16::from(dp & 7) + 80,
            seq: sockscope::decode::tcp_seq::SeqNumber(u32::from_le_bytes([s0, s1, s2, s3])),
            ack: sockscope::decode::tcp_seq::SeqNumber(u32::from_le_bytes([a0, a1, s2, s3])),
            flags: sockscope::decode::tcp_flags::TcpFlags::from_bits(flags),
            window: u16::from(dp) * 256,
            wscale: (sp & 8 != 0).then_some(sp >> 4),
            payload_len: u32::from(len),
            ip_len: u32::from(len) + 40,
            bad_checksum: hosts & 0x20 != 0 && len == 0xff,
            service: None,
            icmp: None,
        };
        let _ = t.observe(&p);
    }
    let report = t.finish();
    let mut sink = std::io::sink();
    let _ = write_flow_table(&mut sink, &report);
    let _ = write_flows_json(&mut sink, &report);
    let _ = write_timelines(&mut sink, &report);
}

/// The text protocols of `dissect::txtproto` and their neighbours, by
/// (TCP?, port): FTP, SMTP, WHOIS, RTSP (both ports), SIP over UDP,
/// Telnet, BEEP, IMAP, POP3.
pub const TEXT: &[(bool, u16)] = &[
    (true, 21),
    (true, 25),
    (true, 43),
    (true, 554),
    (true, 8554),
    (false, 5060),
    (true, 23),
    (true, 10288),
    (true, 143),
    (true, 110),
];

/// NetBIOS's name, datagram and session services, and SMB over TCP.
pub const NETBIOS: &[(bool, u16)] = &[(false, 137), (false, 138), (true, 139), (true, 445)];

/// RIP, RIPng, LDP over UDP and TCP, PPTP's control connection,
/// RPKI-RTR and MSDP.
pub const ROUTING: &[(bool, u16)] = &[
    (false, 520),
    (false, 521),
    (false, 646),
    (true, 646),
    (true, 1723),
    (true, 323),
    (true, 639),
];

/// One application message through the dissector of a port: byte 0
/// picks (TCP?, port) from `table`, byte 1 how the declared length
/// differs from the bytes (the capture cut the message, or bytes past
/// the carrier's length), the rest is the message; every `-v` level,
/// the JSON and the service lookup.
pub fn app(table: &[(bool, u16)], data: &[u8]) {
    let [pick, mode, m @ ..] = data else {
        return;
    };
    let (tcp, port) = table[usize::from(*pick) % table.len()];
    let d = if tcp {
        dissect::tcp(40000, port)
    } else {
        dissect::udp(40000, port)
    };
    let d = d.expect("the table names registered ports");
    let p = declared(m, *mode);
    let mut line = Vec::new();
    for verbose in 0..4 {
        line.clear();
        d.write_line(&mut line, &p, verbose);
    }
    assert!((d.json)(&p).is_object());
    let _ = dissect::service(tcp, 40000, port, m);
}

/// `m` with the length its carrier declares, as `mode` sets it: the
/// bytes' own (low bits 0 or 3), longer by `mode >> 2` (1: the capture cut
/// the message) or shorter by it (2: bytes past the carrier's length).
fn declared(m: &[u8], mode: u8) -> Payload<'_> {
    let off = usize::from(mode >> 2);
    let declared_len = match mode & 3 {
        1 => m.len() + off,
        2 => m.len().saturating_sub(off),
        _ => m.len(),
    };
    Payload {
        bytes: m,
        declared_len,
    }
}

pub fn text(data: &[u8]) {
    app(TEXT, data);
}

pub fn netbios(data: &[u8]) {
    app(NETBIOS, data);
}

pub fn routing(data: &[u8]) {
    app(ROUTING, data);
}

/// A message cut into segments at the three offsets `cuts` picks (each
/// byte a fraction of the length; the top bit resends from the previous
/// cut, an overlap), sent from a client to `port` through the reassembly
/// of `flow::pdu`: every completed message through its JSON and `--app`
/// text, and the limits hold after every packet.
fn through_reassembly(port: u16, cuts: [u8; 3], m: &[u8]) {
    let limits = PduLimits::at_most(4, 1 << 20);
    let mut pdus = Pdus::new(limits);
    let mut ends: Vec<usize> = cuts
        .iter()
        .map(|&c| usize::from(c & 0x7f) * m.len() / 0x7f)
        .collect();
    ends.sort_unstable();
    ends.push(m.len());
    let (mut start, mut prev) = (0, 0);
    for (k, (&end, &cut)) in ends.iter().zip(cuts.iter().chain([&0])).enumerate() {
        let from = if cut & 0x80 != 0 { prev } else { start };
        let bytes = m.get(from..end).unwrap_or(&[]);
        let p = FlowPacket {
            ts: Timestamp(k as u64 * 1_000_000),
            src: std::net::IpAddr::from([10, 0, 0, 1]),
            dst: std::net::IpAddr::from([10, 0, 0, 2]),
            proto: Proto::Tcp,
            sport: 40000,
            dport: port,
            seq: sockscope::decode::tcp_seq::SeqNumber(1 + from as u32),
            ack: sockscope::decode::tcp_seq::SeqNumber(1),
            flags: sockscope::decode::tcp_flags::TcpFlags::from_bits(0x18),
            window: 502,
            wscale: None,
            payload_len: bytes.len() as u32,
            ip_len: bytes.len() as u32 + 40,
            bad_checksum: false,
            service: None,
            icmp: None,
        };
        if let Some(c) = pdus.packet(&p, bytes, k as u64) {
            assert!(c.json(&Payload::whole(bytes)).1.is_object());
            let _ = c.app(&Payload::whole(bytes));
        }
        assert!(pdus.open() <= limits.streams && pdus.held() <= limits.memory);
        (prev, start) = (start, end);
    }
}

/// HTTP/1.x body framing (`dissect::http_message`): byte 0 where the
/// framer resumes and the header search starts (and, modulo 3, the
/// request a response there answers), bytes 1 to 3 the
/// segment cuts, the rest a byte stream of messages. The framer from the
/// start and resumed, the message at every offset the byte picks, the
/// `"http"` JSON and line, then the segments through the reassembly.
pub fn http(data: &[u8]) {
    let [at, c0, c1, c2, m @ ..] = data else {
        return;
    };
    let from = usize::from(*at) * m.len() / 255;
    if let Some(f) = dissect::http::framing(m, 0) {
        assert!(f.whole <= m.len() && f.need.is_none_or(|n| n > f.whole));
        let _ = dissect::http::framing(m, from.min(f.resume.max(1)));
    }
    // What a response there answers: the byte's value picks it too.
    let request = [
        http_message::Request::Other,
        http_message::Request::Head,
        http_message::Request::Connect,
    ][usize::from(*at) % 3];
    let s = http_message::span_at(m, from, from, request);
    assert!(s.end.is_none_or(|e| e >= from && e <= m.len()));
    let d = dissect::tcp(40000, 80).expect("HTTP on port 80");
    let mut line = Vec::new();
    for verbose in 0..2 {
        line.clear();
        d.write_line(&mut line, &Payload::whole(m), verbose);
    }
    assert!((d.json)(&Payload::whole(m)).is_object());
    through_reassembly(80, [*c0, *c1, *c2], m);
}

/// The TLS record layer and the handshake joiner
/// (`dissect::tls::stream`): byte 0 the declared-length mode ([`declared`]), bytes 1 to
/// 3 the segment cuts, the rest a TCP payload of records. The records as
/// the payload holds them through the joiner (every joined piece inside
/// the joined buffer, every record index a record) and the boundary
/// follower, the `--app` text and JSON, the framer, and the segments
/// through the reassembly.
pub fn tls(data: &[u8]) {
    let [mode, c0, c1, c2, m @ ..] = data else {
        return;
    };
    let mut recs = Vec::new();
    let mut rest = m;
    while let [ty, _, _, hi, lo, after @ ..] = rest {
        let len = usize::from(u16::from_be_bytes([*hi, *lo])).min(after.len());
        let (body, next) = after.split_at(len);
        recs.push(stream::Rec { ty: *ty, body });
        rest = next;
    }
    let mut joined = Vec::new();
    let mut boundaries = stream::Boundaries::default();
    for r in &recs {
        boundaries.record(r.ty, r.body);
    }
    let _ = boundaries.at_boundary();
    for piece in stream::split(&recs, &mut joined) {
        assert!(piece.record < recs.len());
        if let stream::Body::Joined(range) = piece.body {
            assert!(range.start <= range.end && range.end <= joined.len());
        }
    }
    assert!(joined.len() <= recs.len() * stream::MAX_JOINED);
    let p = declared(m, *mode);
    let h = &dissect::tls::TLS;
    let mut w = Vec::new();
    if (h.dissector.recognise)(m) {
        h.write_app(&mut w, &p);
    }
    assert!((h.dissector.json)(&p).is_object());
    if let Some(f) = dissect::tls::framing(m, 0) {
        assert!(f.whole <= m.len());
    }
    through_reassembly(443, [*c0, *c1, *c2], m);
}
