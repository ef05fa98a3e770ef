//! The generator of the TCP scenario captures (`captures/tcp_*.pcap` but
//! `tcp_lossy.pcap`): one small Ethernet pcap per scenario, built with
//! etherparse's PacketBuilder from sequence numbers relative to each side's
//! ISN. `tests/flow_scenarios.rs` checks the committed files against it.

use super::frames::with_flags;
use super::pcap::{Layout, Record, write_pcap};
use etherparse::{PacketBuilder, TcpOptionElement};
use std::borrow::Cow;

pub const BASE_SECS: u64 = 1_700_000_000;
const CLIENT_ISN: u32 = 1_000_000;
const SERVER_ISN: u32 = 3_000_000_000;

/// One generated capture: (microseconds since BASE_SECS, frame bytes).
pub struct Capture {
    pub name: &'static str,
    pub frames: Vec<(u64, Vec<u8>)>,
}

/// Builds a client (10.0.0.1:40000) ↔ server (10.0.0.2:80) conversation with
/// sequence numbers given relative to each side's ISN.
struct Conv {
    t_us: u64,
    frames: Vec<(u64, Vec<u8>)>,
    wscale: bool,
}

impl Conv {
    fn new(wscale: bool) -> Self {
        Conv {
            t_us: 0,
            frames: Vec::new(),
            wscale,
        }
    }

    /// `flags`: any of S A F R P. `seq` is relative to the sender's ISN, `ack`
    /// to the receiver's. `skip` builds the time step but leaves the frame out
    /// (a segment lost before the capture point).
    #[allow(clippy::too_many_arguments)]
    fn seg_full(
        &mut self,
        dt_us: u64,
        from_client: bool,
        flags: &str,
        seq: u32,
        ack: u32,
        len: usize,
        win: u16,
        skip: bool,
    ) {
        self.t_us += dt_us;
        // (MAC, IPv4 address, port, ISN) of the sender and of the receiver.
        let client = ([2, 0, 0, 0, 0, 1], [10, 0, 0, 1], 40000, CLIENT_ISN);
        let server = ([2, 0, 0, 0, 0, 2], [10, 0, 0, 2], 80, SERVER_ISN);
        let (from, to) = if from_client {
            (client, server)
        } else {
            (server, client)
        };
        let ((smac, sip, sp, isn), (dmac, dip, dp, peer_isn)) = (from, to);
        // With window scaling on, segments after the SYN carry the window >> 7.
        let win = if self.wscale && !flags.contains('S') {
            win >> 7
        } else {
            win
        };
        let b = PacketBuilder::ethernet2(smac, dmac).ipv4(sip, dip, 64).tcp(
            sp,
            dp,
            isn.wrapping_add(seq),
            win,
        );
        let mut b = with_flags(b, flags);
        if flags.contains('S') {
            let mut opts = vec![TcpOptionElement::MaximumSegmentSize(1460)];
            if self.wscale {
                opts.push(TcpOptionElement::WindowScale(7));
            }
            b = b.options(&opts).expect("options fit");
        }
        if flags.contains('A') {
            b = b.ack(peer_isn.wrapping_add(ack));
        }
        let payload = vec![b'x'; len];
        let mut out = Vec::with_capacity(b.size(len));
        b.write(&mut out, &payload).expect("write frame");
        if !skip {
            self.frames.push((self.t_us, out));
        }
    }
}

/// Every scenario, in a fixed order: name, window scaling on the SYNs, and
/// the segments as they cross the capture point, one a step:
///
/// `+DT DIR FLAGS SEQ/ACK [LEN] [w=WIN] [lost]`: DT microseconds after the
/// previous step; `>` client to server, `<` back; flags of S A F R P; SEQ
/// relative to the sender's ISN and ACK to the receiver's; payload length
/// (0); window (client 64240, server 65160); `lost`: sent but dropped
/// before the capture point, so it takes its time step and leaves no frame.
const SCENARIOS: &[(&str, bool, &[&str])] = &[
    // Open, one exchange each way, four-way close initiated by the client.
    (
        "tcp_normal",
        true,
        &[
            HANDSHAKE,
            "+200 > PA 1/1 5; +100 < A 1/6; +300 < PA 1/6 5; +100 > A 6/6
             +1000 > FA 6/6; +100 < A 6/7; +200 < FA 6/7; +100 > A 7/7",
        ],
    ),
    // Connection refused: SYN answered by RST/ACK.
    ("tcp_refused", true, &["+0 > S 0/0; +80 < RA 0/1"]),
    // Abortive close: data both ways, then the client resets.
    (
        "tcp_abort",
        true,
        &[
            HANDSHAKE,
            "+200 > PA 1/1 10; +100 < A 1/11; +300 < PA 1/11 20; +500 > RA 11/21",
        ],
    ),
    // Half close: the client sends FIN first, the server keeps sending data.
    (
        "tcp_half_close",
        true,
        &[
            HANDSHAKE,
            "+200 > FA 1/1; +100 < A 1/2; +300 < PA 1/2 100; +100 > A 2/101
             +300 < PA 101/2 100; +100 > A 2/201; +500 < FA 201/2; +100 > A 2/202",
        ],
    ),
    // Simultaneous open: both SYNs cross, then both SYN/ACKs.
    (
        "tcp_simultaneous_open",
        true,
        &[
            "+0 > S 0/0; +10 < S 0/0; +100 > SA 0/1; +10 < SA 0/1; +200 > PA 1/1 4
         +100 < A 1/5; +300 > FA 5/1; +100 < A 1/6; +200 < FA 1/6; +100 > A 6/2",
        ],
    ),
    // Simultaneous close: both FINs cross (neither acknowledges the other's FIN).
    (
        "tcp_simultaneous_close",
        true,
        &[
            HANDSHAKE,
            "+200 > PA 1/1 3; +100 < A 1/4; +1000 > FA 4/1; +10 < FA 1/4
             +100 > A 5/2; +10 < A 2/5",
        ],
    ),
    // Capture starts mid-stream: no SYN, data both ways, then a normal close.
    (
        "tcp_mid_stream",
        true,
        &[
            "+0 > PA 5001/7001 10; +100 < A 7001/5011; +300 < PA 7001/5011 20
         +100 > A 5011/7021; +1000 > FA 5011/7021; +100 < FA 7021/5012; +100 > A 5012/7022",
        ],
    ),
    // The first SYNs go unanswered: retransmitted after 1 s and 2 s more.
    (
        "tcp_syn_retransmit",
        true,
        &[
            "+0 > S 0/0; +1000000 > S 0/0; +2000000 > S 0/0; +150 < SA 0/1; +50 > A 1/1
         +100 > PA 1/1 8; +100 < A 1/9; +500 > FA 9/1; +100 < FA 1/10; +100 > A 10/2",
        ],
    ),
    // Loss and its repair: previous segment not captured, duplicate ACKs, fast
    // retransmission, retransmission after a timeout, spurious retransmission,
    // out-of-order.
    (
        "tcp_analysis_loss",
        true,
        &[
            HANDSHAKE,
            "+1000 > PA 1/1 1000; +100 > PA 1001/1 1000 lost; +100 > PA 2001/1 1000
             +100 > PA 3001/1 1000; +100 > PA 4001/1 1000
             +5000 < A 1/1001; +100 < A 1/1001; +100 < A 1/1001; +100 < A 1/1001
             +1000 > PA 1001/1 1000; +5000 < A 1/5001; +1000 > PA 5001/1 1000
             +300000 > PA 5001/1 1000; +5000 < A 1/6001; +50000 > PA 5001/1 1000
             +5000 < A 1/6001; +10000 > PA 7001/1 1000; +10 > PA 6001/1 1000
             +5000 < A 1/8001; +1000 > FA 8001/1; +100 < FA 1/8002; +100 > A 8002/2",
        ],
    ),
    // Windows: window full, zero window, window update, keep-alive (and its
    // ACK), and an ACK for data the capture never saw. No window scaling.
    (
        "tcp_analysis_window",
        false,
        &["+0 > S 0/0 w=8192; +100 < SA 0/1 w=4000; +40 > A 1/1 w=8192
         +100 > PA 1/1 1000 w=8192; +100 > PA 1001/1 1000 w=8192
         +100 > PA 2001/1 1000 w=8192; +100 > PA 3001/1 1000 w=8192
         +5000 < A 1/4001 w=0; +100000 < A 1/4001 w=2000; +1000 > PA 4001/1 500 w=8192
         +5000 < A 1/4501 w=2000; +30000000 > A 4500/1 w=8192; +100 < A 1/4501 w=2000
         +1000 > PA 4501/1 1000 w=8192 lost; +5000 < A 1/5501 w=2000
         +1000 > FA 5501/1 w=8192; +100 < FA 1/5502 w=2000; +100 > A 5502/2 w=8192"],
    ),
];

/// The three-way handshake most scenarios open with.
const HANDSHAKE: &str = "+0 > S 0/0; +120 < SA 0/1; +40 > A 1/1\n";

/// Play one scenario's steps (see [`SCENARIOS`]).
fn play(wscale: bool, parts: &[&str]) -> Vec<(u64, Vec<u8>)> {
    let mut conv = Conv::new(wscale);
    let steps = parts.iter().flat_map(|p| p.split([';', '\n']));
    for step in steps.map(str::trim).filter(|s| !s.is_empty()) {
        let bad = || -> ! { panic!("bad scenario step {step:?}") };
        let mut words = step.split_whitespace();
        let mut next = || words.next().unwrap_or_else(|| bad());
        let dt = next().strip_prefix('+').and_then(|t| t.parse().ok());
        let from_client = match next() {
            ">" => true,
            "<" => false,
            _ => bad(),
        };
        let flags = next();
        let seq_ack = next().split_once('/');
        let (Some(dt), Some((seq, ack))) = (dt, seq_ack) else {
            bad()
        };
        let (Ok(seq), Ok(ack)) = (seq.parse(), ack.parse()) else {
            bad()
        };
        let (mut len, mut lost) = (0, false);
        let mut win = if from_client { 64240 } else { 65160 };
        for extra in words {
            match (extra, extra.strip_prefix("w=")) {
                ("lost", _) => lost = true,
                (_, Some(w)) => win = w.parse().unwrap_or_else(|_| bad()),
                _ => len = extra.parse().unwrap_or_else(|_| bad()),
            }
        }
        conv.seg_full(dt, from_client, flags, seq, ack, len, win, lost);
    }
    conv.frames
}

/// Every scenario, in a fixed order.
pub fn scenarios() -> Vec<Capture> {
    SCENARIOS
        .iter()
        .map(|&(name, wscale, steps)| Capture {
            name,
            frames: play(wscale, steps),
        })
        .collect()
}

/// The scenarios' names, in order (each is `captures/NAME.pcap`).
pub fn scenario_names() -> Vec<&'static str> {
    scenarios().iter().map(|c| c.name).collect()
}

/// The pcap file bytes of a generated capture (little endian, microseconds).
pub fn pcap_bytes(c: &Capture) -> Vec<u8> {
    write_pcap(
        Layout::new(1, 65535),
        c.frames.iter().map(|(us, data)| Record {
            ts_sec: (BASE_SECS + us / 1_000_000) as u32,
            ts_frac: (us % 1_000_000) as u32,
            data: Cow::Borrowed(data),
            orig_len: data.len() as u32,
        }),
    )
}
