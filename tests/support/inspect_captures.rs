//! The captures the inspector's golden tests replay, generated with
//! etherparse's packet builder so every byte is known. `captures/inspect_*`
//! are these files; `tests/inspect_golden.rs` checks that the committed
//! files still equal what this code generates, and rewrites them with
//! `SOCKSCOPE_REGEN_CAPTURES=1`.

use super::frames::Above::{EchoReply, EchoRequest, Syn, Udp};
use super::frames::{Eth, arp_body, null_header, sll_header, sll2_header, with_flags};
use super::frames::{IP_A, IP_B, IP6_A, IP6_B, MAC_A, MAC_B};
use super::pcap::{Layout, Record, write_pcap};
use etherparse::{PacketBuilder, TcpOptionElement};
use pcap_file::DataLink;
use pcap_file::pcapng::PcapNgWriter;
use pcap_file::pcapng::blocks::enhanced_packet::EnhancedPacketBlock;
use pcap_file::pcapng::blocks::interface_description::{
    InterfaceDescriptionBlock, InterfaceDescriptionOption,
};
use std::borrow::Cow;
use std::time::Duration;

/// 2024-03-01 12:00:00 UTC, the base of every generated timestamp.
pub const T0: u64 = 1_709_294_400;

/// Frames from A to B and back, TTL 64.
const AB: Eth = Eth {
    src: MAC_A,
    dst: MAC_B,
    ttl: 64,
};
const BA: Eth = Eth {
    src: MAC_B,
    dst: MAC_A,
    ttl: 64,
};

/// One record: microseconds after T0, captured bytes, original length.
pub struct Rec {
    pub us: u64,
    pub data: Vec<u8>,
    pub orig_len: u32,
}

fn rec(us: u64, data: Vec<u8>) -> Rec {
    let orig_len = data.len() as u32;
    Rec { us, data, orig_len }
}

/// Options of a Linux SYN.
fn syn_opts(ts: u32, ecr: u32) -> Vec<TcpOptionElement> {
    vec![
        TcpOptionElement::MaximumSegmentSize(1460),
        TcpOptionElement::SelectiveAcknowledgementPermitted,
        TcpOptionElement::Timestamp(ts, ecr),
        TcpOptionElement::Noop,
        TcpOptionElement::WindowScale(7),
    ]
}

struct Tcp {
    from_a: bool,
    seq: u32,
    ack: Option<u32>,
    flags: &'static str,
    win: u16,
    opts: Vec<TcpOptionElement>,
    payload: &'static [u8],
}

fn tcp(
    from_a: bool,
    seq: u32,
    ack: Option<u32>,
    flags: &'static str,
    payload: &'static [u8],
) -> Tcp {
    Tcp {
        from_a,
        seq,
        ack,
        flags,
        win: 502,
        opts: vec![],
        payload,
    }
}

/// A plain segment (window 502, no options) at `us`.
fn seg(
    us: u64,
    from_a: bool,
    seq: u32,
    ack: Option<u32>,
    flags: &'static str,
    payload: &'static [u8],
) -> Rec {
    rec(us, eth_tcp(tcp(from_a, seq, ack, flags, payload)))
}

fn eth_tcp(t: Tcp) -> Vec<u8> {
    let (smac, dmac, sip, dip, sport, dport) = if t.from_a {
        (MAC_A, MAC_B, IP_A, IP_B, 45678, 7777)
    } else {
        (MAC_B, MAC_A, IP_B, IP_A, 7777, 45678)
    };
    let b = PacketBuilder::ethernet2(smac, dmac)
        .ipv4(sip, dip, 64)
        .tcp(sport, dport, t.seq, t.win);
    finish_tcp(b, t)
}

fn finish_tcp(b: etherparse::PacketBuilderStep<etherparse::TcpHeader>, t: Tcp) -> Vec<u8> {
    let mut b = with_flags(b, t.flags);
    if let Some(ack) = t.ack {
        b = b.ack(ack);
    }
    if !t.opts.is_empty() {
        b = b.options(&t.opts).expect("options fit");
    }
    let mut out = Vec::new();
    b.write(&mut out, t.payload).expect("packet builds");
    out
}

/// A TCP session, UDP, ICMP and ARP on Ethernet, as a little-endian
/// microsecond pcap: the everyday case.
pub fn ethernet_mix() -> Vec<Rec> {
    let mut syn = tcp(true, 1_000_000, None, "S", b"");
    syn.opts = syn_opts(100, 0);
    syn.win = 64240;
    let mut synack = tcp(false, 2_000_000, Some(1_000_001), "S", b"");
    synack.opts = syn_opts(200, 100);
    synack.win = 65160;
    let mut dup = tcp(false, 2_000_006, Some(1_000_001), "", b"");
    dup.opts = vec![
        TcpOptionElement::Noop,
        TcpOptionElement::Noop,
        TcpOptionElement::SelectiveAcknowledgement((1_000_007, 1_000_010), [None, None, None]),
    ];
    let mut recs = vec![
        rec(0, eth_tcp(syn)),
        rec(120, eth_tcp(synack)),
        seg(250, true, 1_000_001, Some(2_000_001), "", b""),
        seg(1_000, true, 1_000_001, Some(2_000_001), "P", b"hello\n"),
        seg(1_090, false, 2_000_001, Some(1_000_007), "P", b"HELLO\n"),
        seg(1_200, true, 1_000_007, Some(2_000_007), "", b""),
        rec(1_300, eth_tcp(dup)),
        seg(2_000, true, 1_000_007, Some(2_000_007), "UP", b"urg"),
        seg(3_000, true, 1_000_010, Some(2_000_007), "F", b""),
        seg(3_100, false, 2_000_007, Some(1_000_011), "F", b""),
        seg(3_200, true, 1_000_011, Some(2_000_008), "", b""),
        seg(4_000, true, 5, None, "R", b""),
    ];
    let (a, b) = ("10.0.0.1", "10.0.0.2");
    recs.push(rec(5_000, AB.frame(a, b, Udp(40000, 9999), b"ping")));
    recs.push(rec(
        6_000,
        AB.frame(a, b, EchoRequest(0x1234, 1), &[0x61; 56]),
    ));
    recs.push(rec(
        6_050,
        BA.frame(b, a, EchoReply(0x1234, 1), &[0x61; 56]),
    ));
    // Port unreachable quoting the UDP datagram above.
    let mut quoted = Vec::new();
    PacketBuilder::ipv4(IP_A, IP_B, 64)
        .udp(40000, 9999)
        .write(&mut quoted, b"ping")
        .unwrap();
    let mut unreach = Vec::new();
    PacketBuilder::ethernet2(MAC_B, MAC_A)
        .ipv4(IP_B, IP_A, 64)
        .icmpv4(etherparse::Icmpv4Type::DestinationUnreachable(
            etherparse::icmpv4::DestUnreachableHeader::Port,
        ))
        .write(&mut unreach, &quoted[..28])
        .unwrap();
    recs.push(rec(7_000, unreach));
    recs.push(rec(8_000, arp(1, MAC_A, IP_A, [0; 6], IP_B)));
    recs.push(rec(8_100, arp(2, MAC_B, IP_B, MAC_A, IP_A)));
    recs
}

/// An Ethernet ARP frame, padded to the 60-byte minimum as on the wire.
fn arp(op: u16, sha: [u8; 6], spa: [u8; 4], tha: [u8; 6], tpa: [u8; 4]) -> Vec<u8> {
    let dst = if op == 1 { [0xff; 6] } else { tha };
    let mut f = Vec::new();
    f.extend_from_slice(&dst);
    f.extend_from_slice(&sha);
    f.extend_from_slice(&[0x08, 0x06]);
    f.extend_from_slice(&arp_body(op, sha, spa, tha, tpa));
    f.resize(60, 0);
    f
}

/// VLAN (802.1Q) and QinQ tagged frames.
pub fn vlan() -> Vec<Rec> {
    let mut single = Vec::new();
    PacketBuilder::ethernet2(MAC_A, MAC_B)
        .single_vlan(etherparse::VlanId::try_new(100).unwrap())
        .ipv4(IP_A, IP_B, 64)
        .udp(40001, 6000)
        .write(&mut single, b"vlan one")
        .unwrap();
    let mut double = Vec::new();
    PacketBuilder::ethernet2(MAC_A, MAC_B)
        .double_vlan(
            etherparse::VlanId::try_new(200).unwrap(),
            etherparse::VlanId::try_new(300).unwrap(),
        )
        .ipv4(IP_A, IP_B, 64)
        .tcp(1234, 7777, 42, 1000)
        .syn()
        .write(&mut double, b"")
        .unwrap();
    vec![rec(0, single), rec(10, double)]
}

/// IPv6: TCP, UDP behind hop-by-hop and destination-options headers, a
/// fragment header, ICMPv6 echo and neighbor discovery.
pub fn ipv6() -> Vec<Rec> {
    let (a, b) = ("2001:db8::1", "2001:db8::2");
    let opts = syn_opts(1, 0);
    let mut out = vec![rec(
        0,
        AB.frame(a, b, Syn(50000, 443, 77, 65535, &opts), b""),
    )];
    let u = AB.frame(a, b, Udp(50001, 9000), b"six");
    out.push(rec(100, u.clone()));
    // Insert hop-by-hop (8 bytes, PadN) and destination options headers
    // between the IPv6 header and UDP.
    out.push(rec(
        200,
        with_ipv6_exts(&u, &[(0, [1, 4, 0, 0, 0, 0]), (60, [1, 4, 0, 0, 0, 0])]),
    ));
    // A first fragment: fragment header (next header UDP, offset 0, M=1).
    out.push(rec(300, with_ipv6_fragment(&u)));
    out.push(rec(400, AB.frame(a, b, EchoRequest(7, 3), b"abcdefgh")));
    let mut ns_body = Vec::new();
    ns_body.extend_from_slice(&IP6_B);
    let mut ns = Vec::new();
    PacketBuilder::ethernet2(MAC_A, [0x33, 0x33, 0xff, 0, 0, 2])
        .ipv6(
            IP6_A,
            [0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0, 0, 2],
            255,
        )
        .icmpv6(etherparse::Icmpv6Type::Unknown {
            type_u8: 135,
            code_u8: 0,
            bytes5to8: [0; 4],
        })
        .write(&mut ns, &ns_body)
        .unwrap();
    out.push(rec(500, ns));
    out
}

/// Rebuild an Ethernet+IPv6 frame with extension headers (next header,
/// 6 bytes of options each) inserted before the transport header.
fn with_ipv6_exts(frame: &[u8], exts: &[(u8, [u8; 6])]) -> Vec<u8> {
    let (eth, rest) = frame.split_at(14);
    let (ip, payload) = rest.split_at(40);
    let mut ip = ip.to_vec();
    let upper = ip[6];
    let mut body = Vec::new();
    for (i, (kind, opts)) in exts.iter().enumerate() {
        let next = exts.get(i + 1).map(|e| e.0).unwrap_or(upper);
        let _ = kind;
        body.push(next);
        body.push(0);
        body.extend_from_slice(opts);
    }
    ip[6] = exts[0].0;
    body.extend_from_slice(payload);
    let plen = body.len() as u16;
    ip[4..6].copy_from_slice(&plen.to_be_bytes());
    [eth, &ip, &body].concat()
}

fn with_ipv6_fragment(frame: &[u8]) -> Vec<u8> {
    let (eth, rest) = frame.split_at(14);
    let (ip, payload) = rest.split_at(40);
    let mut ip = ip.to_vec();
    let upper = ip[6];
    ip[6] = 44;
    let mut body = vec![upper, 0, 0, 1, 0, 0, 0x12, 0x34];
    body.extend_from_slice(payload);
    ip[4..6].copy_from_slice(&(body.len() as u16).to_be_bytes());
    [eth, &ip, &body].concat()
}

/// Broken packets that must print what they can and say what is wrong.
pub fn malformed() -> Vec<Rec> {
    let good = eth_tcp(tcp(true, 1, Some(1), "P", b"data"));
    let mut bad_ihl = good.clone();
    bad_ihl[14] = 0x43; // IHL 3: shorter than the fixed header
    let mut long_total = good.clone();
    long_total[16..18].copy_from_slice(&1500u16.to_be_bytes());
    let mut bad_offset = good.clone();
    bad_offset[14 + 20 + 12] = 0x20; // data offset 2 words
    let mut opt = tcp(true, 1, Some(1), "P", b"data");
    opt.opts = vec![
        TcpOptionElement::Noop,
        TcpOptionElement::Noop,
        TcpOptionElement::Timestamp(1, 2),
    ];
    let mut zero_opt = eth_tcp(opt);
    zero_opt[14 + 20 + 20 + 2] = 8; // kind 8 at the first option byte after the nops
    zero_opt[14 + 20 + 20 + 3] = 0; // length 0
    let short_eth = good[..10].to_vec();
    vec![
        rec(0, bad_ihl),
        rec(10, long_total),
        rec(20, bad_offset),
        rec(30, zero_opt),
        rec(40, short_eth),
        rec(50, good),
    ]
}

/// Full-size frames in a file whose snap length (96) cut them.
pub fn snapped() -> Vec<Rec> {
    static BODY: [u8; 1448] = [0x42; 1448];
    let whole = eth_tcp(tcp(true, 1_000, Some(5_000), "P", &BODY));
    let mut u = Vec::new();
    PacketBuilder::ethernet2(MAC_A, MAC_B)
        .ipv4(IP_A, IP_B, 64)
        .udp(40000, 9999)
        .write(&mut u, &[0u8; 500])
        .unwrap();
    let short_hdr = whole[..40].to_vec();
    vec![
        Rec {
            us: 0,
            orig_len: whole.len() as u32,
            data: whole[..96].to_vec(),
        },
        Rec {
            us: 5,
            orig_len: u.len() as u32,
            data: u[..96].to_vec(),
        },
        Rec {
            us: 9,
            orig_len: whole.len() as u32,
            data: short_hdr,
        },
    ]
}

/// IPv4 UDP and TCP behind a link header that is not Ethernet (SLL, SLL2,
/// BSD loopback, raw IP).
pub fn ip_only() -> Vec<Vec<u8>> {
    let mut u = Vec::new();
    PacketBuilder::ipv4([127, 0, 0, 1], [127, 0, 0, 1], 64)
        .udp(33333, 4444)
        .write(&mut u, b"cooked")
        .unwrap();
    let mut t = Vec::new();
    PacketBuilder::ipv6(IP6_A, IP6_B, 64)
        .tcp(50000, 443, 77, 65535)
        .syn()
        .write(&mut t, b"")
        .unwrap();
    vec![u, t]
}

/// [`ip_only`] behind the link header `head` makes from the EtherType.
fn behind(head: impl Fn(u16) -> Vec<u8>) -> Vec<Rec> {
    ip_only()
        .into_iter()
        .enumerate()
        .map(|(i, ip)| {
            let ethertype = if ip[0] >> 4 == 4 { 0x0800 } else { 0x86dd };
            let mut f = head(ethertype);
            f.extend_from_slice(&ip);
            rec(i as u64 * 10, f)
        })
        .collect()
}

/// Outgoing (packet type 4) on a loopback-type device (ARPHRD 772), index 1.
pub fn sll2_frames() -> Vec<Rec> {
    behind(|et| sll2_header(et, 1, 772, 4, [0; 6]))
}

pub fn sll_frames() -> Vec<Rec> {
    behind(|et| sll_header(0, 772, [0; 6], et))
}

pub fn null_frames() -> Vec<Rec> {
    behind(null_header)
}

pub fn raw_frames() -> Vec<Rec> {
    behind(|_| Vec::new())
}

/// A classic pcap with the given byte order and timestamp resolution.
pub fn pcap(recs: &[Rec], link: u32, snaplen: u32, big_endian: bool, nanos: bool) -> Vec<u8> {
    let layout = Layout {
        link,
        snaplen,
        big_endian,
        nanos,
    };
    write_pcap(
        layout,
        recs.iter().map(|r| Record {
            ts_sec: (T0 + r.us / 1_000_000) as u32,
            ts_frac: if nanos {
                (r.us % 1_000_000) as u32 * 1000 + 7
            } else {
                (r.us % 1_000_000) as u32
            },
            data: Cow::Borrowed(&r.data),
            orig_len: r.orig_len,
        }),
    )
}

/// A pcapng with two interfaces: Ethernet at the default microsecond
/// resolution and raw IP at nanosecond resolution, packets interleaved.
pub fn pcapng_two_interfaces() -> Vec<u8> {
    let mut w = PcapNgWriter::new(Vec::new()).unwrap();
    w.write_pcapng_block(InterfaceDescriptionBlock {
        linktype: DataLink::ETHERNET,
        snaplen: 262_144,
        options: vec![],
    })
    .unwrap();
    w.write_pcapng_block(InterfaceDescriptionBlock {
        linktype: DataLink::RAW,
        snaplen: 262_144,
        options: vec![InterfaceDescriptionOption::IfTsResol(9)],
    })
    .unwrap();
    let eth = ethernet_mix();
    let raw = raw_frames();
    let mut packets: Vec<(u32, &Rec)> = vec![
        (0, &eth[0]),
        (1, &raw[0]),
        (0, &eth[1]),
        (1, &raw[1]),
        (0, &eth[2]),
    ];
    packets.sort_by_key(|(_, r)| r.us);
    for (iface, r) in packets {
        let ticks = if iface == 0 {
            T0 * 1_000_000 + r.us
        } else {
            (T0 * 1_000_000 + r.us) * 1000 + 5
        };
        w.write_pcapng_block(EnhancedPacketBlock {
            interface_id: iface,
            timestamp: Duration::from_nanos(ticks),
            original_len: r.orig_len,
            data: Cow::Borrowed(&r.data),
            options: vec![],
        })
        .unwrap();
    }
    w.into_inner()
}

/// Every generated capture: file name under `captures/` and bytes.
pub fn all() -> Vec<(&'static str, Vec<u8>)> {
    // Little endian, microseconds, the largest snap length: most of them.
    let le = |recs: Vec<Rec>, link| pcap(&recs, link, 262_144, false, false);
    vec![
        ("inspect_ethernet.pcap", le(ethernet_mix(), 1)),
        (
            "inspect_ethernet_be_ns.pcap",
            pcap(&ethernet_mix(), 1, 262_144, true, true),
        ),
        ("inspect_vlan.pcap", le(vlan(), 1)),
        ("inspect_ipv6.pcap", le(ipv6(), 1)),
        ("inspect_sll2.pcap", le(sll2_frames(), 276)),
        ("inspect_sll.pcap", le(sll_frames(), 113)),
        ("inspect_null.pcap", le(null_frames(), 0)),
        ("inspect_raw.pcap", le(raw_frames(), 101)),
        ("inspect_unknown_link.pcap", le(raw_frames(), 147)),
        (
            "inspect_snapped.pcap",
            pcap(&snapped(), 1, 96, false, false),
        ),
        ("inspect_malformed.pcap", le(malformed(), 1)),
        ("inspect_two_interfaces.pcapng", pcapng_two_interfaces()),
    ]
}
