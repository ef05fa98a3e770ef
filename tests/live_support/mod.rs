//! Shared by the live capture tests: the CAP_NET_RAW gate, hand-written BPF
//! programs that keep each test's own ports (tests run in parallel on `lo`),
//! and small packet parsers.
#![allow(dead_code)]

use sockscope::filter::bpf::BpfInsn;
use sockscope::source::PacketSource;
use sockscope::source::live::{LiveOptions, LiveSource};

pub const UDP: u8 = 17;
pub const TCP: u8 = 6;

/// Open a capture, or decide to skip: `None` (with the reason printed) when
/// the process lacks CAP_NET_RAW, unless SOCKSCOPE_REQUIRE_LIVE=1 makes that a failure.
pub fn open_or_skip(opts: LiveOptions) -> Option<LiveSource> {
    match LiveSource::open(opts) {
        Ok(s) => Some(s),
        Err(e) => {
            let msg = e.to_string();
            if msg.contains("CAP_NET_RAW")
                && std::env::var("SOCKSCOPE_REQUIRE_LIVE").as_deref() != Ok("1")
            {
                eprintln!("SKIPPED: live capture needs CAP_NET_RAW: {msg}");
                None
            } else {
                panic!("opening the live capture failed: {msg}");
            }
        }
    }
}

/// True if this process may open packet sockets; prints why not otherwise
/// (and panics when SOCKSCOPE_REQUIRE_LIVE=1).
pub fn live_allowed() -> bool {
    open_or_skip(LiveOptions {
        bpf: Some(vec![ret(0)]),
        buffer_bytes: 2 << 20,
        ..LiveOptions::new("lo")
    })
    .is_some()
}

fn insn(code: u16, jt: u8, jf: u8, k: u32) -> BpfInsn {
    BpfInsn { code, jt, jf, k }
}

pub fn ret(k: u32) -> BpfInsn {
    insn(0x06, 0, 0, k)
}

/// `ip and <proto> port <port>` for Ethernet frames, as `tcpdump -dd -y EN10MB` compiles it.
pub fn eth_port_filter(proto: u8, port: u16) -> Vec<BpfInsn> {
    let p = port as u32;
    vec![
        insn(0x28, 0, 0, 12),           // ldh [12]  ethertype
        insn(0x15, 0, 10, 0x0800),      // jeq IPv4
        insn(0x30, 0, 0, 23),           // ldb [23]  protocol
        insn(0x15, 0, 8, proto as u32), //
        insn(0x28, 0, 0, 20),           // ldh [20]  fragment offset
        insn(0x45, 6, 0, 0x1fff),       // jset: not the first fragment
        insn(0xb1, 0, 0, 14),           // ldxb 4*([14]&0xf)
        insn(0x48, 0, 0, 14),           // ldh [x+14] src port
        insn(0x15, 2, 0, p),            //
        insn(0x48, 0, 0, 16),           // ldh [x+16] dst port
        insn(0x15, 0, 1, p),            //
        ret(262_144),
        ret(0),
    ]
}

/// The same for packets that start at the IP header (cooked captures: `any`).
pub fn raw_ip_port_filter(proto: u8, port: u16) -> Vec<BpfInsn> {
    let p = port as u32;
    vec![
        insn(0x30, 0, 0, 0),            // ldb [0]
        insn(0x54, 0, 0, 0xf0),         // and #0xf0
        insn(0x15, 0, 10, 0x40),        // jeq version 4
        insn(0x30, 0, 0, 9),            // ldb [9] protocol
        insn(0x15, 0, 8, proto as u32), //
        insn(0x28, 0, 0, 6),            // ldh [6] fragment offset
        insn(0x45, 6, 0, 0x1fff),       //
        insn(0xb1, 0, 0, 0),            // ldxb 4*([0]&0xf)
        insn(0x48, 0, 0, 0),            // ldh [x+0] src port
        insn(0x15, 2, 0, p),            //
        insn(0x48, 0, 0, 2),            // ldh [x+2] dst port
        insn(0x15, 0, 1, p),            //
        ret(262_144),
        ret(0),
    ]
}

/// An owned copy of a captured packet.
#[derive(Clone, Debug)]
pub struct Owned {
    pub ts_ns: u64,
    pub data: Vec<u8>,
    pub orig_len: u32,
}

/// Stop the source and collect everything it captured before the stop.
pub fn stop_and_collect(src: &mut LiveSource) -> Vec<Owned> {
    src.stop_handle().stop();
    let mut v = Vec::new();
    while let Some(p) = src.next_packet().expect("next_packet") {
        v.push(Owned {
            ts_ns: p.ts.0,
            data: p.data.to_vec(),
            orig_len: p.orig_len,
        });
    }
    v
}

/// TCP fields of an Ethernet/IPv4 frame: (src port, dst port, seq, ack, flags, payload length).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Tcp {
    pub sport: u16,
    pub dport: u16,
    pub seq: u32,
    pub ack: u32,
    pub syn: bool,
    pub ackf: bool,
    pub fin: bool,
    pub rst: bool,
    pub payload: usize,
}

pub fn tcp_of(frame: &[u8]) -> Tcp {
    let sp = etherparse::SlicedPacket::from_ethernet(frame).expect("decodes");
    let Some(etherparse::TransportSlice::Tcp(t)) = sp.transport else {
        panic!("not TCP: {frame:02x?}")
    };
    Tcp {
        sport: t.source_port(),
        dport: t.destination_port(),
        seq: t.sequence_number(),
        ack: t.acknowledgment_number(),
        syn: t.syn(),
        ackf: t.ack(),
        fin: t.fin(),
        rst: t.rst(),
        payload: t.payload().len(),
    }
}
