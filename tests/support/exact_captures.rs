//! The captures of the default-line differential suite (`tests/exact_vs_tcpdump.rs`):
//! one small file per class of packets whose line used to differ from
//! `tcpdump -n -r` (snapped packets, damaged IP headers, TCP options
//! tcpdump names, IPv6 extension headers and ICMPv6 types, ARP variants,
//! 802.3/LLC and named EtherTypes, link types with FCS bits, odd pcap
//! records, a pcapng section without end-of-options). Every byte is built
//! here by hand (etherparse's builder refuses most of these packets);
//! `captures/exact_*` are these files, rewritten with
//! `SOCKSCOPE_REGEN_CAPTURES=1`.

use super::frames::ipv6_packet;
use super::frames::udp_datagram as udp;
use super::frames::{IP_A, IP_B, IP6_A, IP6_B, MAC_A, MAC_B};
use super::pcap::{Layout, Record, write_pcap};
use std::borrow::Cow;

/// 2024-03-01 12:00:00 UTC.
const T0: u32 = 1_709_294_400;

/// Every generated file: name and bytes.
pub fn all() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("exact_snapped.pcap", pcap(1, 80, snapped())),
        ("exact_ipv4.pcap", pcap(1, 65535, ipv4_damage())),
        ("exact_tcp_options.pcap", pcap(1, 65535, tcp_options())),
        (
            "exact_ipv6.pcap",
            pcap(
                1,
                65535,
                ipv6_cases()
                    .into_iter()
                    .chain(ipv6_address_forms())
                    .collect(),
            ),
        ),
        ("exact_ipv6_options.pcap", pcap(1, 65535, ipv6_options())),
        ("exact_nd_errors.pcap", pcap(1, 65535, nd_and_errors())),
        ("exact_arp.pcap", pcap(1, 65535, arp_cases())),
        ("exact_icmp.pcap", pcap(1, 65535, icmp_cases())),
        ("exact_ethertypes.pcap", pcap(1, 65535, ethertypes())),
        ("exact_raw_ipv4.pcap", pcap(101, 65535, raw_ipv4_damage())),
        (
            "exact_fcs_linktype.pcap",
            pcap(0x3000_0001, 65535, fcs_linktype()),
        ),
        ("exact_records.pcap", records()),
        ("exact_no_endofopt.pcapng", pcapng_without_end_of_options()),
        ("exact_cuts.pcap", pcap(1, 65535, cuts())),
        ("exact_rr_rpl.pcap", pcap(1, 65535, rr_rpl())),
    ]
}

/// One record: captured bytes and original length.
pub struct Rec {
    pub data: Vec<u8>,
    pub orig_len: u32,
}

fn whole(data: Vec<u8>) -> Rec {
    let orig_len = data.len() as u32;
    Rec { data, orig_len }
}

/// The first `keep` bytes of `data`, as a snap length would leave them.
fn cut(data: Vec<u8>, keep: usize) -> Rec {
    let orig_len = data.len() as u32;
    let mut data = data;
    data.truncate(keep);
    Rec { data, orig_len }
}

/// Records 10 ms apart from T0 (a hundred a second).
fn pcap(link: u32, snaplen: u32, recs: Vec<Rec>) -> Vec<u8> {
    write_pcap(
        Layout::new(link, snaplen),
        recs.into_iter().enumerate().map(|(i, r)| Record {
            ts_sec: T0 + i as u32 / 100,
            ts_frac: i as u32 % 100 * 10_000,
            data: Cow::Owned(r.data),
            orig_len: r.orig_len,
        }),
    )
}

fn eth(ethertype: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = MAC_B.to_vec();
    f.extend_from_slice(&MAC_A);
    f.extend_from_slice(&ethertype.to_be_bytes());
    f.extend_from_slice(payload);
    f
}

/// An IPv4 header (no options, TTL 64, id 1) and its payload; the total
/// length says exactly what is there.
fn ipv4(proto: u8, payload: &[u8]) -> Vec<u8> {
    let total = (20 + payload.len()) as u16;
    let mut h = vec![0x45, 0];
    h.extend_from_slice(&total.to_be_bytes());
    h.extend_from_slice(&[0, 1, 0, 0, 64, proto, 0, 0]);
    h.extend_from_slice(&IP_A);
    h.extend_from_slice(&IP_B);
    h.extend_from_slice(payload);
    h
}

fn set16(v: &mut [u8], at: usize, n: u16) {
    v[at..at + 2].copy_from_slice(&n.to_be_bytes());
}

fn ipv6(next: u8, payload: &[u8]) -> Vec<u8> {
    ipv6_packet(IP6_A, IP6_B, next, payload)
}

/// A TCP header (ports 40000 > 23456, no port tcpdump decodes above TCP; window 512) with `opts` (already padded
/// to a multiple of four) and `payload`. `flags` is the flag byte.
fn tcp(flags: u8, seq: u32, ack: u32, opts: &[u8], payload: &[u8]) -> Vec<u8> {
    let doff = ((20 + opts.len()) / 4) as u8;
    let mut t = vec![0x9c, 0x40, 0x5b, 0xa0];
    t.extend_from_slice(&seq.to_be_bytes());
    t.extend_from_slice(&ack.to_be_bytes());
    t.extend_from_slice(&[doff << 4, flags, 2, 0, 0, 0, 0, 0]);
    t.extend_from_slice(opts);
    t.extend_from_slice(payload);
    t
}

const SYN: u8 = 0x02;
const ACK: u8 = 0x10;
const PSH_ACK: u8 = 0x18;

/// An ICMP or ICMPv6 message: type, code, zero checksum, then `rest`.
fn icmp(t: u8, code: u8, rest: &[u8]) -> Vec<u8> {
    let mut m = vec![t, code, 0, 0];
    m.extend_from_slice(rest);
    m
}

/// Linux's SYN options: mss 1460, sackOK, TS val 1 ecr 0, nop, wscale 7.
const SYN_OPTS: [u8; 20] = [
    2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7,
];

fn v4_tcp(flags: u8, opts: &[u8], payload: &[u8]) -> Vec<u8> {
    eth(0x0800, &ipv4(6, &tcp(flags, 1000, 2000, opts, payload)))
}

/// Snap length 80: payloads cut, a TCP header cut inside its options and
/// inside its fixed part, ICMP and ICMPv6 messages cut inside their
/// header, UDP and ARP cut short.
pub fn snapped() -> Vec<Rec> {
    let body = [0x42u8; 200];
    // 14 + 20 + 40 bytes of options: a cut at 80 falls inside the second
    // timestamp option.
    let mut long_opts = SYN_OPTS.to_vec();
    long_opts.extend_from_slice(&[1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 3, 1, 1, 1, 0, 0, 0, 0, 0]);
    let ts_opts = [1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 8];
    let echo = eth(0x0800, &ipv4(1, &icmp(8, 0, &[0, 7, 0, 1, 1, 2, 3, 4])));
    let echo6 = eth(0x86dd, &ipv6(58, &icmp(128, 0, &[0, 7, 0, 1, 1, 2, 3, 4])));
    let mut ns = icmp(135, 0, &[0, 0, 0, 0]);
    ns.extend_from_slice(&IP6_B);
    let ns = eth(0x86dd, &ipv6(58, &ns));
    let arp = eth(0x0806, &arp_body(1, 1, 0x0800, MAC_A, IP_A, [0; 6], IP_B));
    let udp_frame = eth(0x0800, &ipv4(17, &udp(40001, 40002, &body)));
    // nop, nop, sack with two edge pairs.
    let sack_opts = [
        1, 1, 5, 18, 0, 0, 0, 10, 0, 0, 0, 20, 0, 0, 0, 30, 0, 0, 0, 40, 0, 0, 0, 0,
    ];
    let mut unreach = icmp(3, 3, &[0; 4]);
    unreach.extend_from_slice(&ipv4(17, &udp(40002, 40001, b"gone")));
    let unreach = eth(0x0800, &ipv4(1, &unreach));
    let unreach_again = unreach.clone();
    let mut mld1 = icmp(130, 0, &[0x27, 0x10, 0, 0]);
    mld1.extend_from_slice(&[0xff; 16]);
    // IPv6 (first header `next`) with one extension header `ext` before an
    // empty UDP datagram, cut `keep` bytes after the Ethernet header.
    let ext_cut = |next: u8, ext: &[u8], keep: usize| {
        cut(
            eth(0x86dd, &ipv6(next, &ext_then(17, ext, &udp(1, 2, &[])))),
            14 + keep,
        )
    };
    vec![
        cut(v4_tcp(PSH_ACK, &ts_opts, &body), 80),
        cut(v4_tcp(SYN, &long_opts, &[]), 80),
        cut(v4_tcp(SYN, &long_opts, &[]), 14 + 20 + 22),
        cut(v4_tcp(SYN, &SYN_OPTS, &[]), 14 + 20 + 20),
        cut(v4_tcp(SYN, &SYN_OPTS, &[]), 14 + 20 + 12),
        cut(v4_tcp(SYN, &SYN_OPTS, &[]), 14 + 20 + 2),
        cut(udp_frame.clone(), 80),
        cut(udp_frame, 14 + 20 + 6),
        cut(echo.clone(), 14 + 20 + 4),
        cut(echo, 14 + 20 + 1),
        cut(echo6.clone(), 14 + 40 + 4),
        cut(ns, 14 + 40 + 12),
        cut(echo6, 14 + 40 + 1),
        cut(arp.clone(), 14 + 20),
        cut(arp, 14 + 7),
        cut(eth(0x86dd, &ipv6(6, &tcp(SYN, 1, 0, &SYN_OPTS, &[]))), 80),
        // A SACK option cut after its first edge pair.
        cut(v4_tcp(ACK, &sack_opts, &[]), 14 + 20 + 20 + 12),
        cut(
            eth(0x0800, &ipv4(17, &udp(40001, 40002, &body))),
            14 + 20 + 2,
        ),
        cut(eth(0x86dd, &ipv6(58, &icmp(128, 0, &[0; 4]))), 14 + 40),
        // Port unreachable whose quoted datagram was cut inside its header.
        cut(unreach.clone(), 14 + 20 + 8 + 10),
        cut(unreach, 14 + 20 + 8 + 20 + 2),
        // IPv6 cut inside its header, and inside each extension header.
        cut(eth(0x86dd, &ipv6(17, &udp(1, 2, &[]))), 14 + 30),
        ext_cut(0, &[0, 1, 4, 0, 0, 0, 0], 44),
        ext_cut(44, &[0, 0, 1, 0, 0, 0, 9], 40),
        ext_cut(43, &[0, 0, 0, 0, 0, 0, 0], 44),
        ext_cut(43, &[0, 0, 0, 0, 0, 0, 0], 42),
        // A VLAN tag cut; a quote cut right after its UDP ports; an MLD
        // query cut in its address; a first fragment cut before its TCP
        // ports; IPv4 bytes under IPv6's EtherType, cut.
        cut(eth(0x8100, &[0, 5, 8, 0]), 14 + 2),
        cut(unreach_again, 14 + 20 + 8 + 20 + 4),
        cut(eth(0x86dd, &ipv6(58, &mld1)), 14 + 40 + 12),
        cut(first_fragment(), 14 + 48 + 2),
        cut(eth(0x86dd, &ipv4(17, &udp(1, 2, &[0; 30]))), 14 + 30),
        // IPv4 inside IPv6 cut in its header; ICMP (v4) and IGMP inside
        // IPv6; a segment routing header cut after its flags and after
        // its tag; a jumbogram's hop-by-hop header not captured at all.
        cut(
            eth(0x86dd, &ipv6(4, &ipv4(17, &udp(1, 2, &[])))),
            14 + 40 + 10,
        ),
        cut(eth(0x86dd, &ipv6(1, &icmp(8, 0, &[0; 4]))), 14 + 40 + 2),
        cut(
            eth(0x86dd, &ipv6(2, &[0x11, 0, 0, 0, 0, 0, 0, 0])),
            14 + 40 + 2,
        ),
        cut(srh_frame(), 14 + 40 + 6),
        cut(srh_frame(), 14 + 40 + 8),
        cut(jumbo_frame(), 14 + 40),
        // A fragment header cut after its offset field.
        cut(first_fragment(), 14 + 40 + 6),
    ]
}

/// A first IPv6 fragment (offset 0, more to come) carrying a TCP SYN.
fn first_fragment() -> Vec<u8> {
    let frag = ext_then(6, &[0, 0, 1, 0, 0, 0, 9], &tcp(SYN, 1, 0, &[], &[]));
    eth(0x86dd, &ipv6(44, &frag))
}

/// Segment routing (type 4) around a whole IPv6 packet.
fn srh_frame() -> Vec<u8> {
    let inner = ipv6(17, &udp(1000, 2000, b"abcd"));
    let mut srh = vec![2, 4, 1, 1, 0, 0, 0];
    srh.extend_from_slice(&IP6_B);
    eth(0x86dd, &ipv6(43, &ext_then(41, &srh, &inner)))
}

/// Payload length 0 and a hop-by-hop header with the jumbo option.
fn jumbo_frame() -> Vec<u8> {
    let u = udp(1000, 2000, b"abcd");
    let mut hbh = vec![0, 0xc2, 4];
    hbh.extend_from_slice(&((8 + u.len()) as u32).to_be_bytes());
    let mut jumbo = ipv6(0, &ext_then(17, &hbh, &u));
    set16(&mut jumbo, 4, 0);
    eth(0x86dd, &jumbo)
}

/// A hop-by-hop header of `opts` (whole 8-byte units with the two
/// leading bytes) before a UDP datagram whose length field is `udp_len`,
/// in an IPv6 packet whose payload length field is `plen`.
fn hbh_udp(opts: &[u8], udp_len: u16, plen: Option<u16>) -> Vec<u8> {
    let mut u = udp(1000, 2000, b"abcd");
    set16(&mut u, 4, udp_len);
    let mut hbh = vec![((opts.len() + 2) / 8).saturating_sub(1) as u8];
    hbh.extend_from_slice(opts);
    let mut ip = ipv6(0, &ext_then(17, &hbh, &u));
    if let Some(plen) = plen {
        set16(&mut ip, 4, plen);
    }
    eth(0x86dd, &ip)
}

/// A record of `data` whose original length says the IPv6 payload was
/// `ip_payload` bytes long (a jumbogram, longer than any snap length).
fn jumbo_rec(data: Vec<u8>, ip_payload: u32) -> Rec {
    Rec {
        data,
        orig_len: 14 + 40 + ip_payload,
    }
}

/// Hop-by-hop and destination options, tcpdump's way: valid jumbograms
/// (RFC 2675: payload length 0, UDP length 0, the length in the option),
/// one longer than the wire, jumbo options that are not valid, router
/// alert, unknown options, and options with a wrong length or cut.
pub fn ipv6_options() -> Vec<Rec> {
    let jumbo = |len: u32| {
        let mut o = vec![0xc2, 4];
        o.extend_from_slice(&len.to_be_bytes());
        o
    };
    let with = |a: &[u8], b: &[u8]| [a, b].concat();
    let rtalert = [5, 2, 0, 0];
    let padn2 = [1, 2, 0, 0];
    let dst = |opts: &[u8]| {
        let mut d = vec![17, ((opts.len() + 2) / 8).saturating_sub(1) as u8];
        d.extend_from_slice(opts);
        whole(eth(
            0x86dd,
            &ipv6(60, &[d, udp(1000, 2000, b"abcd")].concat()),
        ))
    };
    vec![
        jumbo_rec(hbh_udp(&jumbo(70_000), 0, Some(0)), 70_000),
        jumbo_rec(
            hbh_udp(&with(&with(&rtalert, &jumbo(70_000)), &padn2), 0, Some(0)),
            70_000,
        ),
        // The option says more than the wire carried.
        jumbo_rec(hbh_udp(&jumbo(80_000), 0, Some(0)), 70_000),
        // Below 65,536; beside a nonzero payload length; twice.
        whole(hbh_udp(&jumbo(65_535), 0, Some(0))),
        whole(hbh_udp(&jumbo(65_536), 12, None)),
        jumbo_rec(
            hbh_udp(
                &with(&with(&jumbo(70_000), &jumbo(70_000)), &[1, 0]),
                0,
                Some(0),
            ),
            70_000,
        ),
        // Wrong lengths, an unknown option, an option past the end.
        whole(hbh_udp(&[0xc2, 3, 0, 1, 0, 0], 12, None)),
        whole(hbh_udp(&[5, 3, 0, 0, 1, 0], 12, None)),
        whole(hbh_udp(&[0x1e, 4, 1, 2, 3, 4], 12, None)),
        whole(hbh_udp(&[0, 0, 0, 0, 0, 0x1e], 12, None)),
        whole(hbh_udp(&[0, 0, 0, 0, 5, 0], 12, None)),
        // Destination options: read under -v only.
        dst(&[5, 2, 0, 7, 1, 0]),
        dst(&[0x1e, 5, 1, 2, 3, 4]),
        dst(&[0xc2, 4, 0, 1, 0, 0]),
    ]
}

/// Router advertisements with RFC 4191 route information (prefixes of 0,
/// 8 and 16 bytes, each preference) and RFC 8106 DNS search lists, and
/// ICMPv6 errors quoting the packet that caused them.
pub fn nd_and_errors() -> Vec<Rec> {
    let ra = |opts: &[u8]| {
        let mut m = icmp(134, 0, &[64, 0, 0x07, 0x08, 0, 0, 0, 0, 0, 0, 0, 0]);
        m.extend_from_slice(opts);
        whole(eth(0x86dd, &ipv6(58, &m)))
    };
    let route = |plen: u8, flags: u8, life: u32, prefix: &[u8]| {
        let mut o = vec![24, 1 + (prefix.len() / 8) as u8, plen, flags];
        o.extend_from_slice(&life.to_be_bytes());
        o.extend_from_slice(prefix);
        o
    };
    let p16 = [0x20, 1, 0xd, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    let mut dnssl = vec![31, 5, 0, 0, 0, 0, 4, 0xb0];
    for label in ["example", "com", "", "lab", "example", "org", ""] {
        dnssl.push(label.len() as u8);
        dnssl.extend_from_slice(label.as_bytes());
    }
    dnssl.resize(40, 0);
    let quoted = ipv6(17, &udp(1000, 2000, b"abcd"));
    let err = |t: u8, code: u8, word: [u8; 4]| {
        let mut m = icmp(t, code, &word);
        m.extend_from_slice(&quoted);
        whole(eth(0x86dd, &ipv6(58, &m)))
    };
    // Destination unreachable, each code tcpdump words differently, and
    // one whose quote ends before the destination address.
    let unreach = (0..=5).map(|code| err(1, code, [0; 4]));
    let mut cut_quote = icmp(1, 0, &[0; 4]);
    cut_quote.extend_from_slice(quoted.get(..30).unwrap_or_default());
    let cut_quote = whole(eth(0x86dd, &ipv6(58, &cut_quote)));
    let mut recs = vec![
        ra(&route(64, 0x08, 1800, &p16)),
        ra(&route(48, 0x18, u32::MAX, p16.get(..8).unwrap_or_default())),
        ra(&[route(0, 0, 600, &[]), route(0, 0x10, 0, &[])].concat()),
        ra(&dnssl),
        ra(&[31, 2, 0, 0, 0, 0, 4, 0xb0, 1, b'a', 1, b'b', 0, 0, 0, 0]),
        err(2, 0, [0, 0, 5, 0]),
        err(3, 0, [0; 4]),
        err(4, 1, [0, 0, 0, 6]),
        cut_quote,
        // Cut after 6 bytes: a router message's default line is whole; an
        // unreachable names its code first.
        cut(ra(&dnssl).data, 14 + 40 + 6),
        cut(eth(0x86dd, &ipv6(58, &icmp(133, 0, &[0; 12]))), 14 + 40 + 6),
        cut(err(1, 4, [0; 4]).data, 14 + 40 + 6),
        cut(err(1, 9, [0; 4]).data, 14 + 40 + 6),
    ];
    recs.extend(unreach);
    recs
}

/// A router renumbering header: code, sequence number, segment number,
/// flags, max delay, reserved word.
fn rr_head(code: u8, seq: u32, seg: u8, flags: u8, delay: u16, rsvd: u32) -> Vec<u8> {
    let mut m = icmp(138, code, &seq.to_be_bytes());
    m.extend_from_slice(&[seg, flags]);
    m.extend_from_slice(&delay.to_be_bytes());
    m.extend_from_slice(&rsvd.to_be_bytes());
    m
}

/// A match-prefix part announcing `uses` use-prefix parts (or `units`
/// when given): code, ordinal, match/min/max lengths, prefix.
fn rr_match(code: u8, uses: u8, units: Option<u8>, lens: [u8; 4], prefix: &[u8]) -> Vec<u8> {
    let [ordinal, matchlen, minlen, maxlen] = lens;
    let units = units.unwrap_or(3 + 4 * uses);
    let mut p = vec![code, units, ordinal, matchlen, minlen, maxlen, 0, 0];
    p.extend_from_slice(prefix);
    p
}

/// A use-prefix part: use/keep lengths, RA mask and flags, valid and
/// preferred lifetimes, flag word, prefix.
fn rr_use(lens: [u8; 4], vl: u32, pl: u32, flags: u32, prefix: &[u8]) -> Vec<u8> {
    let mut p = lens.to_vec();
    for n in [vl, pl, flags] {
        p.extend_from_slice(&n.to_be_bytes());
    }
    p.extend_from_slice(prefix);
    p
}

/// An RPL option: type, length, body.
fn rpl_opt(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut o = vec![kind, body.len() as u8];
    o.extend_from_slice(body);
    o
}

/// Router renumbering (ICMPv6 138): commands with match and use parts
/// (flags, infinite lifetimes, several use parts, match lengths that do
/// not add up, fewer parts than announced), a result, a sequence number
/// reset, an unknown code. RPL (155): DIOs with every option tcpdump
/// names (pad1, padN, metrics, route info, DODAG configuration, RPL
/// target, transit info, solicited info, prefix info, target descriptor,
/// an unknown one), options running past the message; DAOs with and
/// without the DODAG ID; DAO-ACKs; the secured forms; unknown codes.
pub fn rr_rpl() -> Vec<Rec> {
    let p1 = [0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    let p2 = [
        0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    let cat = |parts: &[&[u8]]| parts.concat();
    let inf = u32::MAX;
    let use1 = rr_use([1, 2, 3, 4], 5, 6, 0x4000_0000, &p1);
    // A flag byte with neither lifetime bit.
    let use_odd = rr_use([1, 2, 3, 4], 5, 6, 0x0100_0001, &p1);
    let lens = [1, 16, 1, 2];
    let cmd =
        |seq: u32, flags: u8, m: Vec<u8>, u: &[u8]| cat(&[&rr_head(0, seq, 1, flags, 2, 0), &m, u]);
    let rr = [
        cat(&[
            &rr_head(0, 7, 3, 0xf8, 1000, 0),
            &rr_match(1, 2, None, [5, 48, 56, 64], &p1),
            &rr_use([64, 48, 0xc0, 0x80], inf, 3600, 0x8000_0000, &p2),
            &rr_use([56, 0, 0, 0x40], 7200, inf, 0xc000_0000, &p1),
        ]),
        cat(&[
            &rr_head(0, 8, 0, 0, 0, 5),
            &rr_match(2, 0, None, [0, 64, 0, 128], &p1),
        ]),
        cmd(9, 0x40, rr_match(3, 1, None, lens, &p2), &use1),
        cmd(10, 0x10, rr_match(9, 1, None, lens, &p2), &use_odd),
        cmd(11, 0x10, rr_match(1, 1, Some(5), lens, &p2), &use1),
        cmd(12, 0x10, rr_match(1, 1, Some(1), lens, &p2), &use1),
        cmd(13, 0x10, rr_match(1, 3, None, lens, &p2), &use1),
        cat(&[
            &rr_head(1, 14, 1, 0x20, 2, 0),
            &[0, 3, 1, 64, 0, 0, 0, 9],
            &p1,
        ]),
        rr_head(255, 15, 0, 0, 0, 0),
        cat(&[
            &rr_head(4, 16, 0, 0x08, 0, 0),
            &rr_match(1, 0, None, [1, 16, 1, 2], &p2),
        ]),
    ];
    let pad1: &[u8] = &[0];
    let padn = rpl_opt(1, &[0, 0]);
    let metrics = rpl_opt(2, &[7, 0, 0, 2, 0, 1]);
    let route = rpl_opt(
        3,
        &[64, 0x08, 0, 0, 1, 0x2c, 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0],
    );
    let config = rpl_opt(4, &[0x08, 3, 8, 1, 1, 0, 0, 1, 0, 0xff, 0, 60, 0, 0]);
    let mut target_body = vec![0, 128];
    target_body.extend_from_slice(&IP6_A);
    let target = rpl_opt(5, &target_body);
    let transit = rpl_opt(6, &[0x80, 0, 1, 0xff]);
    let transit_parent = rpl_opt(6, &cat(&[&[0, 0, 1, 0xff], &IP6_B]));
    let solicited = rpl_opt(7, &cat(&[&[1, 0xe0, 2], &p1]));
    let prefix = rpl_opt(
        8,
        &cat(&[&[64, 0xc0, 0, 0, 0x0e, 0x10, 0, 0, 7, 8, 0, 0, 0, 0], &p1]),
    );
    let desc = rpl_opt(9, &[0, 0, 0, 42]);
    let unknown = rpl_opt(10, &[1, 2]);
    let dio = |opts: &[u8]| cat(&[&icmp(155, 1, &[1, 2, 1, 0, 0x88, 5, 0, 0]), &IP6_A, opts]);
    let dao = |flags: u8, id: bool, opts: &[u8]| {
        let id: &[u8] = if id { &IP6_A } else { &[] };
        cat(&[&icmp(155, 2, &[1, flags, 0, 9]), id, opts])
    };
    let ack = |flags: u8, status: u8, id: bool, opts: &[u8]| {
        let id: &[u8] = if id { &IP6_A } else { &[] };
        cat(&[&icmp(155, 3, &[1, flags, 9, status]), id, opts])
    };
    let zeros = [0u8; 20];
    let rpl = [
        dio(&cat(&[pad1, &padn, &metrics, &route, &config, &prefix])),
        dio(&cat(&[&solicited, &target, &transit, &unknown, pad1])),
        dio(&[]),
        // A DAO without its DODAG ID, and with K.
        dao(0, false, &cat(&[&target, &transit, &transit_parent, &desc])),
        dao(0x80, false, &cat(&[&target, pad1, pad1])),
        dao(0xc0, true, &cat(&[&target, &transit])),
        ack(0x80, 0, true, &[]),
        ack(0, 130, false, &[]),
        ack(0, 1, false, &cat(&[&padn, pad1])),
        icmp(155, 0, &cat(&[&[0, 0], &solicited])),
        icmp(155, 0x80, &cat(&[&[0, 0, 0, 0], &zeros])),
        icmp(155, 0x81, &cat(&[&[1, 2, 1, 0], &zeros])),
        icmp(155, 0x82, &cat(&[&[1, 2, 1, 0], &zeros])),
        icmp(155, 0x83, &cat(&[&[1, 2, 1, 0], &zeros])),
        icmp(155, 4, &cat(&[&[1, 2, 1, 0], &zeros])),
        icmp(155, 0x7f, &[1, 2, 1, 0]),
        // Options whose length runs past the message, a lone type byte.
        dio(&[2, 1, 1]),
        dio(&[2, 9, 1, 2]),
        dio(&[2]),
        // A DAO flagging an ID it lacks; DAO-ACKs short of theirs; a DIO
        // shorter than its fields.
        dao(0x40, false, &[0; 4]),
        ack(0x80, 0, false, &[0; 4]),
        ack(0x80, 0, false, &[]),
        icmp(155, 1, &[1, 2, 1, 0, 0x88, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ];
    rr.into_iter()
        .chain(rpl)
        .map(|m| whole(eth(0x86dd, &ipv6(58, &m))))
        .collect()
}

/// IPv4 headers that say something odd: later fragments, an unknown
/// protocol, total length 0, lengths past the end, a bad IHL, a header cut
/// short, the wrong version, a UDP length past the datagram.
pub fn ipv4_damage() -> Vec<Rec> {
    let payload = [0x11u8; 24];
    let frag = |proto: u8, off: u16, more: bool| {
        let mut ip = ipv4(proto, &payload);
        set16(&mut ip, 6, (off / 8) | if more { 0x2000 } else { 0 });
        eth(0x0800, &ip)
    };
    let mut tso = ipv4(6, &tcp(PSH_ACK, 1000, 2000, &[], &[0x55; 30]));
    set16(&mut tso, 2, 0);
    let mut long = ipv4(17, &udp(1, 2, &[0; 10]));
    set16(&mut long, 2, 200);
    let mut ihl3 = ipv4(17, &udp(1, 2, &[0; 10]));
    ihl3[0] = 0x43;
    let mut ihl15 = ipv4(17, &udp(1, 2, &[0; 10]));
    ihl15[0] = 0x4f;
    let mut v6_in_v4 = ipv6(17, &udp(1, 2, &[0; 4]));
    v6_in_v4.truncate(48);
    let mut v4_in_v6 = ipv4(17, &udp(1, 2, &[0; 4]));
    v4_in_v6.resize(60, 0);
    let mut bad_udp = ipv4(17, &udp(1, 2, &[0; 10]));
    set16(&mut bad_udp, 24, 200);
    let mut short_udp = ipv4(17, &udp(1, 2, &[0; 10]));
    set16(&mut short_udp, 24, 4);
    let mut total_short = ipv4(6, &tcp(ACK, 1, 1, &[], &[]));
    set16(&mut total_short, 2, 16);
    let mut v5 = ipv4(17, &udp(1, 2, &[0; 4]));
    v5[0] = 0x55;
    vec![
        whole(frag(17, 1480, true)),
        whole(frag(17, 2960, false)),
        whole(frag(6, 8, true)),
        whole(frag(1, 1480, false)),
        whole(eth(0x0800, &ipv4(54, &[0x22; 40]))),
        whole(eth(0x0800, &tso)),
        whole(eth(0x0800, &long)),
        cut(eth(0x0800, &long), 14 + 20 + 8),
        whole(eth(0x0800, &ihl3)),
        whole(eth(0x0800, &ihl15)),
        whole(eth(0x0800, &ipv4(17, &udp(1, 2, &[]))[..12])),
        cut(eth(0x0800, &ipv4(17, &udp(1, 2, &[]))), 14 + 12),
        whole(eth(0x0800, &v6_in_v4)),
        whole(eth(0x86dd, &v4_in_v6)),
        whole(eth(0x0800, &v5)),
        whole(eth(0x0800, &bad_udp)),
        whole(eth(0x0800, &short_udp)),
        whole(eth(0x0800, &total_short)),
    ]
}

/// The damaged IPv4 headers of [`ipv4_damage`] that etherparse refuses,
/// without a link header (raw IP, where the version nibble decides).
pub fn raw_ipv4_damage() -> Vec<Rec> {
    let mut ihl3 = ipv4(17, &udp(1, 2, &[0; 10]));
    ihl3[0] = 0x43;
    let mut ihl15 = ipv4(17, &udp(1, 2, &[0; 10]));
    ihl15[0] = 0x4f;
    let mut tso = ipv4(6, &tcp(PSH_ACK, 1000, 2000, &[], &[0x55; 30]));
    set16(&mut tso, 2, 0);
    vec![
        whole(ihl3),
        whole(ihl15),
        whole(ipv4(17, &udp(1, 2, &[]))[..12].to_vec()),
        cut(ipv4(17, &udp(1, 2, &[])), 12),
        whole(tso),
    ]
}

/// SYNs carrying one option each that tcpdump names (MPTCP subtypes, Fast
/// Open, the experimental Fast Open and AccECN kinds, MD5, SCPS, and
/// others), and an option kind nobody registered.
pub fn tcp_options() -> Vec<Rec> {
    let key = [1, 2, 3, 4, 5, 6, 7, 8];
    let mut mp_capable = vec![30, 12, 0x01, 0x81];
    mp_capable.extend_from_slice(&key);
    let mut mp_capable_ack = vec![30, 20, 0x01, 0x81];
    mp_capable_ack.extend_from_slice(&key);
    mp_capable_ack.extend_from_slice(&[8, 7, 6, 5, 4, 3, 2, 1]);
    let mp_join_syn = [30, 12, 0x10, 0x02, 0, 0, 0, 0x2a, 0, 0, 0, 0x63];
    // DSS: data ACK (4 bytes) and a mapping (DSN 4, SSN, length, checksum).
    let mp_dss = [
        30, 20, 0x20, 0x05, 0, 0, 0, 9, 0, 0, 0, 0x10, 0, 0, 0, 1, 0, 0x20, 0xab, 0xcd,
    ];
    let mp_dss_ack8 = [30, 8, 0x20, 0x01, 0, 0, 0, 5];
    // ADD_ADDR: IPv4 with HMAC, echoed with a port, IPv6 with port and
    // HMAC, a length no form has.
    let mut mp_add4 = vec![30, 16, 0x30, 5, 192, 0, 2, 1];
    mp_add4.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
    let mp_add4_echo = [30, 10, 0x31, 5, 192, 0, 2, 1, 0x1f, 0x90];
    let mut mp_add6 = vec![30, 30, 0x30, 6];
    mp_add6.extend_from_slice(&IP6_B);
    mp_add6.extend_from_slice(&[0, 80, 9, 9, 9, 9, 9, 9, 9, 9]);
    let mp_add_bad = [30, 12, 0x30, 5, 192, 0, 2, 1, 0, 0, 0, 0];
    let mp_remove = [30, 4, 0x40, 0x07];
    let mp_prio = [30, 3, 0x50, 0x01];
    let mp_fail = [30, 12, 0x60, 0, 0, 0, 0, 0, 0, 0, 0, 0x44];
    let mp_fastclose = [30, 12, 0x70, 0, 1, 2, 3, 4, 5, 6, 7, 8];
    let mp_tcprst = [30, 4, 0x80, 0x01];
    let mp_unknown = [30, 4, 0xe0, 0x00];
    let tfo_req = [34, 2];
    let tfo_cookie = [34, 10, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4];
    let exp_tfo_req = [254, 4, 0xf9, 0x89];
    let exp_tfo_cookie = [254, 12, 0xf9, 0x89, 1, 2, 3, 4, 5, 6, 7, 8];
    let acc0 = [254, 4, 0xac, 0xc0];
    let acc1 = [254, 4, 0xac, 0xc1];
    let exp_other = [254, 6, 0x12, 0x34, 0x56, 0x78];
    let exp_short = [254, 3, 0x12];
    let mut md5 = vec![19, 18];
    md5.extend_from_slice(&[0xa5; 16]);
    let scps = [20, 4, 0x0f, 0x00];
    let echo = [6, 6, 0, 0, 0, 1];
    let echoreply = [7, 6, 0, 0, 0, 1];
    let altsum_req = [14, 3, 1];
    let altsum = [15, 4, 0xab, 0xcd];
    let qs = [27, 8, 0x12, 0x34, 0, 0, 0, 1];
    let uto = [28, 4, 0x80, 0x1e];
    let ao = [29, 8, 1, 2, 0xaa, 0xbb, 0xcc, 0xdd];
    let cc = [11, 6, 0, 0, 0, 9];
    let unknown = [99, 5, 1, 2, 3];
    let all: Vec<&[u8]> = vec![
        &mp_capable,
        &mp_capable_ack,
        &mp_join_syn,
        &mp_dss,
        &mp_dss_ack8,
        &mp_add4,
        &mp_add4_echo,
        &mp_add6,
        &mp_add_bad,
        &mp_remove,
        &mp_prio,
        &mp_fail,
        &mp_fastclose,
        &mp_tcprst,
        &mp_unknown,
        &tfo_req,
        &tfo_cookie,
        &exp_tfo_req,
        &exp_tfo_cookie,
        &acc0,
        &acc1,
        &exp_other,
        &exp_short,
        &md5,
        &scps,
        &echo,
        &echoreply,
        &altsum_req,
        &altsum,
        &qs,
        &uto,
        &ao,
        &cc,
        &unknown,
    ];
    all.into_iter()
        .map(|opt| {
            let mut opts = opt.to_vec();
            while !opts.len().is_multiple_of(4) {
                opts.push(0);
            }
            whole(v4_tcp(SYN, &opts, &[]))
        })
        .collect()
}

/// Addresses whose text glibc's inet_ntop (tcpdump's) writes its own way:
/// the first six words zero and the seventh not (`::0.1.253.0`,
/// `::1.2.3.4`), IPv4-mapped ones, and their neighbours that stay hex
/// (`::1`, `::`, `::2`, `::ffff`, `::1:0:0`), as UDP ends, a neighbour
/// solicitation's target and a routing header's address.
fn ipv6_address_forms() -> Vec<Rec> {
    let forms: [[u16; 8]; 14] = [
        [0, 0, 0, 0, 0, 0, 0x0001, 0xfd00],
        [0, 0, 0, 0, 0, 0, 0x0102, 0x0304],
        [0, 0, 0, 0, 0, 0, 0xffff, 0],
        [0, 0, 0, 0, 0, 0, 1, 0],
        [0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304],
        [0, 0, 0, 0, 0, 0xffff, 0, 1],
        [0, 0, 0, 0, 0xffff, 0, 0x0102, 0x0304],
        [0, 0, 0, 0, 0, 0xfffe, 0x0102, 0x0304],
        [0, 0, 0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 2],
        [0, 0, 0, 0, 0, 0, 0, 0xffff],
        [0, 0, 0, 0, 0, 1, 0, 0],
        [1, 0, 0, 0, 0, 0, 0, 0x0102],
    ];
    let bytes = |words: &[u16; 8]| -> [u8; 16] {
        let mut a = [0; 16];
        for (i, w) in words.iter().enumerate() {
            a[2 * i..2 * i + 2].copy_from_slice(&w.to_be_bytes());
        }
        a
    };
    let mut recs = Vec::new();
    for pair in forms.windows(2) {
        let (src, dst) = (bytes(&pair[0]), bytes(&pair[1]));
        let p = ipv6_packet(src, dst, 17, &udp(1000, 2000, b"abcd"));
        recs.push(whole(eth(0x86dd, &p)));
    }
    for words in &forms {
        let target = bytes(words);
        let ns = [icmp(135, 0, &[0, 0, 0, 0]), target.to_vec()].concat();
        recs.push(whole(eth(0x86dd, &ipv6(58, &ns))));
        let mut rt0 = vec![4, 0, 1, 0, 0, 0, 0];
        rt0.extend_from_slice(&target);
        let rt = ipv6(43, &ext_then(17, &rt0, &udp(1000, 2000, b"abcd")));
        recs.push(whole(eth(0x86dd, &rt)));
    }
    recs
}

fn ext_then(next: u8, ext: &[u8], inner: &[u8]) -> Vec<u8> {
    let mut v = vec![next];
    v.extend_from_slice(ext);
    v.extend_from_slice(inner);
    v
}

/// IPv6: payload length 0 and the jumbo option, routing headers (type 0
/// and segment routing around an inner packet), no next header, and the
/// ICMPv6 types tcpdump spells out (MLDv2, node information, router
/// renumbering, RPL, parameter problem, unknown).
pub fn ipv6_cases() -> Vec<Rec> {
    let u = udp(1000, 2000, b"abcd");
    let mut zero_len = ipv6(17, &u);
    set16(&mut zero_len, 4, 0);
    // Hop-by-hop with the jumbo payload option (type 0xc2, 4 bytes).
    let jumbo_len = (8 + u.len()) as u32;
    let mut hbh = vec![0, 0xc2, 4];
    hbh.extend_from_slice(&jumbo_len.to_be_bytes());
    let mut jumbo = ipv6(0, &ext_then(17, &hbh, &u));
    set16(&mut jumbo, 4, 0);
    // Type 0 routing header with two addresses, one left.
    let mut rt0 = vec![4, 0, 1, 0, 0, 0, 0];
    rt0.extend_from_slice(&IP6_B);
    rt0.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3]);
    let rt0 = ipv6(43, &ext_then(17, &rt0, &u));
    // Segment routing (type 4) carrying a whole IPv6 packet.
    let inner = ipv6(17, &u);
    let mut srh = vec![2, 4, 1, 1, 0, 0, 0];
    srh.extend_from_slice(&IP6_B);
    let srh = ipv6(43, &ext_then(41, &srh, &inner));
    let no_next = ipv6(59, &[]);
    // MLDv2 report with two records (the second with one source).
    let mut report = icmp(143, 0, &[0, 0, 0, 2]);
    report.extend_from_slice(&[4, 0, 0, 0]);
    report.extend_from_slice(&[0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfb]);
    report.extend_from_slice(&[2, 0, 0, 1]);
    report.extend_from_slice(&[0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 3]);
    report.extend_from_slice(&IP6_A);
    let mut query2 = icmp(130, 0, &[0x27, 0x10, 0, 0]);
    query2.extend_from_slice(&[0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfb]);
    query2.extend_from_slice(&[0x02, 125, 0, 0]);
    let mut query1 = icmp(130, 0, &[0x27, 0x10, 0, 0]);
    query1.extend_from_slice(&[0; 16]);
    let mut ni_query = icmp(139, 0, &[0, 3, 0, 0]);
    ni_query.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
    ni_query.extend_from_slice(&IP6_B);
    let mut ni_reply = icmp(140, 0, &[0, 3, 0, 0]);
    ni_reply.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
    let mut rr = icmp(138, 0, &[0, 0, 0, 1]);
    rr.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0]);
    let rpl_dis = icmp(155, 0, &[0, 0, 0, 0]);
    let mut rpl_dio = icmp(155, 1, &[1, 0, 0, 0x80, 0, 0, 0, 0]);
    rpl_dio.extend_from_slice(&IP6_A);
    let mut rpl_dao = icmp(155, 2, &[1, 0, 0, 1]);
    let mut quoted = ipv6(17, &u);
    quoted.truncate(48);
    let mut param = icmp(4, 1, &[0, 0, 0, 40]);
    param.extend_from_slice(&quoted);
    let param0 = icmp(4, 0, &[0, 0, 0, 6]);
    let param2 = icmp(4, 2, &[0, 0, 0, 42]);
    let unknown = icmp(
        250,
        7,
        &[
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
        ],
    );
    rpl_dao.extend_from_slice(&[0; 4]);
    let too_big = icmp(2, 0, &[0, 0, 5, 0]);
    let exceeded = icmp(3, 1, &[0, 0, 0, 0]);
    let v6 = |next: u8, p: &[u8]| whole(eth(0x86dd, &ipv6(next, p)));
    vec![
        whole(eth(0x86dd, &zero_len)),
        whole(eth(0x86dd, &jumbo)),
        whole(eth(0x86dd, &rt0)),
        whole(eth(0x86dd, &srh)),
        whole(eth(0x86dd, &no_next)),
        v6(58, &report),
        v6(58, &query2),
        v6(58, &query1),
        v6(58, &ni_query),
        v6(58, &ni_reply),
        v6(58, &rr),
        v6(58, &rpl_dis),
        v6(58, &rpl_dio),
        v6(58, &rpl_dao),
        v6(58, &param),
        v6(58, &param0),
        v6(58, &param2),
        v6(58, &unknown),
        v6(58, &too_big),
        v6(58, &exceeded),
        v6(200, &[1, 2, 3, 4]),
    ]
}

/// ICMP and ICMPv6 messages whose wording tcpdump spells out: every
/// redirect code, parameter problems, need-to-frag with and without an
/// MTU, the other unreachable codes; ICMPv6 time exceeded (`for ADDR`,
/// reassembly, unknown code, a quote cut), packet too big, redirect with
/// an option, node information with flag bits, MLDv2 with sources.
pub fn icmp_cases() -> Vec<Rec> {
    // The quoted datagram: 10.0.0.2 > 192.0.2.9, UDP.
    let mut inner = ipv4(17, &udp(1000, 2000, b"abcd"));
    inner[12..16].copy_from_slice(&IP_B);
    inner[16..20].copy_from_slice(&[192, 0, 2, 9]);
    inner.truncate(28);
    let v4 = |t: u8, code: u8, rest: [u8; 4]| {
        let mut m = icmp(t, code, &rest);
        m.extend_from_slice(&inner);
        whole(eth(0x0800, &ipv4(1, &m)))
    };
    let mut recs: Vec<Rec> = (0..4).map(|c| v4(5, c, [10, 0, 0, 254])).collect();
    recs.extend((0..3).map(|c| v4(12, c, [20, 0, 0, 0])));
    recs.push(v4(3, 4, [0, 0, 0x05, 0xdc]));
    recs.push(v4(3, 4, [0; 4]));
    recs.extend((5..=16).map(|c| v4(3, c, [0; 4])));
    let ip6_c = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9];
    let quote6 = ipv6_packet(IP6_B, ip6_c, 17, &udp(1000, 2000, b"abcd"));
    let v6 = |t: u8, code: u8, rest: [u8; 4], body: &[u8]| {
        let mut m = icmp(t, code, &rest);
        m.extend_from_slice(body);
        whole(eth(0x86dd, &ipv6(58, &m)))
    };
    recs.push(v6(3, 0, [0; 4], &quote6));
    recs.push(v6(3, 0, [0; 4], &[]));
    recs.push(v6(3, 1, [0; 4], &quote6));
    recs.push(v6(3, 2, [0; 4], &quote6));
    recs.push(v6(2, 0, [0, 0, 5, 0], &quote6));
    recs.push(v6(4, 0, [0, 0, 0, 7], &quote6));
    // Redirect: target ::9, destination ::2, a source link-address option.
    let mut redirect = ip6_c.to_vec();
    redirect.extend_from_slice(&IP6_B);
    redirect.extend_from_slice(&[1, 1, 2, 0, 0, 0, 0, 0x0a]);
    recs.push(v6(137, 0, [0; 4], &redirect));
    // Node information: a node-addresses query and reply with flag bits,
    // a supported-qtypes query with its C flag.
    let mut ni_q = vec![0; 8];
    ni_q.extend_from_slice(&IP6_B);
    recs.push(v6(139, 0, [0, 3, 0, 0x3e], &ni_q));
    let mut ni_r = vec![0; 8];
    ni_r.extend_from_slice(&[0, 0, 0, 9]);
    ni_r.extend_from_slice(&ip6_c);
    recs.push(v6(140, 0, [0, 3, 0, 0x7f], &ni_r));
    recs.push(v6(139, 0, [0, 1, 0, 1], &[0; 8]));
    // MLDv2: a query with two sources, S flag, robustness and an
    // exponential max response code; a report with sources and an
    // unknown record type.
    let group = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfb];
    let mut query = group.to_vec();
    query.extend_from_slice(&[0x0a, 0x90, 0, 2]);
    query.extend_from_slice(&IP6_A);
    query.extend_from_slice(&ip6_c);
    recs.push(v6(130, 0, [0x80, 0x10, 0, 0], &query));
    let mut report = vec![1, 0, 0, 2];
    report.extend_from_slice(&group);
    report.extend_from_slice(&IP6_A);
    report.extend_from_slice(&ip6_c);
    report.extend_from_slice(&[9, 0, 0, 0]);
    report.extend_from_slice(&[0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 3]);
    recs.push(v6(143, 0, [0, 0, 0, 2], &report));
    recs
}

/// An ARP body: hardware and protocol types, operation, addresses.
fn arp_body(
    op: u16,
    hw: u16,
    proto: u16,
    sha: [u8; 6],
    spa: [u8; 4],
    tha: [u8; 6],
    tpa: [u8; 4],
) -> Vec<u8> {
    let mut v = hw.to_be_bytes().to_vec();
    v.extend_from_slice(&proto.to_be_bytes());
    v.extend_from_slice(&[6, 4]);
    v.extend_from_slice(&op.to_be_bytes());
    v.extend_from_slice(&sha);
    v.extend_from_slice(&spa);
    v.extend_from_slice(&tha);
    v.extend_from_slice(&tpa);
    v
}

/// ARP: a request naming the target's MAC, RARP, InARP and unknown
/// operations, other hardware and protocol types, odd address sizes, a cut
/// packet.
pub fn arp_cases() -> Vec<Rec> {
    let a = |op, hw, proto, tha| {
        whole(eth(
            0x0806,
            &arp_body(op, hw, proto, MAC_A, IP_A, tha, IP_B),
        ))
    };
    let r = |op| {
        whole(eth(
            0x8035,
            &arp_body(op, 1, 0x0800, MAC_A, IP_A, MAC_B, IP_B),
        ))
    };
    let mut odd = arp_body(1, 1, 0x0800, MAC_A, IP_A, [0; 6], IP_B);
    odd[4] = 8;
    odd.extend_from_slice(&[0; 4]);
    let mut v6 = vec![0, 1, 0x86, 0xdd, 6, 16, 0, 1];
    v6.extend_from_slice(&MAC_A);
    v6.extend_from_slice(&IP6_A);
    v6.extend_from_slice(&[0; 6]);
    v6.extend_from_slice(&IP6_B);
    vec![
        a(1, 1, 0x0800, [0; 6]),
        a(1, 1, 0x0800, MAC_B),
        a(2, 1, 0x0800, MAC_B),
        r(3),
        r(4),
        a(8, 1, 0x0800, [0; 6]),
        a(9, 1, 0x0800, MAC_B),
        a(42, 1, 0x0800, [0; 6]),
        a(1, 6, 0x0800, [0; 6]),
        a(1, 32, 0x0800, [0; 6]),
        a(1, 1, 0x0806, [0; 6]),
        whole(eth(0x0806, &odd)),
        whole(eth(0x0806, &v6)),
        whole(eth(
            0x0806,
            &arp_body(1, 1, 0x0800, MAC_A, IP_A, [0; 6], IP_B)[..20],
        )),
    ]
}

/// 802.3 frames (a length where the EtherType goes, then LLC) and
/// EtherTypes tcpdump names in a short form (LLDP, EAPOL, an unknown slow
/// protocol) or dumps (unknown). PTP, PPPoE, MPLS, MACsec and loopback
/// have full dissectors in tcpdump and are not here.
pub fn ethertypes() -> Vec<Rec> {
    let llc = |dsap: u8, ssap: u8, ctrl: u8, rest: &[u8]| {
        let mut p = vec![dsap, ssap, ctrl];
        p.extend_from_slice(rest);
        let mut f = MAC_B.to_vec();
        f.extend_from_slice(&MAC_A);
        f.extend_from_slice(&(p.len() as u16).to_be_bytes());
        f.extend_from_slice(&p);
        f
    };
    let padded = |mut f: Vec<u8>| {
        f.resize(f.len().max(60), 0);
        whole(f)
    };
    let mut recs = vec![
        padded(llc(0xf0, 0xf0, 0x03, &[1, 2, 3, 4])),
        padded(llc(0x80, 0x81, 0x03, &[1, 2, 3, 4, 5, 6])),
        padded(llc(0x80, 0x80, 0xf3, &[])),
        padded(llc(0x80, 0x80, 0xbf, &[])),
        padded(llc(0x80, 0x80, 0x01, &[7])),
        padded(llc(0xaa, 0xaa, 0x03, &[0, 0, 0, 0x12, 0x34, 9, 9])),
        padded(eth(0x88cc, &[0x02, 0x07, 0x04, 2, 0, 0, 0, 0, 0x0a, 0, 0])),
        padded(eth(0x888e, &[0x02, 0x01, 0, 0])),
        padded(eth(0x8809, &[0x0a, 0x01])),
        padded(eth(0x1234, &[0; 8])),
        padded(eth(0x0842, &[0; 8])),
    ];
    // EtherTypes tcpdump only names (MOP, LAT, SCA, NS, AVTP, TRILL,
    // FCoE, RoCE, HSR, Profinet, local experimental ones …): its unknown
    // line with the name, on Ethernet, behind SNAP and behind a VLAN tag.
    for t in [
        0x6001u16, 0x6002, 0x6004, 0x6007, 0x0600, 0x0bad, 0x22f0, 0x22f3, 0x884c, 0x8892, 0x88b5,
        0x88b6, 0x8906, 0x8915, 0x892f,
    ] {
        recs.push(padded(eth(t, &[1, 2, 3, 4, 5, 6, 7, 8])));
        let [hi, lo] = t.to_be_bytes();
        recs.push(padded(llc(0xaa, 0xaa, 0x03, &[0, 0, 0, hi, lo, 1, 2, 3])));
        recs.push(padded(eth(0x8100, &[0, 7, hi, lo, 1, 2, 3, 4])));
    }
    recs.extend(arp_hardware().into_iter().map(padded));
    recs
}

/// ARP by hardware type: ATM ARP (19, RFC 2225's layout: ATM numbers,
/// E.164 bit, subaddresses, both protocol lengths) and Frame Relay's
/// Q.922 addresses (15), Ethernet's without addresses, for every
/// operation 0 to 11; ATM ARP cut at every fourth length.
fn arp_hardware() -> Vec<Vec<u8>> {
    let arp = |body: Vec<u8>| {
        let mut f = [0xff; 6].to_vec();
        f.extend_from_slice(&MAC_A);
        f.extend_from_slice(&0x0806u16.to_be_bytes());
        f.extend_from_slice(&body);
        f
    };
    let run = |from: u8, n: u8| (from..from + n).collect::<Vec<u8>>();
    let mut frames = Vec::new();
    for op in 0..12u16 {
        for (shtl, sstl, spln, thtl, tstl, tpln, pro) in [
            (20u8, 0u8, 4u8, 20u8, 0u8, 4u8, 0x0800u16),
            (0x48, 2, 4, 0, 0, 4, 0x0800),
            (20, 0, 4, 0, 0, 4, 0x0800),
            (20, 2, 16, 20, 2, 16, 0x86dd),
            (0, 0, 4, 0, 0, 4, 0x1000),
            (20, 0, 3, 20, 0, 4, 0x0800),
            (20, 0, 4, 20, 0, 5, 0x0800),
            (0, 0, 0, 0, 0, 0, 0x0800),
        ] {
            let mut b = 19u16.to_be_bytes().to_vec();
            b.extend_from_slice(&pro.to_be_bytes());
            b.extend_from_slice(&[shtl, sstl]);
            b.extend_from_slice(&op.to_be_bytes());
            b.extend_from_slice(&[spln, thtl, tstl, tpln]);
            let sender_ip = [10, 0, 0, 1, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9];
            let target_ip = [10, 0, 0, 2, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8];
            b.extend(run(1, shtl & 0x3f));
            b.extend(run(0x50, sstl & 0x3f));
            b.extend_from_slice(&sender_ip[..usize::from(spln)]);
            b.extend(run(0x20, thtl & 0x3f));
            b.extend(run(0x60, tstl & 0x3f));
            b.extend_from_slice(&target_ip[..usize::from(tpln)]);
            frames.push(arp(b));
        }
        for (hw, hln) in [(1u16, 6u8), (15, 2), (15, 4), (6, 6), (1, 0)] {
            let mut b = hw.to_be_bytes().to_vec();
            b.extend_from_slice(&[8, 0, hln, 4]);
            b.extend_from_slice(&op.to_be_bytes());
            b.extend(run(1, hln));
            b.extend_from_slice(&[10, 0, 0, 1]);
            b.extend(run(0x20, hln));
            b.extend_from_slice(&[10, 0, 0, 2]);
            frames.push(arp(b));
        }
    }
    let atm = frames[0].clone();
    frames.extend((14..atm.len()).step_by(4).map(|keep| atm[..keep].to_vec()));
    frames
}

/// Link type 0x30000001: Ethernet with the FCS-length bits libpcap masks.
pub fn fcs_linktype() -> Vec<Rec> {
    vec![whole(eth(0x0800, &ipv4(17, &udp(1, 2, b"fcs"))))]
}

/// Records a reader must not choke on: caplen 0 (with and without an
/// original length). (A microsecond field of a second or more is not
/// here: tcpdump prints it as a seven-digit fraction, `12:00:00.1500000`,
/// which we do not copy; see the README.)
pub fn records() -> Vec<u8> {
    let frame = eth(0x0800, &ipv4(17, &udp(1, 2, b"x")));
    let layout = Layout::new(1, 65535);
    let rec = |frac: u32, data: &[u8], orig_len: u32| Record {
        ts_sec: T0,
        ts_frac: frac,
        data: Cow::Owned(data.to_vec()),
        orig_len,
    };
    write_pcap(
        layout,
        [
            rec(0, &frame, frame.len() as u32),
            rec(10, &[], 0),
            rec(20, &[], 60),
            // An original length below the captured one, and 0 with bytes.
            rec(30, &frame, 30),
            rec(40, &frame, 0),
            rec(999_999, &frame, frame.len() as u32),
        ],
    )
}

/// A pcapng file whose section header has an option (shb_userappl) but no
/// end-of-options marker before the block's trailing length.
pub fn pcapng_without_end_of_options() -> Vec<u8> {
    let mut out = Vec::new();
    let block = |out: &mut Vec<u8>, kind: u32, body: &[u8]| {
        let len = (12 + body.len()) as u32;
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(&len.to_le_bytes());
    };
    let mut shb = 0x1a2b_3c4du32.to_le_bytes().to_vec();
    shb.extend_from_slice(&1u16.to_le_bytes());
    shb.extend_from_slice(&0u16.to_le_bytes());
    shb.extend_from_slice(&(-1i64).to_le_bytes());
    // shb_userappl (4), 8 bytes, no opt_endofopt after it.
    shb.extend_from_slice(&4u16.to_le_bytes());
    shb.extend_from_slice(&8u16.to_le_bytes());
    shb.extend_from_slice(b"sockscop");
    block(&mut out, 0x0a0d_0d0a, &shb);
    let mut idb = 1u16.to_le_bytes().to_vec();
    idb.extend_from_slice(&0u16.to_le_bytes());
    idb.extend_from_slice(&65535u32.to_le_bytes());
    block(&mut out, 1, &idb);
    let frame = eth(0x0800, &ipv4(17, &udp(1, 2, b"ng")));
    let us = T0 as u64 * 1_000_000 + 250;
    let mut epb = 0u32.to_le_bytes().to_vec();
    epb.extend_from_slice(&((us >> 32) as u32).to_le_bytes());
    epb.extend_from_slice(&(us as u32).to_le_bytes());
    epb.extend_from_slice(&(frame.len() as u32).to_le_bytes());
    epb.extend_from_slice(&(frame.len() as u32).to_le_bytes());
    epb.extend_from_slice(&frame);
    while !epb.len().is_multiple_of(4) {
        epb.push(0);
    }
    block(&mut out, 6, &epb);
    out
}

/// Each record of `recs` cut to each of `keeps` bytes that is shorter than
/// it (as `editcap -s N` would leave it).
fn cut_each(recs: Vec<Rec>, keeps: &[usize]) -> Vec<Rec> {
    let mut out = Vec::new();
    for r in recs {
        for &k in keeps.iter().filter(|&&k| k < r.data.len()) {
            out.push(Rec {
                data: r.data[..k].to_vec(),
                orig_len: r.orig_len,
            });
        }
    }
    out
}

/// An IPv4 header with `opts` (a multiple of four bytes) and its payload.
fn ipv4_with_options(proto: u8, opts: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut h = ipv4(proto, payload);
    h[0] = 0x45 + (opts.len() / 4) as u8;
    let total = (20 + opts.len() + payload.len()) as u16;
    set16(&mut h, 2, total);
    h.splice(20..20, opts.iter().copied());
    h
}

/// The packets the wider check (tests/tools/wider_check.sh) found printed
/// differently from tcpdump once re-cut with `editcap -s N`, cut here at
/// those lengths: ICMP errors cut within their header or the first bytes
/// of the quoted packet, ICMPv6 messages cut inside MLD, node
/// information, router renumbering and router advertisement bodies, TCP
/// and IPv4 options cut inside an option, routing and hop-by-hop headers
/// cut, a first fragment with nothing after its header; then IPv6 payload
/// lengths past the wire (`truncated-ip6`) and RPL destination
/// advertisements (`-v`).
pub fn cuts() -> Vec<Rec> {
    let mut recs = cut_each(icmp_cases(), &[38, 39, 44, 46, 54, 62]);
    recs.extend(cut_each(ipv6_cases(), &[54, 62, 70, 80]));
    recs.extend(cut_each(nd_and_errors(), &[62]));
    recs.extend(cut_each(ipv6_options(), &[54, 62]));
    // IPv4 options cut: record route (ICMP inside: the hosts are named),
    // NOP, NOP and a cut kind byte, a loose source route of a bad length
    // whose last slot runs past the capture, router alert (UDP inside).
    let echo = icmp(8, 0, &[0, 1, 0, 1, 1, 2, 3, 4]);
    let rr = [7, 11, 4, 10, 0, 0, 9, 0, 0, 0, 0, 1];
    let nop_ts = [1, 1, 68, 12, 5, 0, 0, 0, 0, 0, 0, 0];
    let lsrr = [131, 9, 4, 1, 2, 3, 4, 5, 6, 0, 0, 0];
    let ra = [1, 148, 4, 0, 0, 0, 0, 0];
    let u = udp(1000, 2000, b"abcd");
    for (proto, opts, payload, keeps) in [
        (1u8, &rr[..], &echo[..], &[38usize, 40, 41][..]),
        (
            6,
            &nop_ts[..],
            &tcp(SYN, 1, 0, &[], &[])[..],
            &[36, 37, 38][..],
        ),
        (17, &lsrr[..], &u[..], &[44][..]),
        (17, &ra[..], &u[..], &[36, 38][..]),
    ] {
        let frame = eth(0x0800, &ipv4_with_options(proto, opts, payload));
        recs.extend(cut_each(vec![whole(frame)], keeps));
    }
    // A TCP option whose length byte is 0, cut after that byte.
    let bad = v4_tcp(PSH_ACK, &[1, 1, 8, 0, 0, 0, 0, 1, 0, 0, 0, 0], b"abcd");
    recs.extend(cut_each(vec![whole(bad)], &[62, 64]));
    // IPv6 payload lengths past the wire: UDP, TCP, ICMPv6; and one the
    // snap length cut (no message: the wire had it all).
    let mut long_udp = ipv6(17, &u);
    set16(&mut long_udp, 4, 100);
    let mut long_tcp = ipv6(6, &tcp(SYN, 1, 0, &[], &[]));
    set16(&mut long_tcp, 4, 60);
    let mut long_echo = ipv6(58, &icmp(128, 0, &[0, 1, 0, 1]));
    set16(&mut long_echo, 4, 30);
    for p in [long_udp, long_tcp, long_echo] {
        recs.push(whole(eth(0x86dd, &p)));
    }
    let mut snapped = whole(eth(0x86dd, &ipv6(17, &u)));
    snapped.orig_len += 100;
    recs.push(snapped);
    // RPL destination advertisements: with the DODAG ID flag (and K), and
    // one too short for the ID its flag announces.
    let mut dao_d = icmp(155, 2, &[1, 0xc0, 0, 7]);
    dao_d.extend_from_slice(&IP6_A);
    let mut dao_short = icmp(155, 2, &[1, 0x40, 0, 7]);
    dao_short.extend_from_slice(&[0; 16]);
    let mut short_ip = ipv6(58, &dao_short);
    set16(&mut short_ip, 4, 12);
    for p in [ipv6(58, &dao_d), short_ip] {
        recs.push(whole(eth(0x86dd, &p)));
    }
    // What tcpdump's IPv6 printer refuses: ICMP (v4) in IPv6, an inner
    // IPv4 or IPv6 header of another version, a hop-by-hop header after
    // another one or after destination options.
    let mut echo_reply = icmp(0, 0, &[0, 1, 0, 1]);
    echo_reply.extend_from_slice(&[0; 32]);
    let pad = [0, 1, 4, 0, 0, 0, 0];
    for p in [
        ipv6(1, &echo_reply),
        ipv6(4, &[0; 40]),
        ipv6(41, &[0; 40]),
        ipv6(0, &ext_then(0, &pad, &ext_then(17, &pad, &u))),
        ipv6(60, &ext_then(0, &pad, &ext_then(17, &pad, &u))),
    ] {
        recs.push(whole(eth(0x86dd, &p)));
    }
    // Router renumbering and RPL (exact_rr_rpl.pcap) cut inside the
    // header, the match and use parts, the DIO/DAO fields and options.
    recs.extend(cut_each(
        rr_rpl(),
        &[
            55, 56, 58, 62, 66, 70, 78, 80, 86, 90, 94, 100, 110, 118, 126,
        ],
    ));
    // The wider check at snap 56 and 58: ICMPv6 cut inside its 8-byte
    // header (2 and 4 bytes of it), TCP options cut inside their data.
    for cases in [icmp_cases(), ipv6_cases(), nd_and_errors(), tcp_options()] {
        recs.extend(cut_each(cases, &[56, 58]));
    }
    recs.extend(icmp6_header_cuts());
    recs.extend(icmp_header_cuts());
    recs.extend(tcp_option_cuts());
    recs.extend(tcp_option_list_ends());
    recs.extend(tcp_option_odd_lengths());
    recs.extend(router_adverts());
    recs.extend(calm_fast());
    recs
}

/// CALM FAST (EtherType 0x1111): no byte, one (shorter than its two
/// network references), the references alone, with data after them, and
/// padded to 60 bytes; whole and cut at every byte.
fn calm_fast() -> Vec<Rec> {
    let mut recs = Vec::new();
    let bodies: [&[u8]; 4] = [&[], &[1], &[1, 2], b"\x03\x04data"];
    for body in bodies {
        recs.push(whole(eth(0x1111, body)));
    }
    let mut padded = eth(0x1111, &[0, 1, 2, 3]);
    padded.resize(60, 0);
    for frame in [eth(0x1111, b"\x03\x04data"), padded] {
        let keeps: Vec<usize> = (14..frame.len()).collect();
        recs.extend(cut_each(vec![whole(frame)], &keeps));
    }
    recs
}

/// ICMP router advertisements (RFC 1256), whole and cut at every byte:
/// lifetimes in tcpdump's three forms (`59`, `59:59`, `1:01:01`), no
/// entry, two, more announced than sent, entry sizes other than two
/// (` [size 3]`).
fn router_adverts() -> Vec<Rec> {
    let entries = [192, 0, 2, 9, 0, 0, 0, 5, 192, 0, 2, 10, 0, 0, 1, 0];
    let cases: [(u8, u8, u16, &[u8]); 9] = [
        (1, 2, 1800, &entries[..8]),
        (2, 2, 59, &entries),
        (1, 2, 60, &entries[..8]),
        (1, 2, 3599, &entries[..8]),
        (1, 2, 3661, &entries[..8]),
        (0, 2, 65535, &[]),
        (3, 2, 1800, &entries),
        (1, 3, 1800, &entries[..12]),
        (2, 1, 1800, &entries),
    ];
    let mut recs = Vec::new();
    for (num, size, lifetime, body) in cases {
        let mut rest = vec![num, size];
        rest.extend_from_slice(&lifetime.to_be_bytes());
        rest.extend_from_slice(body);
        let frame = eth(0x0800, &ipv4(1, &icmp(9, 0, &rest)));
        let keeps: Vec<usize> = (34..frame.len()).collect();
        recs.extend(cut_each(vec![whole(frame.clone())], &keeps));
        recs.push(whole(frame));
    }
    recs
}

/// Option lists tcpdump ends early, whole and cut at every length past
/// the fixed header, without and with payload: at end-of-list (first,
/// after a NOP, after MSS), where it stops reading, so a cut past it shows
/// only when it wants the payload (`eol], length 4 [remaining caplen(21)
/// < header length(24)]`); and at an option it rejects (a length below
/// 2, past the header), `[bad opt]` closed by `]` only after an option.
fn tcp_option_list_ends() -> Vec<Rec> {
    let lists: [&[u8]; 9] = [
        &[0, 1, 1, 1],
        &[1, 0, 0, 0],
        &[2, 4, 5, 0xb4, 0, 1, 1, 1],
        &[1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 8, 0, 0, 0, 0],
        &[2, 1, 0, 0],
        &[2, 0, 0, 0],
        &[99, 9, 1, 2],
        &[1, 2, 1, 0],
        &[1, 1, 99, 7, 1, 2, 3, 0],
    ];
    option_lists_cut_everywhere(&lists)
}

/// Each option list in a SYN and in a segment with payload, cut at every
/// length past the fixed header, then whole.
fn option_lists_cut_everywhere(lists: &[&[u8]]) -> Vec<Rec> {
    let mut recs = Vec::new();
    for opts in lists {
        for (flags, payload) in [(SYN, &b""[..]), (PSH_ACK, &b"abcd"[..])] {
            let frame = v4_tcp(flags, opts, payload);
            let keeps: Vec<usize> = (54..frame.len()).collect();
            recs.extend(cut_each(vec![whole(frame.clone())], &keeps));
            recs.push(whole(frame));
        }
    }
    recs
}

/// Options of a fixed size whose length byte says another (tcpdump reads
/// them by their kind's size, prints `[len N]` and goes on after that
/// size, so the next option may start inside this one), SACKs without
/// edges (`sack 0 `) or with a length edges do not fill (`sack invalid
/// sack`), and a kind's size past the header after its name
/// (`mss[bad opt]]`); whole and cut at every length past the fixed
/// header, without and with payload.
fn tcp_option_odd_lengths() -> Vec<Rec> {
    let lists: [&[u8]; 24] = [
        &[2, 3, 1, 0, 1, 1, 1, 1],
        &[2, 2, 5, 0xb4, 1, 1, 1, 1],
        &[2, 5, 5, 0xb4, 9, 1, 1, 1],
        &[1, 2, 3, 1],
        &[2, 10, 5, 0xb4, 1, 1, 1, 1, 1, 1, 1, 1],
        &[3, 4, 7, 1],
        &[3, 2, 7, 0],
        &[4, 3, 1, 1],
        &[4, 4, 0, 0],
        &[8, 12, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1],
        &[8, 6, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1],
        &[5, 2, 1, 1],
        &[5, 12, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1, 1, 1, 1, 1],
        &[5, 4, 0, 0, 0, 1, 0, 0],
        &[4, 3, 2, 4, 5, 0xb4, 1, 1],
        &[2, 3, 5, 0xb4, 3, 7, 1, 1],
        &[6, 3, 0, 0, 1, 1, 1, 1],
        &[7, 8, 0, 0, 0, 1, 1, 1],
        &[11, 5, 0, 0, 0, 9, 1, 1],
        &[13, 8, 0, 0, 0, 9, 1, 1],
        &[28, 3, 0x80, 0x1e, 1, 1, 1, 1],
        &[20, 2, 1, 1, 1, 1, 1, 1],
        &[
            19, 10, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
            1, 1, 1, 1,
        ],
        &[1, 1, 8, 8, 0, 0, 0, 1, 0, 0, 0, 2],
    ];
    option_lists_cut_everywhere(&lists)
}

/// ICMP (v4) cut inside its 8-byte header, one type of each way tcpdump
/// ends: after a check of its own (port unreachable, router
/// advertisement, time exceeded, timestamp reply), without one (echo,
/// host unreachable, redirect), or with the whole line (information
/// request, source quench, an unknown type).
fn icmp_header_cuts() -> Vec<Rec> {
    let mut recs = Vec::new();
    let types = [3u8, 9, 11, 14, 8, 3, 5, 15, 4, 42];
    let codes = [3u8, 0, 0, 0, 0, 1, 1, 0, 0, 0];
    for (t, code) in types.into_iter().zip(codes) {
        let frame = eth(0x0800, &ipv4(1, &icmp(t, code, &[0, 1, 0, 2, 0x45, 0])));
        recs.extend(cut_each(vec![whole(frame)], &[35, 36, 38, 40]));
    }
    // A port unreachable and a time exceeded without a quote (bytes past
    // the IP packet do not count), and with one the capture cut before
    // and after the quoted protocol byte.
    let quote = ipv4(17, &udp(1000, 53, b"abcd"));
    for t in [3, 11] {
        let mut bare = eth(0x0800, &ipv4(1, &icmp(t, 3, &[0, 0, 0, 0])));
        bare.extend_from_slice(&quote);
        recs.extend(cut_each(vec![whole(bare)], &[46, 54]));
        let rest = [&[0, 0, 0, 0][..], &quote].concat();
        let quoted = eth(0x0800, &ipv4(1, &icmp(t, 3, &rest)));
        recs.extend(cut_each(vec![whole(quoted)], &[46, 54]));
    }
    recs
}

/// Every ICMPv6 type tcpdump names (and two it does not) cut after its
/// type, code, checksum and identifier: tcpdump names the message and
/// prints each field it reads as far as captured. The declared length
/// decides an MLD query's version and what node information prints.
fn icmp6_header_cuts() -> Vec<Rec> {
    let mut types: Vec<(u8, u8, usize)> = [
        1, 2, 128, 129, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 142, 143, 144, 145,
        146, 147, 155, 200, 201, 250,
    ]
    .iter()
    .map(|&t| (t, 0, 32))
    .collect();
    // Whole messages shorter than the header (payload length 0, 2 and 4:
    // -v's checksum needs 4 bytes); unreachable codes with and without
    // tcpdump's words, time exceeded in transit, reassembly and an
    // unknown code, parameter problem; MLD queries of version 1, 2 and
    // neither, a report v2 too short.
    types.extend([(128, 0, 0), (128, 0, 2), (128, 0, 4)]);
    types.extend([(1, 4, 32), (1, 9, 32), (3, 0, 60)]);
    types.extend([(3, 1, 60), (3, 2, 60), (4, 0, 60)]);
    types.extend([(130, 0, 24), (130, 0, 28), (130, 0, 20), (143, 0, 6)]);
    let mut recs = Vec::new();
    for (t, code, len) in types {
        let mut m = icmp(t, code, &[0, 1, 0, 2]);
        m.resize(len.max(8), 0x11);
        let mut ip = ipv6(58, &m);
        set16(&mut ip, 4, len as u16);
        let frame = eth(0x86dd, &ip);
        recs.extend(cut_each(vec![whole(frame)], &[55, 56, 58, 60]));
    }
    recs
}

/// Every TCP option kind tcpdump names (and unknown ones), of a length
/// valid for its kind, cut inside its data: first in the list (tcpdump's
/// line ends ` [|tcp]`) and after a NOP (` [|tcp]>`).
fn tcp_option_cuts() -> Vec<Rec> {
    // (kind, length): the classic ones, echo and CC, unknown kinds,
    // MD5, SCPS, user timeout, TCP-AO, MPTCP, Fast Open, experimental.
    let kinds = [
        2u8, 3, 5, 6, 7, 8, 11, 12, 13, 14, 19, 20, 27, 28, 29, 30, 34, 99, 253, 254,
    ];
    let lens = [
        4usize, 3, 18, 6, 6, 10, 6, 6, 6, 3, 18, 4, 6, 4, 8, 12, 10, 6, 6, 6,
    ];
    let mut recs = Vec::new();
    for (kind, len) in kinds.into_iter().zip(lens) {
        for nop in [false, true] {
            let mut opts = if nop { vec![1] } else { Vec::new() };
            opts.push(kind);
            opts.push(len as u8);
            opts.extend(1..len as u8 - 1);
            let at = 54 + usize::from(nop);
            opts.resize(opts.len().div_ceil(4) * 4, 0);
            let frame = v4_tcp(SYN, &opts, &[]);
            recs.extend(cut_each(
                vec![whole(frame)],
                &[at + 2, at + 3, at + len - 1],
            ));
        }
    }
    recs
}
