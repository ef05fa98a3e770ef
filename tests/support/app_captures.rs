//! What the application-protocol capture generators share: a message in a
//! UDP or TCP frame between a client and a server, a capture of such frames
//! (some cut by a snap length), and the differential check that reads a
//! capture with both `sockscope read` and `tcpdump -n -r` at several `-v`
//! levels and reports the first line that differs. The per-protocol
//! generators (`ntp_captures`, `bootp_captures`, …) only write messages.

use super::bin::{require_tool, sockscope, text};
use super::dns_captures::mutate;
use super::frames::Above::Udp;
use super::frames::Eth;
use super::inspect_captures::T0;
use super::pcap::{Layout, Record, write_pcap};
use super::rng::Rng;
use std::borrow::Cow;
use std::process::Command;

pub const CLIENT: Eth = Eth {
    src: [0x02, 0, 0, 0, 0, 0x0c],
    dst: [0x02, 0, 0, 0, 0, 0x05],
    ttl: 64,
};
pub const SERVER: Eth = Eth {
    src: [0x02, 0, 0, 0, 0, 0x05],
    dst: [0x02, 0, 0, 0, 0, 0x0c],
    ttl: 64,
};

/// One frame and how much of it the capture keeps (`None`: all).
pub struct Frame {
    pub bytes: Vec<u8>,
    pub snap: Option<usize>,
}

/// `f` cut at every length from `from` bytes to one short of whole.
pub fn cuts(f: &[u8], from: usize) -> impl Iterator<Item = Frame> + '_ {
    (from..f.len()).map(|keep| Frame {
        bytes: f.to_vec(),
        snap: Some(keep),
    })
}

/// Where frames start: Ethernet, IPv4 and UDP headers.
pub const UDP_HEADERS: usize = 14 + 20 + 8;

/// A UDP datagram between 192.0.2.1:`client` and 192.0.2.2:`server`.
/// The hand-written messages as owned byte strings.
pub fn owned(messages: &[&[u8]]) -> Vec<Vec<u8>> {
    messages.iter().map(|m| m.to_vec()).collect()
}

/// `prefix`, 300 `a`s and `suffix`: longer than any field a printer shows whole.
pub fn long_message(prefix: &[u8], suffix: &[u8]) -> Vec<u8> {
    [prefix, &[b'a'; 300], suffix].concat()
}

pub fn udp(to_server: bool, client: u16, server: u16, message: &[u8]) -> Frame {
    let (a, b) = ("192.0.2.1", "192.0.2.2");
    let bytes = if to_server {
        CLIENT.frame(a, b, Udp(client, server), message)
    } else {
        SERVER.frame(b, a, Udp(server, client), message)
    };
    Frame { bytes, snap: None }
}

/// The same, with only `keep` bytes of the message captured.
pub fn udp_cut(to_server: bool, client: u16, server: u16, message: &[u8], keep: usize) -> Frame {
    Frame {
        snap: Some(UDP_HEADERS + keep),
        ..udp(to_server, client, server, message)
    }
}

/// A UDP datagram between two given endpoints (DHCP's broadcasts).
pub fn udp_between(from: (&str, u16), to: (&str, u16), message: &[u8]) -> Frame {
    let eth = if from.1 < to.1 { SERVER } else { CLIENT };
    Frame {
        bytes: eth.frame(from.0, to.0, Udp(from.1, to.1), message),
        snap: None,
    }
}

/// `damaged` datagrams, each a seed message damaged by the seeded
/// generator, to the seed's port.
pub fn damaged(seed: u64, messages: &[(bool, u16, Vec<u8>)], damaged: usize) -> Vec<Frame> {
    let mut rng = Rng(seed);
    (0..damaged)
        .filter_map(|_| {
            let (to_server, port, m) = messages.get(rng.below(messages.len()))?;
            Some(udp(*to_server, 40000, *port, &mutate(&mut rng, m)))
        })
        .collect()
}

/// A classic pcap of `frames`, one per millisecond from the shared epoch.
pub fn capture(frames: &[Frame]) -> Vec<u8> {
    let records = frames.iter().enumerate().map(|(i, f)| {
        let keep = f.snap.unwrap_or(f.bytes.len()).min(f.bytes.len());
        Record {
            ts_sec: (T0 + i as u64 / 1000) as u32,
            ts_frac: (i as u32 % 1000) * 1000,
            data: Cow::Borrowed(f.bytes.get(..keep).unwrap_or(&[])),
            orig_len: f.bytes.len() as u32,
        }
    });
    write_pcap(Layout::new(1, 65535), records)
}

/// The first line that differs, with its number, for a readable failure.
pub fn first_difference(ours: &str, theirs: &str) -> Option<String> {
    let (mut a, mut b) = (ours.lines(), theirs.lines());
    for n in 1.. {
        match (a.next(), b.next()) {
            (None, None) => return None,
            (x, y) if x == y => continue,
            (x, y) => {
                return Some(format!(
                    "line {n}:\n  sockscope: {}\n  tcpdump:   {}",
                    x.unwrap_or("<none>"),
                    y.unwrap_or("<none>")
                ));
            }
        }
    }
    None
}

/// `sockscope read PATH LEVEL` and `tcpdump -n -r PATH LEVEL` (TZ=UTC)
/// print the same lines at each level ("" is the default line); tcpdump
/// must print at least `min_lines`. Returns the lines compared per level;
/// `None` when tcpdump is missing (and not required).
pub fn compare_with_tcpdump(path: &str, levels: &[&str], min_lines: usize) -> Option<Vec<usize>> {
    if !require_tool("tcpdump") {
        return None;
    }
    let mut counts = Vec::new();
    for level in levels {
        // A level may be several flags (`-e -v`).
        let flags = level.split_whitespace();
        let args: Vec<&str> = ["read", path].into_iter().chain(flags.clone()).collect();
        let ours = sockscope(&args);
        assert!(ours.status.success(), "{}", text(&ours.stderr));
        let mut cmd = Command::new("tcpdump");
        cmd.args(["-n", "-r", path]).args(flags).env("TZ", "UTC");
        let theirs = cmd.output().expect("tcpdump runs");
        let (ours, theirs) = (text(&ours.stdout), text(&theirs.stdout));
        let lines = theirs.lines().count();
        assert!(
            lines >= min_lines,
            "tcpdump printed {lines} lines of {path}"
        );
        if let Some(diff) = first_difference(&ours, &theirs) {
            panic!("{path} {level}: sockscope differs from tcpdump at {diff}");
        }
        counts.push(lines);
    }
    eprintln!("{path}: identical to tcpdump, lines per level {levels:?}: {counts:?}");
    Some(counts)
}

/// Ethernet `frames`, each whole and then cut at every length, written
/// to a temporary `name`, print what tcpdump prints at every level of
/// `levels`, more than `min` lines in all (`what` names them); the lines
/// compared, 0 when tcpdump is missing.
pub fn ethernet_cuts_equal_tcpdump(
    (name, what): (&str, &str),
    frames: &[Vec<u8>],
    levels: &[&str],
    min: usize,
) -> usize {
    let bytes = super::link_captures::capture(1, frames, usize::MAX);
    let path = super::temp_file(name, bytes);
    let Some(counts) = compare_with_tcpdump(&path.to_string_lossy(), levels, frames.len()) else {
        return 0;
    };
    let total: usize = counts.iter().sum();
    eprintln!("{what}: {total} lines identical to tcpdump's");
    assert!(total > min, "{what}: only {total} lines compared");
    total
}

/// Seeds of Ethernet frames, damaged `rounds` times (seeded `seed`)
/// through every stage as [`damaged_frames_through_every_stage`] puts
/// them; `what` names them in the report.
pub fn damaged_ethernet_frames(what: &str, frames: Vec<Vec<u8>>, rounds: usize, seed: u64) {
    let seeds: Vec<(u32, Vec<u8>)> = frames.into_iter().map(|f| (1, f)).collect();
    let (slowest, longest) = damaged_frames_through_every_stage(&seeds, rounds, seed);
    eprintln!("{rounds} damaged {what}: slowest {slowest:?}, longest line {longest} bytes");
}

/// Ethernet, IPv4 and TCP headers (no options).
pub const TCP_HEADERS: usize = 14 + 20 + 20;

/// A TCP segment (PSH, ACK) between 192.0.2.1:`client` and
/// 192.0.2.2:`server` at sequence number `seq`.
pub fn tcp(to_server: bool, client: u16, server: u16, seq: u32, payload: &[u8]) -> Frame {
    let ends = ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap());
    tcp_between(ends, to_server, (client, server), seq, payload)
}

/// The same between two given addresses (`ends`: client, server; both
/// IPv4 or both IPv6).
pub fn tcp_between(
    ends: (std::net::IpAddr, std::net::IpAddr),
    to_server: bool,
    (client, server): (u16, u16),
    seq: u32,
    payload: &[u8],
) -> Frame {
    use std::net::IpAddr::{V4, V6};
    let (c, s) = ends;
    let (eth, src, dst, sp, dp) = if to_server {
        (CLIENT, c, s, client, server)
    } else {
        (SERVER, s, c, server, client)
    };
    let link = etherparse::PacketBuilder::ethernet2(eth.src, eth.dst);
    let ip = match (src, dst) {
        (V4(a), V4(b)) => link.ipv4(a.octets(), b.octets(), 64),
        (V6(a), V6(b)) => link.ipv6(a.octets(), b.octets(), 64),
        _ => panic!("one IP version for both ends: {src} {dst}"),
    };
    let mut bytes = Vec::new();
    ip.tcp(sp, dp, seq, 512)
        .psh()
        .ack(1)
        .write(&mut bytes, payload)
        .expect("the frame builds");
    Frame { bytes, snap: None }
}

/// A datagram from 40000 to `port` over IPv4 (192.0.2.1 to 192.0.2.2) or
/// IPv6 (2001:db8::1 to 2001:db8::2): for the printers tcpdump tells the
/// IP version (AODV, OLSR).
pub fn udp_over(v6: bool, port: u16, message: &[u8]) -> Frame {
    if v6 {
        udp_between(("2001:db8::1", 40000), ("2001:db8::2", port), message)
    } else {
        udp(true, 40000, port, message)
    }
}

/// The capture of such a printer: each message over IPv4, then each over
/// IPv6, the first three again from the port (IPv4), then `n / 2`
/// damaged over each version (the generators seeded `seed` and
/// `seed + 1`).
pub fn both_ip_capture(port: u16, messages: &[Vec<u8>], (seed, n): (u64, usize)) -> Vec<u8> {
    let mut frames: Vec<Frame> = [false, true]
        .into_iter()
        .flat_map(|v6| messages.iter().map(move |m| udp_over(v6, port, m)))
        .collect();
    for m in messages.iter().take(3) {
        frames.push(udp(false, 40000, port, m));
    }
    let seeds: Vec<(bool, u16, Vec<u8>)> =
        messages.iter().map(|m| (true, port, m.clone())).collect();
    frames.extend(damaged(seed, &seeds, n / 2));
    let mut rng = Rng(seed + 1);
    for _ in 0..n / 2 {
        let m = &messages[rng.below(messages.len())];
        frames.push(udp_over(true, port, &mutate(&mut rng, m)));
    }
    capture(&frames)
}

/// `first`, then every message over IPv4 and over IPv6 cut at every
/// length (a temporary capture: too large to commit).
pub fn both_ip_cuts(port: u16, messages: &[Vec<u8>], mut first: Vec<Frame>) -> Vec<u8> {
    for v6 in [false, true] {
        let headers = 14 + if v6 { 40 } else { 20 } + 8;
        for m in messages {
            first.extend((0..m.len()).map(|keep| Frame {
                snap: Some(headers + keep),
                ..udp_over(v6, port, m)
            }));
        }
    }
    capture(&first)
}

/// Each message in a datagram between client port 40000 and its port.
pub fn frames_of(messages: &[(bool, u16, Vec<u8>)]) -> Vec<Frame> {
    messages
        .iter()
        .map(|(to_server, port, m)| udp(*to_server, 40000, *port, m))
        .collect()
}

/// `message` from and to each pair of ports: which dissector tcpdump
/// picks when both ports are known.
pub fn between_ports(pairs: &[(u16, u16)], message: &[u8]) -> Vec<Frame> {
    pairs
        .iter()
        .map(|&(from, to)| udp(true, from, to, message))
        .collect()
}

/// The ports sockscope decodes UDP on (tunnels' and plain services'
/// included) and a few it does not, for the tests of a UDP printer's
/// place in tcpdump's order: each sends its message between its own port
/// and every other one.
pub const UDP_PORTS_DECODED: &[u16] = &[
    53, 5353, 525, 69, 67, 68, 520, 654, 500, 4500, 7500, 8500, 161, 162, 123, 88, 750, 3456, 521,
    546, 547, 5359, 6696, 6697, 1645, 1812, 1985, 646, 3503, 3784, 3785, 4784, 6784, 1589, 6343,
    5060, 514, 4342, 319, 320, 30490, 5355, 137, 138, 1701, 4789, 6081, 4790, 8472, 6635, 7, 80,
    443, // OLSR, auto-RP, LMP; ZEP, LWAPP; AppleTalk in UDP's ranges' ends.
    698, 496, 701, 17754, 12223, 12222, 200,
    16639, // HNCP; lwres, zephyr; Broadcom's LI shim.
    8231, 921, 2103, 2104, 49152,
];

/// `message` between `port` and every other port of
/// [`UDP_PORTS_DECODED`], both ways, in a temporary capture `name`:
/// tcpdump and sockscope print the same lines at the default level and
/// `-v` (the protocol tcpdump tries first speaks).
pub fn port_order_equals_tcpdump(name: &str, port: u16, message: &[u8]) {
    let pairs: Vec<(u16, u16)> = UDP_PORTS_DECODED
        .iter()
        .filter(|&&o| o != port)
        .flat_map(|&o| [(o, port), (port, o)])
        .collect();
    let path = super::temp_file(name, capture(&between_ports(&pairs, message)));
    compare_with_tcpdump(&path.to_string_lossy(), &["", "-v"], pairs.len());
}

/// The capture of a UDP printer's tests: each of `messages`, those of
/// `replies` again from the port, the one at `cut` cut at every length,
/// then `n` damaged copies from the generator seeded `seed`.
pub fn udp_port_capture(
    port: u16,
    messages: &[(bool, u16, Vec<u8>)],
    replies: std::ops::Range<usize>,
    cut: usize,
    (seed, n): (u64, usize),
) -> Vec<u8> {
    let mut frames: Vec<Frame> = frames_of(messages);
    for (_, _, m) in messages.get(replies).unwrap_or(&[]) {
        frames.push(udp(false, 40000, port, m));
    }
    if let Some((_, _, m)) = messages.get(cut) {
        for keep in 0..m.len() {
            frames.push(udp_cut(true, 40000, port, m, keep));
        }
    }
    frames.extend(damaged(seed, messages, n));
    capture(&frames)
}

/// `message` between the server's port and each of `others`, both ways
/// (from `other` to `server`, from `client` to `other`).
pub fn around_ports(others: &[u16], client: u16, server: u16, message: &[u8]) -> Vec<Frame> {
    let pairs: Vec<(u16, u16)> = others
        .iter()
        .flat_map(|&other| [(other, server), (client, other)])
        .collect();
    between_ports(&pairs, message)
}

/// A (damaged) frame through every stage `read` puts it through: the
/// decoder, the checksums, each of `printers`, the JSON and the flow view.
/// Returns the longest line printed.
pub fn through_every_stage(
    printers: &mut [sockscope::output::packet::LinePrinter],
    pkt: &sockscope::packet::Packet<'_>,
    index: u64,
) -> usize {
    use sockscope::decode::flow_view::FlowPacket;
    let mut d = sockscope::decode::decode(pkt);
    d.checksums = sockscope::decode::checksum::verify(pkt);
    let mut sink = Vec::new();
    let mut longest = 0;
    for p in printers.iter_mut() {
        sink.clear();
        p.write_packet(&mut sink, pkt, &d, None).unwrap();
        longest = longest.max(sink.len());
    }
    sink.clear();
    sockscope::output::json::write_packet(&mut sink, index, pkt, &d, &[]).unwrap();
    let _ = FlowPacket::from_frame_payload(pkt.ts, pkt.link, pkt.data);
    if let Some(lax) = d.lax.as_ref().filter(|l| l.stop_err.is_none()) {
        let _ = FlowPacket::from_lax_payload(pkt.ts, lax);
    }
    longest
}

/// Each segment `(to_server, payload, snap)` on a TCP connection of its
/// own (client ports from 40001) to `server`, `snap` bytes of its payload
/// kept when given.
pub fn tcp_each(server: u16, segments: &[(bool, Vec<u8>, Option<usize>)]) -> Vec<Frame> {
    (40001u16..)
        .zip(segments)
        .map(|(client, (to_server, m, snap))| Frame {
            snap: snap.map(|n| TCP_HEADERS + n),
            ..tcp(*to_server, client, server, 1000, m)
        })
        .collect()
}

/// Each message in a TCP segment of its own connection to `server` (client
/// ports from 40001), then `n` damaged copies (the generator seeded
/// `seed`), each on the connection from 40000.
pub fn tcp_messages_and_damaged(
    server: u16,
    messages: &[(bool, u16, Vec<u8>)],
    n: usize,
    seed: u64,
) -> Vec<u8> {
    let segments: Vec<_> = messages
        .iter()
        .map(|(to_server, _, m)| (*to_server, m.clone(), None))
        .collect();
    let mut frames = tcp_each(server, &segments);
    let mut rng = super::rng::Rng(seed);
    for _ in 0..n {
        let (to_server, _, m) = &messages[rng.below(messages.len())];
        frames.push(tcp(*to_server, 40000, server, 1000, &mutate(&mut rng, m)));
    }
    capture(&frames)
}

/// Every message in a TCP segment to `server`, cut by the snap length at
/// every byte of the message (a temporary capture: too large to commit).
pub fn tcp_cuts(server: u16, messages: &[(bool, u16, Vec<u8>)]) -> Vec<u8> {
    let frames: Vec<Frame> = messages
        .iter()
        .flat_map(|(to_server, _, m)| {
            (0..m.len()).map(move |keep| Frame {
                snap: Some(TCP_HEADERS + keep),
                ..tcp(*to_server, 40000, server, 1000, m)
            })
        })
        .collect();
    capture(&frames)
}

/// Every message in a UDP datagram to or from its port, cut by the snap
/// length at every byte of the message (a temporary capture: too large
/// to commit).
pub fn udp_cuts(messages: &[(bool, u16, Vec<u8>)]) -> Vec<u8> {
    let frames: Vec<Frame> = messages
        .iter()
        .flat_map(|(to_server, port, m)| {
            (0..m.len()).map(move |keep| udp_cut(*to_server, 40000, *port, m, keep))
        })
        .collect();
    capture(&frames)
}

/// Every message cut at every length ([`udp_cuts`]) in a temporary
/// capture `name`, compared with tcpdump at each of `levels`.
pub fn udp_cuts_equal_tcpdump(
    name: &str,
    messages: &[(bool, u16, Vec<u8>)],
    levels: &[&str],
    min_lines: usize,
) -> Option<Vec<usize>> {
    let path = super::temp_file(name, udp_cuts(messages));
    compare_with_tcpdump(&path.to_string_lossy(), levels, min_lines)
}

/// The messages' bytes alone (the mutation and fuzz tests' seeds).
pub fn payloads(messages: Vec<(bool, u16, Vec<u8>)>) -> Vec<Vec<u8>> {
    messages.into_iter().map(|(_, _, m)| m).collect()
}

/// Every message cut at every length ([`tcp_cuts`]) in a temporary
/// capture `name`, compared with tcpdump at each of `levels`.
pub fn tcp_cuts_equal_tcpdump(
    name: &str,
    server: u16,
    messages: &[(bool, u16, Vec<u8>)],
    levels: &[&str],
    min_lines: usize,
) {
    let path = super::temp_file(name, tcp_cuts(server, messages));
    compare_with_tcpdump(&path.to_string_lossy(), levels, min_lines);
}

/// The committed capture `dissect_{golden}.pcap` is the generator's
/// `bytes`; every level of `levels` equals tcpdump (which prints at least
/// `min_lines`); the goldens of the default line, `-v` and `--json` hold.
pub fn check_dissect_capture(golden: &str, bytes: &[u8], levels: &[&str], min_lines: usize) {
    let name = format!("dissect_{golden}.pcap");
    super::golden::check_generated(&name, bytes);
    let p = super::capture(&name).to_string_lossy().into_owned();
    compare_with_tcpdump(&p, levels, min_lines);
    for (suffix, flag) in [("", None), ("_v", Some("-v")), ("_json", Some("--json"))] {
        let args: Vec<&str> = ["read", p.as_str()].into_iter().chain(flag).collect();
        super::golden::check_run(&format!("dissect/{golden}{suffix}.out"), &args);
    }
}

/// `read --json` of the committed capture `name` has each of `keys`.
pub fn json_has(name: &str, keys: &[&str]) {
    let p = super::capture(name).to_string_lossy().into_owned();
    let json = text(&sockscope(&["read", &p, "--json"]).stdout);
    for key in keys {
        assert!(json.contains(key), "{name}: no {key}");
    }
}

/// `rounds` damaged copies of the frames `seeds` (each with its link
/// type) through every stage at each level with and without `-e`
/// ([`through_every_stage`]), from the generator seeded `seed`: no
/// panic, no loop, lines of bounded length, memory flat
/// ([`super::alloc_meter::Flat`]: each frame's peak bounded by its size,
/// nothing kept from frame to frame). Returns the slowest frame's time
/// and the longest line.
pub fn damaged_frames_through_every_stage(
    seeds: &[(u32, Vec<u8>)],
    rounds: usize,
    seed: u64,
) -> (std::time::Duration, usize) {
    frames_through_every_stage(rounds, seed, |rng, round| {
        let (link, seed) = &seeds[round % seeds.len()];
        (*link, super::dns_captures::mutate(rng, seed))
    })
}

/// `rounds` frames made by `frame` (from the generator seeded `seed` and
/// the round: a link type and the bytes) through every stage as
/// [`damaged_frames_through_every_stage`] puts them: a test that damages
/// a message before framing it (a PDU in a TCP segment) hands its own.
pub fn frames_through_every_stage(
    rounds: usize,
    seed: u64,
    mut frame: impl FnMut(&mut super::rng::Rng, usize) -> (u32, Vec<u8>),
) -> (std::time::Duration, usize) {
    use super::alloc_meter::{Flat, Meter};
    use super::cpu_clock::{CpuStopwatch, assert_fast};
    use sockscope::output::packet::{LineOptions, LinePrinter};
    use sockscope::output::time::TimeFormat;
    use sockscope::packet::{LinkType, Packet, Timestamp};
    use std::time::Duration;
    let printers = || -> Vec<LinePrinter> {
        (0..6)
            .map(|i| {
                let mut o = LineOptions::new(TimeFormat::Abs, (i % 3) as u8);
                o.link_header = i >= 3;
                LinePrinter::new(o)
            })
            .collect()
    };
    let mut printers_now = printers();
    let mut rng = super::dns_captures::rng(seed);
    let (mut slowest, mut longest) = (Duration::ZERO, 0);
    // The printers remember each TCP conversation's first sequence numbers
    // (tcpdump's relative numbers, a table bounded at a million
    // conversations): state kept from frame to frame by design, at most
    // one conversation a frame. They are made anew every `BATCH` frames
    // and what they held must then be given back; within a batch they may
    // hold `BATCH` conversations in each of the 6 printers' tables, up to
    // ~100 bytes each (an IPv6 key, hash table slack).
    const BATCH: usize = 4096;
    let mut memory = Flat::holding(BATCH * 6 * 100);
    for round in 0..rounds {
        if round > 0 && round % BATCH == 0 {
            let meter = Meter::start();
            printers_now = printers();
            memory.settle(&meter);
        }
        let (link, data) = frame(&mut rng, round);
        let pkt = Packet {
            ts: Timestamp(round as u64 * 1000),
            stamp: None,
            link: LinkType::from_number(link),
            data: &data,
            orig_len: data.len() as u32 + (round % 3) as u32 * 20,
        };
        let started = CpuStopwatch::start();
        let meter = Meter::start();
        let line = through_every_stage(&mut printers_now, &pkt, round as u64);
        memory.record(&meter, &data, line);
        longest = longest.max(line);
        slowest = slowest.max(started.elapsed());
    }
    assert!(longest < 64 * 1024, "a line of {longest} bytes");
    assert_fast(slowest, "frame");
    eprintln!("{rounds} frames from seed {seed:#x}: {}", memory.summary());
    (slowest, longest)
}

/// tcpdump's lines of `path` at `level` (flags split on spaces), checked
/// for `kinds`: each piece of a line must be on at least that many lines,
/// so that a comparison cannot pass having compared nothing of a kind.
/// The number of lines.
pub fn assert_kinds(path: &str, level: &str, kinds: &[(&str, usize)]) -> usize {
    let flags: Vec<&str> = level.split_whitespace().collect();
    let out = super::bin::tcpdump(path, &flags);
    assert!(out.status.success(), "tcpdump: {}", text(&out.stderr));
    let lines = text(&out.stdout);
    for (kind, fewest) in kinds {
        let n = lines.lines().filter(|l| l.contains(kind)).count();
        assert!(
            n >= *fewest,
            "{path} {level}: {n} lines hold {kind:?}, fewer than {fewest}:\n{lines}"
        );
    }
    lines.lines().count()
}
