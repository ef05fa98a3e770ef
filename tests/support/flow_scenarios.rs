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
        let (smac, dmac, sip, dip, sp, dp, isn, peer_isn) = if from_client {
            (
                [2, 0, 0, 0, 0, 1],
                [2, 0, 0, 0, 0, 2],
                [10, 0, 0, 1],
                [10, 0, 0, 2],
                40000,
                80,
                CLIENT_ISN,
                SERVER_ISN,
            )
        } else {
            (
                [2, 0, 0, 0, 0, 2],
                [2, 0, 0, 0, 0, 1],
                [10, 0, 0, 2],
                [10, 0, 0, 1],
                80,
                40000,
                SERVER_ISN,
                CLIENT_ISN,
            )
        };
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
    fn c(&mut self, dt: u64, flags: &str, seq: u32, ack: u32, len: usize) {
        self.seg_full(dt, true, flags, seq, ack, len, 64240, false)
    }
    fn s(&mut self, dt: u64, flags: &str, seq: u32, ack: u32, len: usize) {
        self.seg_full(dt, false, flags, seq, ack, len, 65160, false)
    }
    fn handshake(&mut self) {
        self.c(0, "S", 0, 0, 0);
        self.s(120, "SA", 0, 1, 0);
        self.c(40, "A", 1, 1, 0);
    }
    fn done(self, name: &'static str) -> Capture {
        Capture {
            name,
            frames: self.frames,
        }
    }
}

/// Every scenario, in a fixed order.
pub fn scenarios() -> Vec<Capture> {
    let mut v = Vec::new();

    // Open, one exchange each way, four-way close initiated by the client.
    let mut c = Conv::new(true);
    c.handshake();
    c.c(200, "PA", 1, 1, 5);
    c.s(100, "A", 1, 6, 0);
    c.s(300, "PA", 1, 6, 5);
    c.c(100, "A", 6, 6, 0);
    c.c(1000, "FA", 6, 6, 0);
    c.s(100, "A", 6, 7, 0);
    c.s(200, "FA", 6, 7, 0);
    c.c(100, "A", 7, 7, 0);
    v.push(c.done("tcp_normal"));

    // Connection refused: SYN answered by RST/ACK.
    let mut c = Conv::new(true);
    c.c(0, "S", 0, 0, 0);
    c.s(80, "RA", 0, 1, 0);
    v.push(c.done("tcp_refused"));

    // Abortive close: data both ways, then the client resets.
    let mut c = Conv::new(true);
    c.handshake();
    c.c(200, "PA", 1, 1, 10);
    c.s(100, "A", 1, 11, 0);
    c.s(300, "PA", 1, 11, 20);
    c.c(500, "RA", 11, 21, 0);
    v.push(c.done("tcp_abort"));

    // Half close: the client sends FIN first, the server keeps sending data.
    let mut c = Conv::new(true);
    c.handshake();
    c.c(200, "FA", 1, 1, 0);
    c.s(100, "A", 1, 2, 0);
    c.s(300, "PA", 1, 2, 100);
    c.c(100, "A", 2, 101, 0);
    c.s(300, "PA", 101, 2, 100);
    c.c(100, "A", 2, 201, 0);
    c.s(500, "FA", 201, 2, 0);
    c.c(100, "A", 2, 202, 0);
    v.push(c.done("tcp_half_close"));

    // Simultaneous open: both SYNs cross, then both SYN/ACKs.
    let mut c = Conv::new(true);
    c.c(0, "S", 0, 0, 0);
    c.s(10, "S", 0, 0, 0);
    c.c(100, "SA", 0, 1, 0);
    c.s(10, "SA", 0, 1, 0);
    c.c(200, "PA", 1, 1, 4);
    c.s(100, "A", 1, 5, 0);
    c.c(300, "FA", 5, 1, 0);
    c.s(100, "A", 1, 6, 0);
    c.s(200, "FA", 1, 6, 0);
    c.c(100, "A", 6, 2, 0);
    v.push(c.done("tcp_simultaneous_open"));

    // Simultaneous close: both FINs cross (neither acknowledges the other's FIN).
    let mut c = Conv::new(true);
    c.handshake();
    c.c(200, "PA", 1, 1, 3);
    c.s(100, "A", 1, 4, 0);
    c.c(1000, "FA", 4, 1, 0);
    c.s(10, "FA", 1, 4, 0);
    c.c(100, "A", 5, 2, 0);
    c.s(10, "A", 2, 5, 0);
    v.push(c.done("tcp_simultaneous_close"));

    // Capture starts mid-stream: no SYN, data both ways, then a normal close.
    let mut c = Conv::new(true);
    c.c(0, "PA", 5001, 7001, 10);
    c.s(100, "A", 7001, 5011, 0);
    c.s(300, "PA", 7001, 5011, 20);
    c.c(100, "A", 5011, 7021, 0);
    c.c(1000, "FA", 5011, 7021, 0);
    c.s(100, "FA", 7021, 5012, 0);
    c.c(100, "A", 5012, 7022, 0);
    v.push(c.done("tcp_mid_stream"));

    // The first SYNs go unanswered: retransmitted after 1 s and 2 s more.
    let mut c = Conv::new(true);
    c.c(0, "S", 0, 0, 0);
    c.c(1_000_000, "S", 0, 0, 0);
    c.c(2_000_000, "S", 0, 0, 0);
    c.s(150, "SA", 0, 1, 0);
    c.c(50, "A", 1, 1, 0);
    c.c(100, "PA", 1, 1, 8);
    c.s(100, "A", 1, 9, 0);
    c.c(500, "FA", 9, 1, 0);
    c.s(100, "FA", 1, 10, 0);
    c.c(100, "A", 10, 2, 0);
    v.push(c.done("tcp_syn_retransmit"));

    // Loss and its repair: previous segment not captured, duplicate ACKs, fast
    // retransmission, retransmission after a timeout, spurious retransmission,
    // out-of-order.
    let mut c = Conv::new(true);
    c.handshake();
    c.c(1000, "PA", 1, 1, 1000);
    c.seg_full(100, true, "PA", 1001, 1, 1000, 64240, true); // lost before the capture point
    c.c(100, "PA", 2001, 1, 1000);
    c.c(100, "PA", 3001, 1, 1000);
    c.c(100, "PA", 4001, 1, 1000);
    c.s(5000, "A", 1, 1001, 0);
    c.s(100, "A", 1, 1001, 0);
    c.s(100, "A", 1, 1001, 0);
    c.s(100, "A", 1, 1001, 0);
    c.c(1000, "PA", 1001, 1, 1000);
    c.s(5000, "A", 1, 5001, 0);
    c.c(1000, "PA", 5001, 1, 1000);
    c.c(300_000, "PA", 5001, 1, 1000);
    c.s(5000, "A", 1, 6001, 0);
    c.c(50_000, "PA", 5001, 1, 1000);
    c.s(5000, "A", 1, 6001, 0);
    c.c(10_000, "PA", 7001, 1, 1000);
    c.c(10, "PA", 6001, 1, 1000);
    c.s(5000, "A", 1, 8001, 0);
    c.c(1000, "FA", 8001, 1, 0);
    c.s(100, "FA", 1, 8002, 0);
    c.c(100, "A", 8002, 2, 0);
    v.push(c.done("tcp_analysis_loss"));

    // Windows: window full, zero window, window update, keep-alive (and its
    // ACK), and an ACK for data the capture never saw. No window scaling.
    let mut c = Conv::new(false);
    c.seg_full(0, true, "S", 0, 0, 0, 8192, false);
    c.seg_full(100, false, "SA", 0, 1, 0, 4000, false);
    c.seg_full(40, true, "A", 1, 1, 0, 8192, false);
    for i in 0..4 {
        c.seg_full(100, true, "PA", 1 + i * 1000, 1, 1000, 8192, false);
    }
    c.seg_full(5000, false, "A", 1, 4001, 0, 0, false);
    c.seg_full(100_000, false, "A", 1, 4001, 0, 2000, false);
    c.seg_full(1000, true, "PA", 4001, 1, 500, 8192, false);
    c.seg_full(5000, false, "A", 1, 4501, 0, 2000, false);
    c.seg_full(30_000_000, true, "A", 4500, 1, 0, 8192, false);
    c.seg_full(100, false, "A", 1, 4501, 0, 2000, false);
    c.seg_full(1000, true, "PA", 4501, 1, 1000, 8192, true); // lost before the capture point
    c.seg_full(5000, false, "A", 1, 5501, 0, 2000, false);
    c.seg_full(1000, true, "FA", 5501, 1, 0, 8192, false);
    c.seg_full(100, false, "FA", 1, 5502, 0, 2000, false);
    c.seg_full(100, true, "A", 5502, 2, 0, 8192, false);
    v.push(c.done("tcp_analysis_window"));

    v
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
