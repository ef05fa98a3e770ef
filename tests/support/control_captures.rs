//! `captures/dissect_l2ctl.pcap` and `captures/dissect_ipctl.pcap`: the
//! control protocols built byte by byte with realistic values — IGMP v1 to
//! v3 (queries general and group-specific, coded response times, reports
//! with every record type and sources, leaves, mtrace), VRRP v2 (no,
//! simple and AH authentication, several addresses, a TTL not 255, a bad
//! checksum) and v3 over IPv4 and IPv6, STP (802.1D config and TCN, RSTP
//! with each port role, MSTP with MSTIs, unknown versions and types, short
//! BPDUs, inside a VLAN tag), LLDP (the usual TLVs, management addresses
//! of each family, 802.1 VLAN TLVs, TLVs it dumps in hex) — then cuts of
//! each and damaged copies from a seeded generator (the first byte, which
//! picks the message kind, kept). `tests/dissect_control.rs` compares
//! `sockscope read` with `tcpdump -n -r` on them.

use super::app_captures::{Frame, capture};
use super::dns_captures::mutate;
use super::frames::{IP6_A, IP6_B, MAC_A, MAC_B};
use super::rng::Rng;

/// The Internet checksum of `parts` concatenated (each even-sized but
/// the last).
pub fn cksum(parts: &[&[u8]]) -> u16 {
    let bytes: Vec<u8> = parts.concat();
    let mut sum: u32 = bytes
        .chunks(2)
        .map(|c| u32::from(c[0]) << 8 | u32::from(*c.get(1).unwrap_or(&0)))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// `m` with its checksum at `at` filled in over `pseudo` and itself.
fn with_sum(mut m: Vec<u8>, at: usize, pseudo: &[u8]) -> Vec<u8> {
    let s = cksum(&[pseudo, &m]);
    m[at..at + 2].copy_from_slice(&s.to_be_bytes());
    m
}

/// An Ethernet frame of `ether_type` from A to `dst`.
pub fn ether(dst: [u8; 6], ether_type: u16, payload: &[u8]) -> Vec<u8> {
    [&dst[..], &MAC_A, &ether_type.to_be_bytes(), payload].concat()
}

/// Ethernet and IPv4 (with `options`) from `src` to `dst` carrying
/// `proto`; the header checksum is right.
pub fn ipv4(src: [u8; 4], dst: [u8; 4], ttl: u8, proto: u8, options: &[u8], m: &[u8]) -> Vec<u8> {
    let hlen = 20 + options.len();
    let total = (hlen + m.len()) as u16;
    let mut h = vec![0x40 | (hlen / 4) as u8, 0xc0];
    h.extend_from_slice(&total.to_be_bytes());
    h.extend_from_slice(&[0x12, 0x34, 0, 0, ttl, proto, 0, 0]);
    h.extend_from_slice(&src);
    h.extend_from_slice(&dst);
    h.extend_from_slice(options);
    let h = with_sum(h, 10, &[]);
    let mac = if dst[0] >= 224 {
        [0x01, 0, 0x5e, dst[1] & 0x7f, dst[2], dst[3]]
    } else {
        MAC_B
    };
    ether(mac, 0x0800, &[&h[..], m].concat())
}

/// The IPv4 pseudo header for `proto` and `len`.
fn pseudo4(src: [u8; 4], dst: [u8; 4], proto: u8, len: usize) -> Vec<u8> {
    [&src[..], &dst, &[0, proto], &(len as u16).to_be_bytes()].concat()
}

fn frame(bytes: Vec<u8>) -> Frame {
    Frame { bytes, snap: None }
}

/// `f` with only `keep` bytes captured.
fn cut(f: &[u8], keep: usize) -> Frame {
    Frame {
        bytes: f.to_vec(),
        snap: Some(keep),
    }
}

const HOST: [u8; 4] = [192, 0, 2, 10];
const ROUTER: [u8; 4] = [192, 0, 2, 1];
const ALL_HOSTS: [u8; 4] = [224, 0, 0, 1];
const ROUTER_ALERT: [u8; 4] = [0x94, 0x04, 0, 0];

/// An IGMP message from `src` to `dst`, TTL 1, router alert, checksum right.
fn igmp(src: [u8; 4], dst: [u8; 4], m: Vec<u8>) -> Vec<u8> {
    ipv4(src, dst, 1, 2, &ROUTER_ALERT, &with_sum(m, 2, &[]))
}

fn igmp_v12(kind: u8, mrt: u8, group: [u8; 4]) -> Vec<u8> {
    [&[kind, mrt, 0, 0][..], &group].concat()
}

fn igmp_v3_query(mrc: u8, group: [u8; 4], sources: &[[u8; 4]]) -> Vec<u8> {
    let mut m = vec![0x11, mrc, 0, 0];
    m.extend_from_slice(&group);
    m.extend_from_slice(&[0x02, 125]);
    m.extend_from_slice(&(sources.len() as u16).to_be_bytes());
    sources.iter().for_each(|s| m.extend_from_slice(s));
    m
}

/// A v3 group record: type, group, sources.
type Record<'a> = (u8, [u8; 4], &'a [[u8; 4]]);

fn igmp_v3_report(records: &[Record<'_>]) -> Vec<u8> {
    let mut m = vec![0x22, 0, 0, 0, 0, 0];
    m.extend_from_slice(&(records.len() as u16).to_be_bytes());
    for (kind, group, sources) in records {
        m.extend_from_slice(&[*kind, 0]);
        m.extend_from_slice(&(sources.len() as u16).to_be_bytes());
        m.extend_from_slice(group);
        sources.iter().for_each(|s| m.extend_from_slice(s));
    }
    m
}

/// The IGMP messages: (source, destination, message without checksum).
pub fn igmp_messages() -> Vec<([u8; 4], [u8; 4], Vec<u8>)> {
    let g = [239, 1, 2, 3];
    let s1 = [198, 51, 100, 7];
    let s2 = [198, 51, 100, 8];
    let mut mtrace = vec![0x1f, 30, 0, 0];
    mtrace.extend_from_slice(&[239, 1, 2, 3, 198, 51, 100, 7, 192, 0, 2, 10]);
    mtrace.extend_from_slice(&[224, 0, 1, 32, 64, 0, 0x12, 0x34]);
    let mut mresp = mtrace.clone();
    mresp[0] = 0x1e;
    mresp[16..20].copy_from_slice(&[192, 0, 2, 10]);
    vec![
        (ROUTER, ALL_HOSTS, igmp_v12(0x11, 0, [0; 4])),
        (ROUTER, ALL_HOSTS, igmp_v12(0x11, 100, [0; 4])),
        (ROUTER, g, igmp_v12(0x11, 10, g)),
        (HOST, g, igmp_v12(0x12, 0, g)),
        (HOST, g, igmp_v12(0x16, 0, g)),
        (HOST, [224, 0, 0, 2], igmp_v12(0x17, 0, g)),
        (ROUTER, ALL_HOSTS, igmp_v3_query(100, [0; 4], &[])),
        (ROUTER, ALL_HOSTS, igmp_v3_query(10, [0; 4], &[])),
        (ROUTER, g, igmp_v3_query(100, g, &[])),
        (ROUTER, g, igmp_v3_query(0x8f, g, &[s1, s2])),
        (ROUTER, g, igmp_v3_query(0xff, g, &[s1])),
        (ROUTER, g, igmp_v3_query(59, g, &[s1, s2])),
        (HOST, [224, 0, 0, 22], igmp_v3_report(&[(4, g, &[])])),
        (HOST, [224, 0, 0, 22], igmp_v3_report(&[(3, g, &[])])),
        (
            HOST,
            [224, 0, 0, 22],
            igmp_v3_report(&[
                (1, g, &[s1]),
                (2, [239, 9, 9, 9], &[]),
                (5, g, &[s1, s2]),
                (6, g, &[s2]),
            ]),
        ),
        (HOST, [224, 0, 0, 22], igmp_v3_report(&[(7, g, &[s1])])),
        (ROUTER, [224, 0, 1, 32], mtrace),
        (ROUTER, HOST, mresp),
        (HOST, g, vec![0x42, 0, 0, 0, 239, 1, 2, 3]),
        (HOST, g, igmp_v12(0x16, 0, g)[..7].to_vec()),
        (HOST, g, [igmp_v12(0x12, 0, g), vec![0; 4]].concat()),
        (ROUTER, ALL_HOSTS, igmp_v12(0x11, 0, [0; 4])[..6].to_vec()),
        (
            ROUTER,
            ALL_HOSTS,
            [igmp_v3_query(100, g, &[s1]), vec![0]].concat(),
        ),
        (HOST, g, igmp_v3_report(&[(4, g, &[s1])])[..14].to_vec()),
    ]
}

fn vrrp2(vrid: u8, prio: u8, auth: u8, addrs: &[[u8; 4]], tail: &[u8]) -> Vec<u8> {
    let mut m = vec![0x21, vrid, prio, addrs.len() as u8, auth, 1, 0, 0];
    addrs.iter().for_each(|a| m.extend_from_slice(a));
    m.extend_from_slice(tail);
    with_sum(m, 6, &[])
}

fn vrrp_v4(ttl: u8, m: &[u8]) -> Vec<u8> {
    ipv4(ROUTER, [224, 0, 0, 18], ttl, 112, &[], m)
}

/// VRRP frames, whole (the cut and damaged ones come from these).
pub fn vrrp_frames() -> Vec<Vec<u8>> {
    let vip = [192, 0, 2, 254];
    let mut bad = vrrp2(7, 200, 0, &[vip], &[0; 8]);
    bad[6] ^= 0x55;
    let mut v3 = vec![0x31, 9, 150, 2, 0x00, 100, 0, 0];
    v3.extend_from_slice(&vip);
    v3.extend_from_slice(&[192, 0, 2, 253]);
    let v3 = with_sum(
        v3.clone(),
        6,
        &pseudo4(ROUTER, [224, 0, 0, 18], 112, v3.len()),
    );
    let mut v3_6 = vec![0x31, 9, 150, 1, 0x00, 100, 0, 0];
    let ll: [u8; 16] = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    let group: [u8; 16] = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12];
    v3_6.extend_from_slice(&ll);
    let mut pseudo = [&IP6_A[..], &group].concat();
    pseudo.extend_from_slice(&(v3_6.len() as u32).to_be_bytes());
    pseudo.extend_from_slice(&[0, 0, 0, 112]);
    let v3_6 = with_sum(v3_6, 6, &pseudo);
    let mut ip6 = super::frames::ipv6_packet(IP6_A, group, 112, &v3_6);
    ip6[7] = 255;
    vec![
        vrrp_v4(255, &vrrp2(1, 100, 0, &[vip], &[0; 8])),
        vrrp_v4(
            255,
            &vrrp2(
                2,
                254,
                1,
                &[vip, [192, 0, 2, 253], [192, 0, 2, 252]],
                b"secret\0\0",
            ),
        ),
        vrrp_v4(255, &vrrp2(3, 100, 1, &[vip], b"eightchr")),
        vrrp_v4(255, &vrrp2(4, 100, 2, &[vip], &[1; 8])),
        vrrp_v4(255, &vrrp2(5, 100, 9, &[vip], &[0; 8])),
        vrrp_v4(64, &vrrp2(6, 100, 0, &[vip], &[0; 8])),
        vrrp_v4(255, &bad),
        vrrp_v4(255, &v3),
        ether([0x33, 0x33, 0, 0, 0, 0x12], 0x86dd, &ip6),
        vrrp_v4(255, &with_sum(vec![0x22, 1, 100, 0, 0, 1, 0, 0], 6, &[])),
        vrrp_v4(255, &with_sum(vec![0x11, 1, 100, 0, 0, 1, 0, 0], 6, &[])),
    ]
}

/// An OSPFv2 message: header (type, router, area, authentication) and
/// body, its length and checksum filled in (the checksum leaves out the
/// authentication data, as RFC 2328 says).
fn ospf(
    kind: u8,
    router: [u8; 4],
    area: [u8; 4],
    auth: u16,
    auth_data: [u8; 8],
    body: &[u8],
) -> Vec<u8> {
    let len = (24 + body.len()) as u16;
    let mut m = vec![2, kind];
    m.extend_from_slice(&len.to_be_bytes());
    m.extend_from_slice(&router);
    m.extend_from_slice(&area);
    m.extend_from_slice(&[0, 0]);
    m.extend_from_slice(&auth.to_be_bytes());
    m.extend_from_slice(&[0; 8]);
    m.extend_from_slice(body);
    let mut m = with_sum(m, 12, &[]);
    m[16..24].copy_from_slice(&auth_data);
    m
}

fn ospf_hello(options: u8, dr: [u8; 4], bdr: [u8; 4], neighbors: &[[u8; 4]]) -> Vec<u8> {
    let mut b = vec![255, 255, 255, 0, 0, 10, options, 1, 0, 0, 0, 40];
    b.extend_from_slice(&dr);
    b.extend_from_slice(&bdr);
    neighbors.iter().for_each(|n| b.extend_from_slice(n));
    b
}

/// An LSA header: age, options, type, id, router, sequence, length.
fn lsa_head(kind: u8, id: [u8; 4], router: [u8; 4], len: usize) -> Vec<u8> {
    let mut h = vec![0, 42, 0x22, kind];
    h.extend_from_slice(&id);
    h.extend_from_slice(&router);
    h.extend_from_slice(&0x8000_0003u32.to_be_bytes());
    h.extend_from_slice(&[0x12, 0x34]);
    h.extend_from_slice(&(len as u16).to_be_bytes());
    h
}

fn lsa(kind: u8, id: [u8; 4], router: [u8; 4], body: &[u8]) -> Vec<u8> {
    [lsa_head(kind, id, router, 20 + body.len()), body.to_vec()].concat()
}

/// OSPFv2 messages over IPv4, each in its frame.
pub fn ospf_frames() -> Vec<Vec<u8>> {
    let (r1, r2) = ([10, 0, 0, 1], [10, 0, 0, 2]);
    let area = [0, 0, 0, 1];
    let none = [0; 8];
    let to_all = |m: &[u8]| ipv4(ROUTER, [224, 0, 0, 5], 1, 89, &[], m);
    let to_r2 = |m: &[u8]| ipv4(ROUTER, [192, 0, 2, 2], 1, 89, &[], m);
    let mut router_links = vec![0x03, 0, 0, 4];
    for (id, data, kind, tos) in [
        ([10, 0, 0, 2], [192, 0, 2, 1], 1u8, 0u8),
        ([192, 0, 2, 0], [255, 255, 255, 0], 3, 2),
        ([192, 0, 2, 9], [192, 0, 2, 1], 2, 0),
        ([10, 0, 0, 9], [192, 0, 2, 1], 4, 0),
    ] {
        router_links.extend_from_slice(&id);
        router_links.extend_from_slice(&data);
        router_links.extend_from_slice(&[kind, tos, 0, 10]);
        for t in 0..tos {
            router_links.extend_from_slice(&[t + 1, 0, 0, 20]);
        }
    }
    let network = [&[255, 255, 255, 0][..], &r1, &r2].concat();
    let summary = [&[255, 255, 0, 0][..], &[0, 0, 0, 100], &[1, 0, 0, 50]].concat();
    let asbr = [0u8, 0, 0, 0, 0, 0, 1, 0].to_vec();
    let external = [
        &[255, 255, 255, 0][..],
        &[0x80, 0, 0, 20],
        &[0; 4],
        &[0; 4],
        &[0x00, 0xff, 0xff, 0xff],
        &[192, 0, 2, 99],
        &[0, 0, 0, 7],
    ]
    .concat();
    let group = [
        &[0, 0, 0, 1][..],
        &r1,
        &[0, 0, 0, 2],
        &r2,
        &[0, 0, 0, 9],
        &r2,
    ]
    .concat();
    let opaque = [0u8, 1, 0, 4, 1, 2, 3, 4].to_vec();
    let lsas = [
        lsa(1, r1, r1, &router_links),
        lsa(2, [192, 0, 2, 1], r1, &network),
        lsa(3, [172, 16, 0, 0], r1, &summary),
        lsa(4, [10, 0, 0, 7], r1, &asbr),
        lsa(5, [198, 51, 100, 0], r1, &external),
        lsa(7, [198, 51, 100, 0], r1, &external),
        lsa(6, [239, 1, 2, 3], r1, &group),
        lsa(10, [9, 0, 0, 5], r1, &opaque),
    ];
    let mut lsu = (lsas.len() as u32).to_be_bytes().to_vec();
    lsas.iter().for_each(|l| lsu.extend_from_slice(l));
    let headers: Vec<u8> = lsas.iter().flat_map(|l| l[..20].to_vec()).collect();
    let mut dd = vec![0x05, 0xdc, 0x42, 0x07];
    dd.extend_from_slice(&0x0000_1d46u32.to_be_bytes());
    let mut dd_more = dd.clone();
    dd_more[3] = 0x02;
    dd_more.extend_from_slice(&headers);
    let mut lsr = Vec::new();
    for (t, id) in [(1u32, r1), (5, [198, 51, 100, 0]), (10, [4, 0, 0, 7])] {
        lsr.extend_from_slice(&t.to_be_bytes());
        lsr.extend_from_slice(&id);
        lsr.extend_from_slice(&r1);
    }
    let md5 = [0, 0, 1, 16, 0x5f, 0x00, 0x12, 0x34];
    let mut hello_md5 = ospf(1, r1, area, 2, md5, &ospf_hello(0x02, [0; 4], [0; 4], &[]));
    hello_md5.extend_from_slice(&[0xaa; 16]);
    let mut hello_lls = ospf(
        1,
        r1,
        [0; 4],
        0,
        none,
        &ospf_hello(0x12, [192, 0, 2, 1], [0; 4], &[r2]),
    );
    hello_lls.extend_from_slice(&[0xff, 0xf6, 0, 3, 0, 1, 0, 4, 0, 0, 0, 1]);
    let mut hello_lls_md5 = ospf(
        1,
        r1,
        [0; 4],
        0,
        none,
        &ospf_hello(0x12, [0; 4], [0; 4], &[]),
    );
    hello_lls_md5.extend_from_slice(&[0, 0, 0, 7, 0, 2, 0, 20, 0, 0, 0, 9]);
    hello_lls_md5.extend_from_slice(&[0; 16]);
    hello_lls_md5.extend_from_slice(&[0, 9, 0, 0]);
    // OSPFv3 hellos over IPv6 (RFC 5340): header, interface id,
    // priority and options, timers, DR, BDR, neighbours.
    let v3_hello = |instance: u8, dr: [u8; 4], neighbors: &[[u8; 4]]| {
        let mut m = vec![3, 1, 0, 0];
        m.extend_from_slice(&r1);
        m.extend_from_slice(&[0; 4]);
        m.extend_from_slice(&[
            0, 0, instance, 0, 0, 0, 0, 5, 1, 0, 0x02, 0x13, 0, 10, 0, 40,
        ]);
        m.extend_from_slice(&dr);
        m.extend_from_slice(&[0; 4]);
        neighbors.iter().for_each(|n| m.extend_from_slice(n));
        let len = (m.len() as u16).to_be_bytes();
        m[2..4].copy_from_slice(&len);
        let all_spf: [u8; 16] = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5];
        let mut ip6 = super::frames::ipv6_packet(IP6_A, all_spf, 89, &m);
        ip6[7] = 1;
        ether([0x33, 0x33, 0, 0, 0, 5], 0x86dd, &ip6)
    };
    vec![
        v3_hello(0, [0; 4], &[]),
        v3_hello(2, r1, &[r2, [10, 0, 0, 3]]),
        to_all(&ospf(
            1,
            r1,
            [0; 4],
            0,
            none,
            &ospf_hello(0x02, [0; 4], [0; 4], &[]),
        )),
        to_all(&ospf(
            1,
            r2,
            area,
            0,
            none,
            &ospf_hello(0x42, [192, 0, 2, 1], [192, 0, 2, 2], &[r1, [10, 0, 0, 3]]),
        )),
        to_all(&ospf(
            1,
            r1,
            area,
            1,
            *b"passwd\0\0",
            &ospf_hello(0xff, [0; 4], [192, 0, 2, 2], &[r2]),
        )),
        to_all(&hello_md5),
        to_all(&hello_lls),
        to_all(&hello_lls_md5),
        to_r2(&ospf(2, r1, area, 0, none, &dd)),
        to_r2(&ospf(2, r1, area, 0, none, &dd_more)),
        to_r2(&ospf(3, r1, area, 0, none, &lsr)),
        to_all(&ospf(4, r1, area, 0, none, &lsu)),
        to_all(&ospf(5, r2, area, 0, none, &headers)),
        to_all(&ospf(9, r1, area, 0, none, &[])),
        to_all(&ospf(
            1,
            r1,
            area,
            7,
            none,
            &ospf_hello(2, [0; 4], [0; 4], &[]),
        )),
        to_all(
            &[
                ospf(1, r1, area, 0, none, &ospf_hello(2, [0; 4], [0; 4], &[])),
                vec![0; 8],
            ]
            .concat(),
        ),
        to_all(&ospf(
            4,
            r1,
            area,
            0,
            none,
            &[&[0, 0, 0, 1][..], &lsa_head(1, r1, r1, 12)].concat(),
        )),
        to_all(&ospf(5, r1, area, 0, none, &[0; 40])),
    ]
}

/// An SCTP chunk: type, flags, value (padded to four bytes; the length
/// field counts the value only, as RFC 9260 says).
pub fn chunk(kind: u8, flags: u8, value: &[u8]) -> Vec<u8> {
    let mut c = vec![kind, flags];
    c.extend_from_slice(&((4 + value.len()) as u16).to_be_bytes());
    c.extend_from_slice(value);
    while c.len() % 4 != 0 {
        c.push(0);
    }
    c
}

pub fn data_chunk(flags: u8, tsn: u32, sid: u16, ssn: u16, ppid: u32, payload: &[u8]) -> Vec<u8> {
    let mut v = tsn.to_be_bytes().to_vec();
    v.extend_from_slice(&sid.to_be_bytes());
    v.extend_from_slice(&ssn.to_be_bytes());
    v.extend_from_slice(&ppid.to_be_bytes());
    v.extend_from_slice(payload);
    chunk(0, flags, &v)
}

fn init_chunk(kind: u8, tag: u32, params: &[u8]) -> Vec<u8> {
    let mut v = tag.to_be_bytes().to_vec();
    v.extend_from_slice(&106_496u32.to_be_bytes());
    v.extend_from_slice(&[0, 10, 0xff, 0xff]);
    v.extend_from_slice(&11u32.to_be_bytes());
    v.extend_from_slice(params);
    chunk(kind, 0, &v)
}

/// An SCTP packet (common header, verification tag, checksum left zero:
/// tcpdump does not check it) between 192.0.2.1:`sport` and
/// 192.0.2.2:`dport`.
pub fn sctp(sport: u16, dport: u16, chunks: &[Vec<u8>]) -> Vec<u8> {
    let mut m = sport.to_be_bytes().to_vec();
    m.extend_from_slice(&dport.to_be_bytes());
    m.extend_from_slice(&0x1234_5678u32.to_be_bytes());
    m.extend_from_slice(&[0; 4]);
    chunks.iter().for_each(|c| m.extend_from_slice(c));
    ipv4(ROUTER, [192, 0, 2, 2], 64, 132, &[], &m)
}

/// SCTP packets: an association's life and the odd cases.
pub fn sctp_frames() -> Vec<Vec<u8>> {
    let params = [0, 5, 0, 8, 192, 0, 2, 1, 0x80, 0, 0, 4];
    let mut sack = 1000u32.to_be_bytes().to_vec();
    sack.extend_from_slice(&65_536u32.to_be_bytes());
    sack.extend_from_slice(&[0, 2, 0, 1, 0, 2, 0, 3, 0, 6, 0, 9]);
    sack.extend_from_slice(&998u32.to_be_bytes());
    let mut short_sack = 5u32.to_be_bytes().to_vec();
    short_sack.extend_from_slice(&[0, 0, 1, 0, 0, 3, 0, 0, 0, 1, 0, 2]);
    let mut bad_len = chunk(7, 0, &500u32.to_be_bytes());
    bad_len[3] = 2;
    let mut odd = chunk(4, 0, &[0, 1, 0, 5, 9]);
    odd.truncate(9);
    let hb = chunk(4, 0, &[0, 1, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8]);
    let mut v6 = 40000u16.to_be_bytes().to_vec();
    v6.extend_from_slice(&[0x0b, 0x59, 0, 0, 0, 1, 0, 0, 0, 0]);
    v6.extend_from_slice(&init_chunk(1, 7, &[]));
    let ip6 = super::frames::ipv6_packet(IP6_A, super::frames::IP6_B, 132, &v6);
    vec![
        sctp(40000, 2905, &[init_chunk(1, 3127, &params)]),
        sctp(
            2905,
            40000,
            &[init_chunk(2, 9001, &[0, 7, 0, 8, 1, 2, 3, 4])],
        ),
        sctp(
            40000,
            2905,
            &[
                chunk(0x0a, 0, &[0xab; 12]),
                data_chunk(3, 11, 0, 0, 51, b"hello"),
            ],
        ),
        sctp(2905, 40000, &[chunk(0x0b, 0, &[]), chunk(3, 0, &sack)]),
        sctp(40000, 2905, &[data_chunk(2, 12, 1, 1, 46, &[0x42; 37])]),
        sctp(40000, 2905, &[data_chunk(0, 13, 1, 1, 0, b"middle")]),
        sctp(
            40000,
            2905,
            &[
                data_chunk(5, 14, 2, 0, 18, b"x"),
                data_chunk(7, 15, 2, 1, 0x1234_5678, b"yz"),
            ],
        ),
        sctp(2905, 40000, &[chunk(3, 0, &short_sack)]),
        sctp(2905, 40000, std::slice::from_ref(&hb)),
        sctp(40000, 2905, &[chunk(5, 0, &hb[4..])]),
        sctp(40000, 2905, &[chunk(7, 0, &1000u32.to_be_bytes())]),
        sctp(2905, 40000, &[chunk(8, 0, &[])]),
        sctp(40000, 2905, &[chunk(0x0e, 1, &[])]),
        sctp(40000, 2905, &[chunk(6, 0, &[0, 1, 0, 4])]),
        sctp(
            40000,
            2905,
            &[
                chunk(9, 0, &[0, 2, 0, 4]),
                chunk(0x0c, 0, &[0, 0, 0, 9]),
                chunk(0x0d, 0, &[0, 0, 0, 9]),
            ],
        ),
        sctp(
            40000,
            2905,
            &[
                chunk(0xc0, 0, &[0, 0, 0, 20]),
                chunk(0x3f, 0, &[1]),
                chunk(0xc1, 0, &[]),
            ],
        ),
        sctp(40000, 2905, &[data_chunk(3, 16, 0, 0, 51, b"")]),
        sctp(40000, 2905, &[chunk(0, 3, &[0; 8])]),
        sctp(40000, 2905, &[chunk(1, 0, &[0; 12])]),
        sctp(40000, 2905, &[chunk(3, 0, &[0; 8])]),
        sctp(40000, 2905, &[bad_len]),
        sctp(40000, 2905, &[odd]),
        sctp(40000, 2905, &[chunk(0x0b, 0, &[]), vec![0, 0]]),
        sctp(40000, 2905, &[]),
        ipv4(
            ROUTER,
            [192, 0, 2, 2],
            64,
            132,
            &[],
            &[0x9c, 0x40, 0x0b, 0x59, 0, 0],
        ),
        ether(MAC_B, 0x86dd, &ip6),
    ]
}

/// A PTPv2 message: the common header (type, length, domain, flags,
/// correction, clock identity, port, sequence, control, log interval)
/// and `body`.
fn ptp(kind: u8, flags: u16, seq: u16, control: u8, body: &[u8]) -> Vec<u8> {
    let mut m = vec![kind, 2];
    m.extend_from_slice(&((34 + body.len()) as u16).to_be_bytes());
    m.extend_from_slice(&[24, 0]);
    m.extend_from_slice(&flags.to_be_bytes());
    m.extend_from_slice(&[0, 0, 0, 0, 0x01, 0x80, 0x00, 0x00]);
    m.extend_from_slice(&[0, 0, 0, 0]);
    m.extend_from_slice(&[0x02, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x00, 0x0a]);
    m.extend_from_slice(&[0, 1]);
    m.extend_from_slice(&seq.to_be_bytes());
    m.extend_from_slice(&[control, 0xfd]);
    m.extend_from_slice(body);
    m
}

/// A PTP timestamp (48-bit seconds, 32-bit nanoseconds) and, if given, a
/// port identity.
fn stamp(secs: u64, ns: u32, port: Option<u16>) -> Vec<u8> {
    let mut b = secs.to_be_bytes()[2..].to_vec();
    b.extend_from_slice(&ns.to_be_bytes());
    if let Some(port) = port {
        b.extend_from_slice(&[0x02, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x00, 0x0b]);
        b.extend_from_slice(&port.to_be_bytes());
    }
    b
}

/// PTP over Ethernet (to the PTP multicast address) and over UDP 319/320.
pub fn ptp_frames() -> Vec<Vec<u8>> {
    let t = 1_700_000_000u64;
    let mut announce = stamp(0, 0, None);
    announce.extend_from_slice(&[0, 37, 0, 128, 248, 0xfe, 0xff, 0xff, 128]);
    announce.extend_from_slice(&[0x02, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x00, 0x0a, 0, 1, 0xa0]);
    let messages = [
        ptp(0x0, 0x0200, 1, 0, &stamp(0, 0, None)),
        ptp(0x8, 0x0000, 1, 2, &stamp(t, 123_456_789, None)),
        ptp(0x1, 0x0000, 7, 1, &stamp(0, 0, None)),
        ptp(0x9, 0x0000, 7, 3, &stamp(t, 5, Some(1))),
        ptp(0x2, 0x0000, 3, 5, &stamp(0, 0, Some(0))),
        ptp(0x3, 0x0200, 3, 5, &stamp(t, 999_999_999, Some(1))),
        ptp(0xa, 0x0000, 3, 5, &stamp(t, 1, Some(1))),
        ptp(0xb, 0x003c, 2, 5, &announce),
        ptp(0xc, 0x0400, 9, 5, &stamp(0, 0, Some(2))),
        ptp(
            0xd,
            0x4000,
            9,
            4,
            &[1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 4, 4, 0x0a, 0],
        ),
        ptp(0xf, 0x1800, 9, 9, &[]),
        [&[0x10, 1][..], &[0; 40]].concat(),
        [&[0x00, 3][..], &[0; 40]].concat(),
        ptp(0x0, 0, 1, 0, &[])[..30].to_vec(),
    ];
    let mut frames: Vec<Vec<u8>> = messages
        .iter()
        .map(|m| {
            let mut f = ether([0x01, 0x1b, 0x19, 0, 0, 0], 0x88f7, m);
            f.resize(f.len().max(60), 0);
            f
        })
        .collect();
    for (port, m) in [
        (319u16, &messages[0]),
        (320, &messages[1]),
        (320, &messages[7]),
    ] {
        frames.push(super::app_captures::udp(true, port, port, m).bytes);
    }
    frames
}

/// A slow-protocols frame (to 01:80:c2:00:00:02), padded to 60 bytes.
fn slow_frame(pdu: &[u8]) -> Vec<u8> {
    let mut f = ether([0x01, 0x80, 0xc2, 0, 0, 2], 0x8809, pdu);
    f.resize(f.len().max(60), 0);
    f
}

/// An LACP actor or partner TLV: system priority, system, key, port
/// priority, port, state.
fn lacp_party(kind: u8, system: [u8; 6], key: u16, port: u16, state: u8) -> Vec<u8> {
    let mut t = vec![kind, 20, 0x80, 0];
    t.extend_from_slice(&system);
    t.extend_from_slice(&key.to_be_bytes());
    t.extend_from_slice(&[0x80, 0]);
    t.extend_from_slice(&port.to_be_bytes());
    t.extend_from_slice(&[state, 0, 0, 0]);
    t
}

/// LACP and marker PDUs, and the odd ones.
pub fn slow_frames() -> Vec<Vec<u8>> {
    let lacp = |actor_state: u8, partner: Vec<u8>| {
        let mut p = vec![1, 1];
        p.extend_from_slice(&lacp_party(1, MAC_A, 13, 1, actor_state));
        p.extend_from_slice(&partner);
        p.extend_from_slice(&[3, 16, 0, 50]);
        p.extend_from_slice(&[0; 12]);
        p.extend_from_slice(&[0, 0]);
        p.extend_from_slice(&[0; 50]);
        p
    };
    let mut marker = vec![2, 1, 1, 16, 0, 7];
    marker.extend_from_slice(&MAC_A);
    marker.extend_from_slice(&0x0000_0042u32.to_be_bytes());
    marker.extend_from_slice(&[0, 0, 2, 16, 0, 7]);
    marker.extend_from_slice(&MAC_A);
    marker.extend_from_slice(&[0, 0, 0, 0x42, 0, 0, 0, 0]);
    vec![
        slow_frame(&lacp(0x3d, lacp_party(2, MAC_B, 7, 3, 0x3f))),
        slow_frame(&lacp(0x47, lacp_party(2, [0; 6], 0, 0, 0x00))),
        slow_frame(&lacp(0xc5, [&[2, 18][..], &[0; 16]].concat())),
        slow_frame(&marker),
        slow_frame(&[1, 1, 9, 6, 1, 2, 3, 4, 0, 0]),
        slow_frame(&[1, 1, 1, 1]),
        slow_frame(&[1, 2, 1, 20]),
        slow_frame(&[2, 7]),
        slow_frame(&[10, 1, 2, 3, 4, 5]),
    ]
}

/// An EAPOL frame to the PAE group address: version, type, body (the
/// length field says the body's), padded to 60 bytes.
fn eapol_frame(version: u8, kind: u8, body: &[u8]) -> Vec<u8> {
    let mut pdu = vec![version, kind];
    pdu.extend_from_slice(&(body.len() as u16).to_be_bytes());
    pdu.extend_from_slice(body);
    let mut f = ether([0x01, 0x80, 0xc2, 0, 0, 3], 0x888e, &pdu);
    f.resize(f.len().max(60), 0);
    f
}

/// An EAP packet: code, id, and (for requests and responses) type and data.
fn eap(code: u8, id: u8, kind: Option<u8>, data: &[u8]) -> Vec<u8> {
    let len = 4 + usize::from(kind.is_some()) + data.len();
    let mut p = vec![code, id];
    p.extend_from_slice(&(len as u16).to_be_bytes());
    p.extend(kind);
    p.extend_from_slice(data);
    p
}

/// 802.1X: the EAPOL frame types and an authentication's EAP packets.
pub fn eapol_frames() -> Vec<Vec<u8>> {
    let mut fragment = eap(2, 9, Some(13), &[0x40; 20]);
    fragment[3] = 200;
    vec![
        eapol_frame(1, 1, &[]),
        eapol_frame(2, 2, &[]),
        eapol_frame(2, 3, &[2, 0, 0x8a, 0, 16, 0, 0, 0, 0, 0, 0, 0, 1]),
        eapol_frame(3, 4, &[1, 2, 3, 4]),
        eapol_frame(2, 9, &[]),
        eapol_frame(2, 0, &eap(1, 1, Some(1), b"")),
        eapol_frame(2, 0, &eap(2, 1, Some(1), b"alice@example.net")),
        eapol_frame(2, 0, &eap(1, 2, Some(2), b"Please log in")),
        eapol_frame(2, 0, &eap(2, 2, Some(3), &[13, 21, 25, 200])),
        eapol_frame(2, 0, &eap(1, 3, Some(4), &[16; 17])),
        eapol_frame(2, 0, &eap(1, 4, Some(13), &[0x20])),
        eapol_frame(2, 0, &eap(2, 4, Some(13), &[0xc0, 0, 0, 4, 0, 0x16, 3, 1])),
        eapol_frame(2, 0, &eap(1, 5, Some(21), &[0x21])),
        eapol_frame(2, 0, &eap(2, 5, Some(21), &[0x80, 0, 0])),
        eapol_frame(2, 0, &eap(1, 6, Some(43), &[0x21, 0, 4])),
        eapol_frame(2, 0, &eap(1, 7, Some(18), &[10, 0, 0])),
        eapol_frame(2, 0, &eap(1, 7, Some(23), &[3, 0, 0])),
        eapol_frame(2, 0, &eap(3, 8, None, &[])),
        eapol_frame(2, 0, &eap(4, 8, None, &[])),
        eapol_frame(2, 0, &eap(9, 8, None, &[])),
        eapol_frame(2, 0, &fragment),
        eapol_frame(2, 0, &eap(2, 1, Some(2), b"")),
        eapol_frame(2, 0, &eap(2, 1, Some(3), b"")),
        eapol_frame(2, 0, &eap(2, 1, Some(13), b"")),
        eapol_frame(2, 0, &eap(2, 1, Some(43), b"")),
        eapol_frame(2, 0, &eap(2, 1, Some(23), b"")),
        eapol_frame(2, 0, &[1, 1, 0, 4]),
        eapol_frame(2, 0, &[1, 1, 0, 2]),
        eapol_frame(2, 0, &[1, 1, 0, 1]),
    ]
}

/// An 802.3 frame with LLC/SNAP to Cisco's multicast address, carrying
/// `pid`'s protocol (CDP 0x2000, PVST+ 0x010b), padded to 60 bytes.
fn cisco_snap_frame(pid: u16, pdu: &[u8]) -> Vec<u8> {
    let len = (pdu.len() + 8) as u16;
    let head = [0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c];
    let body = [&head[..], &pid.to_be_bytes(), pdu].concat();
    let mut f = ether([0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc], len, &body);
    f.resize(f.len().max(60), 0);
    f
}

fn cdp_tlv(kind: u16, value: &[u8]) -> Vec<u8> {
    [
        &kind.to_be_bytes()[..],
        &((value.len() + 4) as u16).to_be_bytes(),
        value,
    ]
    .concat()
}

/// CDP announcements (every TLV kind tcpdump decodes, some malformed)
/// and a PVST+ BPDU, in Cisco's SNAP frames.
pub fn cdp_frames() -> Vec<Vec<u8>> {
    let cdp = |tlvs: &[Vec<u8>]| [&[2, 180, 0x0b, 0xea][..], &tlvs.concat()].concat();
    let mut addrs = 3u32.to_be_bytes().to_vec();
    addrs.extend_from_slice(&[1, 1, 0xcc, 0, 4, 192, 0, 2, 1]);
    addrs.extend_from_slice(&[2, 8, 0xaa, 0xaa, 0x03, 0, 0, 0, 0x86, 0xdd, 0, 16]);
    addrs.extend_from_slice(&super::frames::IP6_A);
    addrs.extend_from_slice(&[1, 1, 0x81, 0, 2, 0xab, 0xcd]);
    let version = b"Cisco IOS Software, C3560 Software (C3560-IPSERVICESK9-M)\nCopyright (c) 1986-2008 by Cisco Systems, Inc.";
    vec![
        cisco_snap_frame(
            0x2000,
            &cdp(&[
                cdp_tlv(1, b"sw1.example.net"),
                cdp_tlv(2, &addrs),
                cdp_tlv(3, b"GigabitEthernet0/1"),
                cdp_tlv(4, &0x28u32.to_be_bytes()),
                cdp_tlv(5, version),
                cdp_tlv(6, b"cisco WS-C3560-24PS"),
                cdp_tlv(7, &[10, 0, 0, 0, 8, 192, 168, 1, 0, 24]),
                cdp_tlv(8, &[0, 0, 0x0c, 1, 0x12]),
                cdp_tlv(9, b"lab"),
                cdp_tlv(0x0a, &[0, 10]),
                cdp_tlv(0x0b, &[1]),
                cdp_tlv(0x0e, &[1, 0, 20]),
                cdp_tlv(0x0f, &[0x20, 0]),
                cdp_tlv(0x10, &[0x18, 0x9c]),
                cdp_tlv(0x11, &1500u32.to_be_bytes()),
                cdp_tlv(0x12, &[0]),
                cdp_tlv(0x13, &[0]),
                cdp_tlv(0x14, b"sw1"),
                cdp_tlv(0x15, &[6, 1, 2, 3]),
                cdp_tlv(0x16, &[0, 0, 0, 1, 1, 1, 0xcc, 0, 4, 10, 0, 0, 1]),
                cdp_tlv(0x17, b"\x01rack 4"),
                cdp_tlv(0x1a, &[1, 2, 3]),
            ]),
        ),
        cisco_snap_frame(
            0x2000,
            &cdp(&[
                cdp_tlv(1, b"phone"),
                cdp_tlv(4, &[0, 0x90]),
                cdp_tlv(0x0a, &[0, 10, 0]),
                cdp_tlv(0x0b, &[0]),
                cdp_tlv(7, &[10, 0, 0]),
                cdp_tlv(2, &[0, 0, 0, 2, 1, 1, 0xcc, 0, 4, 10]),
            ]),
        ),
        cisco_snap_frame(0x2000, &cdp(&[cdp_tlv(1, b"x"), vec![0, 3, 0, 2]])),
        cisco_snap_frame(0x2000, &cdp(&[cdp_tlv(1, b"x"), vec![0, 3, 0, 90, 1]])),
        cisco_snap_frame(0x2000, &cdp(&[cdp_tlv(1, b"x"), vec![0, 3]])),
        cisco_snap_frame(0x2000, &[2, 180]),
        cisco_snap_frame(
            0x010b,
            &config_bpdu(2, 2, 0x3c, 4, [0, 20 * 256, 2 * 256, 15 * 256]),
        ),
    ]
}

/// UDLD probes, echoes and flushes in Cisco's SNAP frames (PID 0x0111):
/// every TLV tcpdump names, an unknown one, flags with reserved bits, and
/// TLV lengths that are too short, too long or wrong for their value.
pub fn udld_frames() -> Vec<Vec<u8>> {
    let udld = |first: u8, flags: u8, tlvs: &[Vec<u8>]| {
        cisco_snap_frame(
            0x0111,
            &[&[first, flags, 0x6d, 0x85][..], &tlvs.concat()].concat(),
        )
    };
    let full = [
        cdp_tlv(1, b"FOC1234X0AB"),
        cdp_tlv(2, b"Gi0/1"),
        cdp_tlv(3, b"\0\0\0\x01FOC9876Z0CD\0\0\0\x05Gi0/2"),
        cdp_tlv(4, &[15]),
        cdp_tlv(5, &[5]),
        cdp_tlv(6, b"sw1.example.net\0pad"),
        cdp_tlv(7, &1234u32.to_be_bytes()),
        cdp_tlv(9, &[1, 2, 3]),
    ];
    vec![
        udld(0x21, 0x01, &full),
        udld(0x22, 0x03, &full[..3]),
        udld(0x23, 0xfc, &[cdp_tlv(1, b"x")]),
        udld(0x20, 0x00, &[cdp_tlv(4, &[15, 0])]),
        udld(0x3f, 0x02, &[cdp_tlv(7, &[0, 1])]),
        udld(0x21, 0x01, &[cdp_tlv(1, b"x"), vec![0, 2, 0, 4]]),
        udld(0x21, 0x01, &[cdp_tlv(1, b"x"), vec![0, 2, 0, 90, b'y']]),
        udld(0x21, 0x01, &[cdp_tlv(1, b"x"), vec![0, 2]]),
        cisco_snap_frame(0x0111, &[0x21, 0]),
    ]
}

/// DTP hellos in Cisco's SNAP frames (PID 0x2004): the usual four TLVs,
/// an unknown one, padding of type 0, and wrong lengths.
pub fn dtp_frames() -> Vec<Vec<u8>> {
    let dtp = |tlvs: &[Vec<u8>]| cisco_snap_frame(0x2004, &[&[1][..], &tlvs.concat()].concat());
    vec![
        dtp(&[
            cdp_tlv(1, b"lab\0\0\0\0\0\0"),
            cdp_tlv(2, &[0x03]),
            cdp_tlv(3, &[0xa5]),
            cdp_tlv(4, &[0x00, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f]),
        ]),
        dtp(&[
            cdp_tlv(1, b""),
            cdp_tlv(2, &[0x81]),
            cdp_tlv(7, &[1, 2]),
            vec![0, 0, 0, 0],
        ]),
        dtp(&[cdp_tlv(2, &[1, 2])]),
        dtp(&[cdp_tlv(4, &[1, 2, 3])]),
        dtp(&[cdp_tlv(3, &[0x40]), vec![0, 1, 0, 2]]),
        dtp(&[cdp_tlv(3, &[0x40]), vec![0, 1, 0, 99, 0]]),
        dtp(&[cdp_tlv(3, &[0x40]), vec![0, 1]]),
        cisco_snap_frame(0x2004, &[]),
    ]
}

/// A VTP header: version, message, the third byte, the domain (its
/// length as given, the name padded to 32 bytes).
fn vtp_head(kind: u8, third: u8, domain_len: u8, domain: &[u8]) -> Vec<u8> {
    let mut name = domain.to_vec();
    name.resize(32, 0);
    [&[2, kind, third, domain_len][..], &name].concat()
}

/// A VTP VLAN record: its fixed part, the name padded to 32-bit words,
/// then `tlvs`.
fn vtp_vlan(status: u8, kind: u8, id: u16, name: &[u8], tlvs: &[u8]) -> Vec<u8> {
    let mut padded = name.to_vec();
    padded.resize(name.len().div_ceil(4) * 4, 0);
    let len = (12 + padded.len() + tlvs.len()) as u8;
    let mut v = vec![len, status, kind, name.len() as u8];
    v.extend_from_slice(&id.to_be_bytes());
    v.extend_from_slice(&1500u16.to_be_bytes());
    v.extend_from_slice(&(0x0001_86a0 + u32::from(id)).to_be_bytes());
    [v, padded, tlvs.to_vec()].concat()
}

/// VTP summaries, subsets (VLANs with each TLV), requests and joins in
/// Cisco's SNAP frames (PID 0x2003), then wrong lengths.
pub fn vtp_frames() -> Vec<Vec<u8>> {
    let vtp = |parts: &[&[u8]]| cisco_snap_frame(0x2003, &parts.concat());
    let mut summary = 42u32.to_be_bytes().to_vec();
    summary.extend_from_slice(&[192, 0, 2, 1]);
    summary.extend_from_slice(b"930301123456");
    summary.extend_from_slice(&[0xc3; 16]);
    let tlvs: Vec<u8> = (1..=11u8).flat_map(|t| [t, 1, 0, t % 4]).collect();
    let vlans = [
        vtp_vlan(0, 1, 1, b"default", &[]),
        vtp_vlan(1, 2, 1002, b"fddi-default", &tlvs),
        vtp_vlan(0, 5, 1005, b"trbrf", &[3, 1, 0, 2]),
    ]
    .concat();
    let rev = 42u32.to_be_bytes();
    vec![
        vtp(&[&vtp_head(1, 1, 3, b"lab"), &summary]),
        vtp(&[&vtp_head(2, 1, 3, b"lab"), &rev, &vlans]),
        vtp(&[&vtp_head(3, 0, 7, b"example"), &1u32.to_be_bytes()]),
        vtp(&[&vtp_head(4, 0, 3, b"lab"), &[0; 8]]),
        vtp(&[&vtp_head(9, 5, 3, b"lab")]),
        vtp(&[&vtp_head(1, 1, 0, b"")]),
        vtp(&[&vtp_head(1, 1, 40, b"x")]),
        vtp(&[
            &vtp_head(2, 1, 3, b"lab"),
            &rev,
            &[8, 0, 1, 0, 0, 1, 5, 0xdc],
        ]),
        vtp(&[
            &vtp_head(2, 1, 3, b"lab"),
            &rev,
            &vtp_vlan(0, 1, 2, b"v2", &[6, 2, 0, 1, 0, 0]),
        ]),
        vtp(&[
            &vtp_head(2, 1, 3, b"lab"),
            &rev,
            &vtp_vlan(0, 1, 3, b"v3", &[6, 3, 0, 1]),
        ]),
        vtp(&[
            &vtp_head(2, 1, 3, b"lab"),
            &rev,
            &vtp_vlan(0, 1, 4, b"v4", &[6]),
        ]),
        vtp(&[
            &vtp_head(2, 1, 3, b"lab"),
            &rev,
            &[
                20, 0, 1, 9, 0, 5, 5, 0xdc, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8,
            ],
        ]),
        vtp(&[&vtp_head(1, 1, 3, b"lab")[..20]]),
    ]
}

/// UDLD, DTP and VTP, whole, cut every 7 bytes into each and damaged.
pub fn cisco_capture(damaged: usize) -> Vec<u8> {
    let mut frames = Vec::new();
    for (whole, seed) in [
        (udld_frames(), 0x0d1d_0bad_0000_0001),
        (dtp_frames(), 0xd7b0_0bad_0000_0001),
        (vtp_frames(), 0x7b70_0bad_0000_0001),
    ] {
        frames.extend(cut_often_frames(whole, 22, damaged / 3, seed, (22, 7)));
    }
    capture(&frames)
}

/// The UDLD, DTP and VTP messages alone (after the LLC/SNAP header), for
/// the mutation tests.
pub fn cisco_seeds() -> [Vec<Vec<u8>>; 3] {
    [udld_frames(), dtp_frames(), vtp_frames()].map(|f| after_headers(f, 22))
}

/// An STP BPDU in an 802.3 frame to the bridge group address, padded to
/// the minimum frame size.
pub fn stp_frame(bpdu: &[u8]) -> Vec<u8> {
    let len = (bpdu.len() + 3) as u16;
    let mut f = ether(
        [0x01, 0x80, 0xc2, 0, 0, 0],
        len,
        &[&[0x42, 0x42, 0x03][..], bpdu].concat(),
    );
    f.resize(f.len().max(60), 0);
    f
}

fn config_bpdu(version: u8, kind: u8, flags: u8, root_cost: u32, timers: [u16; 4]) -> Vec<u8> {
    let mut b = vec![0, 0, version, kind, flags];
    b.extend_from_slice(&[0x80, 0x00, 0x02, 0, 0, 0, 0, 0x01]);
    b.extend_from_slice(&root_cost.to_be_bytes());
    b.extend_from_slice(&[0x80, 0x01, 0x02, 0, 0, 0, 0, 0x02]);
    b.extend_from_slice(&0x8003u16.to_be_bytes());
    for t in timers {
        b.extend_from_slice(&t.to_be_bytes());
    }
    if version >= 2 {
        b.push(0);
    }
    b
}

fn mstp_bpdu(mstis: usize) -> Vec<u8> {
    let mut b = config_bpdu(3, 2, 0x3c, 20000, [256, 20 * 256, 2 * 256, 15 * 256]);
    b.extend_from_slice(&((64 + 16 * mstis) as u16).to_be_bytes());
    b.push(0);
    let mut name = b"region-1".to_vec();
    name.resize(32, 0);
    b.extend_from_slice(&name);
    b.extend_from_slice(&7u16.to_be_bytes());
    b.extend_from_slice(&[0xac; 16]);
    b.extend_from_slice(&20000u32.to_be_bytes());
    b.extend_from_slice(&[0x80, 0x00, 0x02, 0, 0, 0, 0, 0x02]);
    b.push(20);
    for i in 0..mstis {
        b.push([0x7c, 0x01, 0x48][i % 3]);
        b.extend_from_slice(&[0x80 | i as u8, (i + 1) as u8, 0x02, 0, 0, 0, 0, 0x01]);
        b.extend_from_slice(&(2000u32 * (i as u32 + 1)).to_be_bytes());
        b.extend_from_slice(&[0x80, 0x80, 19]);
    }
    b
}

/// STP frames, whole.
pub fn stp_frames() -> Vec<Vec<u8>> {
    let t = [0, 20 * 256, 2 * 256, 15 * 256];
    let odd = [32, 96 + 256, 160, 15 * 256 + 1];
    vec![
        stp_frame(&config_bpdu(0, 0, 0, 0, t)),
        stp_frame(&config_bpdu(0, 0, 0x81, 19, odd)),
        stp_frame(&[0, 0, 0, 0x80]),
        stp_frame(&config_bpdu(2, 2, 0x0e, 4, t)),
        stp_frame(&config_bpdu(2, 2, 0x7c, 20000, t)),
        stp_frame(&config_bpdu(2, 2, 0x56, 20000, t)),
        stp_frame(&config_bpdu(2, 2, 0x01, 20000, t)),
        stp_frame(&mstp_bpdu(0)),
        stp_frame(&mstp_bpdu(3)),
        stp_frame(&config_bpdu(5, 0, 0, 0, t)),
        stp_frame(&config_bpdu(0, 7, 0, 0, t)),
        stp_frame(&[0, 1, 0, 0, 0]),
        stp_frame(&config_bpdu(0, 0, 0, 0, t)[..30]),
        stp_frame(&config_bpdu(2, 2, 0, 0, t)[..35]),
        stp_frame(&mstp_bpdu(1)[..100]),
        stp_frame(&[0, 0]),
    ]
}

fn tlv(kind: u16, value: &[u8]) -> Vec<u8> {
    [&(kind << 9 | value.len() as u16).to_be_bytes()[..], value].concat()
}

/// An LLDPDU to the nearest-bridge address, padded to 60 bytes.
pub fn lldp_frame(tlvs: &[Vec<u8>]) -> Vec<u8> {
    let mut f = ether([0x01, 0x80, 0xc2, 0, 0, 0x0e], 0x88cc, &tlvs.concat());
    f.resize(f.len().max(60), 0);
    f
}

/// LLDP frames, whole.
pub fn lldp_frames() -> Vec<Vec<u8>> {
    let chassis = tlv(1, &[&[4][..], &MAC_A].concat());
    let port = tlv(2, b"\x05eth0");
    let ttl = tlv(3, &120u16.to_be_bytes());
    let end = tlv(0, &[]);
    let mgmt4 = tlv(8, &[5, 1, 192, 0, 2, 10, 2, 0, 0, 0, 3, 0]);
    let mut m6 = vec![17, 2];
    m6.extend_from_slice(&IP6_A);
    m6.extend_from_slice(&[3, 0, 0, 0, 1, 4, b'1', b'.', b'3', b'.']);
    let mgmt6 = tlv(8, &m6);
    let mgmt_mac = tlv(8, &[&[7, 6][..], &MAC_B, &[1, 0, 0, 0, 0]].concat());
    let pvid = tlv(127, &[0x00, 0x80, 0xc2, 1, 0, 10]);
    let ppvid = tlv(127, &[0x00, 0x80, 0xc2, 2, 6, 0, 20]);
    let vname = tlv(
        127,
        &[&[0x00, 0x80, 0xc2, 3, 0, 10, 5][..], b"users"].concat(),
    );
    let ident = tlv(
        127,
        &[&[0x00, 0x80, 0xc2, 4, 4][..], b"\x00\x26\x42\x42"].concat(),
    );
    let other_org = tlv(127, &[0x00, 0x00, 0x0c, 1, 2, 3]);
    vec![
        lldp_frame(&[chassis.clone(), port.clone(), ttl.clone(), end.clone()]),
        lldp_frame(&[
            chassis.clone(),
            port.clone(),
            ttl.clone(),
            tlv(4, b"uplink to core"),
            tlv(5, b"sw1.example.net"),
            tlv(6, b"Linux sw1 6.1.0-13-amd64 #1 SMP Debian x86_64"),
            tlv(7, &[0x00, 0x14, 0x00, 0x04]),
            mgmt4,
            mgmt6,
            pvid,
            ppvid,
            vname,
            ident,
            other_org,
            end.clone(),
        ]),
        lldp_frame(&[
            tlv(1, b"\x07chassis-7"),
            tlv(2, &[&[3][..], &MAC_A].concat()),
            ttl.clone(),
            tlv(5, b"host\x01name"),
            tlv(7, &[0x00, 0xff, 0x00, 0x00]),
            mgmt_mac,
            tlv(9, b"odd"),
            end.clone(),
        ]),
        lldp_frame(&[
            tlv(1, &[5, 1, 192, 0, 2, 10]),
            tlv(
                2,
                &[
                    4, 2, 0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
                ],
            ),
            ttl.clone(),
            tlv(1, &[5, 9, 1, 2]),
            tlv(2, &[9, 1, 2]),
            tlv(2, &[1]),
            end.clone(),
        ]),
        lldp_frame(&[chassis.clone(), port.clone(), ttl.clone()]),
        lldp_frame(&[chassis, port, tlv(5, b"cut"), vec![0x0a, 0x40, b'x']]),
    ]
}

/// An OSPF TE / grace / router-information TLV, padded to four bytes.
fn ospf_tlv(kind: u16, value: &[u8]) -> Vec<u8> {
    let mut t = [
        &kind.to_be_bytes()[..],
        &(value.len() as u16).to_be_bytes(),
        value,
    ]
    .concat();
    t.resize(t.len().div_ceil(4) * 4, 0);
    t
}

/// An LS update of `lsas`, from 192.0.2.1 to all OSPF routers.
fn ospf_update(lsas: &[Vec<u8>]) -> Vec<u8> {
    let mut body = (lsas.len() as u32).to_be_bytes().to_vec();
    lsas.iter().for_each(|l| body.extend_from_slice(l));
    let m = ospf(4, [10, 0, 0, 1], [0, 0, 0, 1], 0, [0; 8], &body);
    ipv4(ROUTER, [224, 0, 0, 5], 1, 89, &[], &m)
}

/// OSPFv2 updates carrying opaque LSAs: traffic engineering (router
/// address, every link sub-TLV, bandwidths that are NaN, infinite,
/// negative or tiny), graceful restart and router information, with
/// lengths that are wrong for their kind.
pub fn ospf_opaque_frames() -> Vec<Vec<u8>> {
    let r1 = [10, 0, 0, 1];
    let te = |id: u8, tlvs: &[Vec<u8>]| lsa(10, [1, 0, 0, id], r1, &tlvs.concat());
    let grace = |tlvs: &[Vec<u8>]| lsa(9, [3, 0, 0, 0], r1, &tlvs.concat());
    let ri = |tlvs: &[Vec<u8>]| lsa(10, [4, 0, 0, 0], r1, &tlvs.concat());
    let bw = |f: f32| f.to_bits().to_be_bytes().to_vec();
    let floats = [
        bw(125_000_000.0),
        bw(0.0),
        bw(-1.0),
        0x7fc0_0000u32.to_be_bytes().to_vec(),
        0xffc0_0000u32.to_be_bytes().to_vec(),
        0x7f80_0000u32.to_be_bytes().to_vec(),
        1u32.to_be_bytes().to_vec(),
        bw(1_234_567.9),
    ]
    .concat();
    let sub = ospf_tlv;
    let link = [
        sub(1, &[1]),
        sub(2, &[192, 0, 2, 2]),
        sub(3, &[192, 0, 2, 1]),
        sub(4, &[192, 0, 2, 2]),
        sub(5, &[0, 0, 0, 10]),
        sub(6, &bw(125_000_000.0)),
        sub(7, &bw(62_500_000.0)),
        sub(8, &floats),
        sub(9, &[0, 0, 0, 0x81]),
        sub(11, &[0, 0, 0, 7, 0, 0, 0, 9]),
        sub(11, &[0, 0, 0, 7]),
        sub(14, &[0x0a, 0, 0, 0]),
        sub(15, &[&[51, 2, 0, 0][..], &floats].concat()),
        sub(17, &[&[0, 0, 0, 0][..], &floats[..16]].concat()),
        sub(17, &[254, 0, 0, 0]),
        sub(99, &[1, 2, 3]),
        sub(16, &[0, 0, 0, 1, 0, 0, 0, 2]),
    ]
    .concat();
    vec![
        ospf_update(&[te(1, &[ospf_tlv(1, &[10, 0, 0, 1])])]),
        ospf_update(&[te(2, &[ospf_tlv(2, &link)])]),
        ospf_update(&[
            te(
                3,
                &[ospf_tlv(1, &[10, 0, 0, 1]), ospf_tlv(7, &[1, 2, 3, 4, 5])],
            ),
            grace(&[
                ospf_tlv(1, &[0, 0, 0, 120]),
                ospf_tlv(2, &[1]),
                ospf_tlv(3, &[192, 0, 2, 1]),
                ospf_tlv(9, &[1, 2]),
            ]),
            ri(&[ospf_tlv(1, &[0, 0, 0x03, 0xf1]), ospf_tlv(2, &[1, 2, 3, 4])]),
        ]),
        ospf_update(&[grace(&[ospf_tlv(2, &[7]), ospf_tlv(1, &[0, 0, 1])])]),
        ospf_update(&[grace(&[ospf_tlv(2, &[2, 3])])]),
        ospf_update(&[grace(&[vec![0, 1, 0, 9, 0, 0, 0, 1]])]),
        ospf_update(&[ri(&[ospf_tlv(1, &[0, 1])]), ri(&[vec![0, 1, 0, 8, 0, 0]])]),
        ospf_update(&[te(
            4,
            &[ospf_tlv(2, &[sub(1, &[1, 2]), sub(3, &[1])].concat())],
        )]),
        ospf_update(&[te(5, &[ospf_tlv(2, &sub(17, &[1, 0, 0, 0, 0, 0]))])]),
        ospf_update(&[te(6, &[ospf_tlv(2, &sub(17, &[0; 40]))])]),
        ospf_update(&[te(7, &[ospf_tlv(2, &[0, 0, 0, 4, 1, 2, 3, 4])])]),
        ospf_update(&[te(8, &[ospf_tlv(2, &[0, 1, 0, 9, 1, 0, 0, 0])])]),
        ospf_update(&[
            te(9, &[ospf_tlv(1, &[10, 0])]),
            te(10, &[vec![0, 9, 0, 40]]),
        ]),
        ospf_update(&[lsa(11, [1, 0, 0, 11], r1, &[0, 2, 0, 2, 0, 0])]),
    ]
}

/// The OSPF opaque-LSA capture, cut every 7 bytes too.
pub fn ospf_opaque_capture(damaged: usize) -> Vec<u8> {
    cut_often(
        ospf_opaque_frames(),
        34,
        damaged,
        0x05bf_0bad_0000_0003,
        (62, 7),
    )
}

/// An OSPFv3 message of `kind` from 10.0.0.1 in area 0.0.0.1, with
/// `trailer` (LLS, authentication) after it, to all SPF routers.
fn ospf3(kind: u8, instance: u8, body: &[u8], trailer: &[u8]) -> Vec<u8> {
    let len = (16 + body.len()) as u16;
    let mut m = vec![3, kind];
    m.extend_from_slice(&len.to_be_bytes());
    m.extend_from_slice(&[10, 0, 0, 1, 0, 0, 0, 1, 0, 0, instance, 0]);
    m.extend_from_slice(body);
    m.extend_from_slice(trailer);
    let all_spf: [u8; 16] = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5];
    let mut ip6 = super::frames::ipv6_packet(IP6_A, all_spf, 89, &m);
    ip6[7] = 1;
    ether([0x33, 0x33, 0, 0, 0, 5], 0x86dd, &ip6)
}

/// An OSPFv3 LSA: age, type (with its scope bits), id, router,
/// sequence, checksum, length, body.
fn lsa3(kind: u16, id: u32, body: &[u8]) -> Vec<u8> {
    let mut h = vec![0, 7];
    h.extend_from_slice(&kind.to_be_bytes());
    h.extend_from_slice(&id.to_be_bytes());
    h.extend_from_slice(&[10, 0, 0, 1, 0x80, 0, 0, 2, 0xab, 0xcd]);
    h.extend_from_slice(&((20 + body.len()) as u16).to_be_bytes());
    h.extend_from_slice(body);
    h
}

/// An OSPFv3 address prefix: length, options, metric, the words.
fn prefix3(len: u8, options: u8, metric: u16) -> Vec<u8> {
    let mut p = vec![len, options];
    p.extend_from_slice(&metric.to_be_bytes());
    let words = usize::from(len).div_ceil(32);
    let addr = [0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 9];
    p.extend_from_slice(&addr[..(words * 4).min(16)]);
    p
}

/// OSPFv3 messages of every type: hellos and descriptions with LLS and
/// authentication trailers, requests, updates with each LSA kind
/// (router, network, inter-area prefix, external, link, intra-area
/// prefix, grace, TE and unknown ones in hex), acknowledgements, and
/// lengths that run past the message.
pub fn ospf3_frames() -> Vec<Vec<u8>> {
    let at = |kind: u16, len: u16| {
        let mut t = kind.to_be_bytes().to_vec();
        t.extend_from_slice(&len.to_be_bytes());
        t.extend_from_slice(&[0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 9]);
        t.resize(usize::from(len), 0xa5);
        t
    };
    let lls = [0xfe, 0xdc, 0, 12, 0, 1, 0, 4, 0, 0, 0, 1];
    let hello = |options: u8| {
        [
            &[0, 0, 0, 5, 1, 0, options, 0x13, 0, 10, 0, 40][..],
            &[10, 0, 0, 1, 0, 0, 0, 0, 10, 0, 0, 2],
        ]
        .concat()
    };
    let router = [
        &[0x03, 0, 0, 0x13][..],
        &[1, 0, 0, 10, 0, 0, 0, 5, 0, 0, 0, 6, 10, 0, 0, 2],
        &[2, 0, 0, 20, 0, 0, 0, 5, 0, 0, 0, 7, 10, 0, 0, 3],
        &[4, 0, 0, 30, 0, 0, 0, 5, 0, 0, 0, 8, 10, 0, 0, 4],
        &[9, 0, 0, 40, 0, 0, 0, 5, 0, 0, 0, 8, 10, 0, 0, 4],
    ]
    .concat();
    let network = [&[0, 0, 0, 0x13][..], &[10, 0, 0, 1], &[10, 0, 0, 2]].concat();
    let inter = [
        &[0, 0, 0, 50][..],
        &prefix3(64, 0, 10),
        &prefix3(0, 0x08, 0),
        &prefix3(128, 0x3f, 20),
    ]
    .concat();
    let external = [
        &[0x83, 0, 0, 100][..],
        &prefix3(48, 0, 0x0100),
        &IP6_B,
        &[0, 0, 0, 42],
        &[10, 9, 9, 9],
    ]
    .concat();
    let link = [
        &[1, 0, 0, 0x13][..],
        &[0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        &[0, 0, 0, 2],
        &prefix3(64, 0, 0),
        &prefix3(96, 0x02, 0),
    ]
    .concat();
    let intra = [
        &[0, 2, 0x20, 0x01, 0, 0, 0, 0, 10, 0, 0, 1][..],
        &prefix3(64, 0, 10),
        &prefix3(56, 0x01, 11),
    ]
    .concat();
    let grace = [ospf_tlv(1, &[0, 0, 0, 90]), ospf_tlv(2, &[3])].concat();
    let te = ospf_tlv(1, &[10, 0, 0, 1]);
    let lsas = [
        lsa3(0x2001, 0, &router),
        lsa3(0x2002, 5, &network),
        lsa3(0x2003, 1, &inter),
        lsa3(0x4005, 2, &external),
        lsa3(0x0008, 5, &link),
        lsa3(0x2009, 0, &intra),
        lsa3(0x000b, 0, &grace),
        lsa3(0x000a, 0, &te),
        lsa3(0x2007, 3, &[1, 2, 3, 4, 5]),
        lsa3(0xa00c, 0, &[0, 1, 0, 4, 0, 0, 0, 0x10]),
        lsa3(0x6fff, 9, &[]),
    ];
    let update = |lsas: &[Vec<u8>]| {
        let mut b = (lsas.len() as u32).to_be_bytes().to_vec();
        lsas.iter().for_each(|l| b.extend_from_slice(l));
        b
    };
    let headers: Vec<u8> = lsas.iter().flat_map(|l| l[..20].to_vec()).collect();
    let mut short = lsa3(0x2001, 0, &[]);
    short[19] = 4;
    let dd = |options: u8, flags: u8, tail: &[u8]| {
        [
            &[0, 0, options, 0x13, 0x05, 0xdc, 0, flags, 0, 0, 0x1d, 0x46][..],
            tail,
        ]
        .concat()
    };
    let lsr = [
        &[0, 0, 0x20, 0x01, 0, 0, 0, 0, 10, 0, 0, 2][..],
        &[0, 0, 0x40, 0x05, 0, 0, 0, 2, 10, 0, 0, 3],
    ]
    .concat();
    vec![
        ospf3(1, 0, &hello(0x06), &[&lls[..], &at(1, 32)].concat()),
        ospf3(1, 1, &hello(0x04), &at(7, 16)),
        ospf3(1, 0, &hello(0x02), &[0xfe, 0xdc, 0, 2]),
        ospf3(1, 0, &hello(0x00), &at(1, 12)),
        ospf3(2, 0, &dd(0x02, 0x17, &[]), &lls),
        ospf3(2, 0, &dd(0x00, 0x02, &headers), &[]),
        ospf3(3, 0, &lsr, &[]),
        ospf3(4, 0, &update(&lsas), &at(1, 24)),
        ospf3(
            4,
            0,
            &update(&[lsa3(0x2003, 1, &[0, 0, 0, 1, 200, 0, 0, 0])]),
            &[],
        ),
        ospf3(4, 0, &update(&[lsa3(0x0008, 1, &[0, 0, 0, 1])]), &[]),
        ospf3(
            4,
            0,
            &update(&[lsa3(0x000b, 0, &[0, 1, 0, 3, 0, 0, 0, 0])]),
            &[],
        ),
        ospf3(4, 0, &[0, 0, 0, 9], &[]),
        ospf3(5, 0, &[&headers[..40], &short].concat(), &[]),
        ospf3(6, 0, &[], &[]),
    ]
}

/// The OSPFv3 messages alone, for the mutation tests.
pub fn ospf3_seeds() -> Vec<Vec<u8>> {
    after_headers(ospf3_frames(), 54)
}

/// The OSPFv3 capture, cut every 9 bytes too.
pub fn ospf3_capture(damaged: usize) -> Vec<u8> {
    cut_often(ospf3_frames(), 54, damaged, 0x05bf_0bad_0000_0004, (70, 9))
}

/// An organisation TLV: the OUI, the subtype, the value.
fn org(oui: [u8; 3], subtype: u8, value: &[u8]) -> Vec<u8> {
    tlv(127, &[&oui[..], &[subtype], value].concat())
}

/// LLDP frames of organisation TLVs, whole: IEEE 802.1 (VLANs and the
/// data-centre bridging set), IEEE 802.3, LLDP-MED, DCBX, IANA and an
/// OUI tcpdump does not know; each with values it names, values it
/// does not, and lengths too short for the fields.
pub fn lldp_org_frames() -> Vec<Vec<u8>> {
    const D1: [u8; 3] = [0x00, 0x80, 0xc2];
    const D3: [u8; 3] = [0x00, 0x12, 0x0f];
    const MED: [u8; 3] = [0x00, 0x12, 0xbb];
    const DCBX: [u8; 3] = [0x00, 0x1b, 0x21];
    const IANA: [u8; 3] = [0x00, 0x00, 0x5e];
    let head = || {
        vec![
            tlv(1, &[&[4][..], &MAC_A].concat()),
            tlv(2, b"\x05eth1"),
            tlv(3, &120u16.to_be_bytes()),
        ]
    };
    let ets = |first: u8| {
        [
            &[first, 0x01, 0x23, 0x45, 0x67][..],
            &[10, 20, 30, 40, 0, 0, 0, 0],
            &[0, 1, 2, 2, 255, 0, 0, 0],
        ]
        .concat()
    };
    let civic = [
        &[0x02, 22, 2, b'U', b'S', 1, 2, b'C', b'A', 3, 7][..],
        b"Oakland",
        &[6, 4],
        b"Main",
    ]
    .concat();
    let dcbx_tlv = |kind: u16, value: &[u8]| tlv(kind, value);
    let dcbx_101 = [
        dcbx_tlv(1, &[0, 0, 0, 0, 0, 5, 0, 0, 0, 4]),
        dcbx_tlv(
            2,
            &[
                0, 0, 0xa0, 0, 0x01, 0x23, 0x45, 0x67, 10, 20, 30, 40, 0, 0, 0, 0, 8,
            ],
        ),
        dcbx_tlv(3, &[0, 0, 0x80, 0, 0x0f, 8]),
        dcbx_tlv(
            4,
            &[
                0, 0, 0x80, 0, 0x89, 0x06, 0x00, 0x1b, 0x21, 0x08, 0x0c, 0xbc, 0x40, 0x00, 0x00,
                0x10,
            ],
        ),
        dcbx_tlv(9, &[1, 2]),
        dcbx_tlv(0, &[]),
    ]
    .concat();
    let end = tlv(0, &[]);
    let with = |tlvs: Vec<Vec<u8>>| {
        let mut all = head();
        all.extend(tlvs);
        all.push(end.clone());
        lldp_frame(&all)
    };
    vec![
        with(vec![
            org(D1, 7, &[3, 0, 0, 0, 5]),
            org(D1, 8, &[0xa5, 0x3c]),
            org(D1, 8, &[1]),
            org(D1, 9, &ets(0xc3)),
            org(D1, 9, &[0xc3, 1, 2]),
            org(D1, 10, &ets(0x00)),
            org(D1, 11, &[0xd8, 0x81]),
            org(D1, 12, &[0x00, 0x61, 0x89, 0x06, 0x84, 0x0c, 0xbc]),
            org(D1, 12, &[0x00, 1, 2]),
            org(D1, 12, &[0x07]),
            org(D1, 13, &[0xff, 0x5a, 0x67, 0xa5, 0xe3]),
            org(
                D1,
                14,
                &[0x98, 0, 0x0f, 0xff, 0x00, 0x10, 0x01, 0x00, 0x20, 0x02],
            ),
            org(D1, 14, &[0x98, 0, 0x0f, 0xff, 1]),
            org(D1, 99, &[1, 2, 3]),
        ]),
        with(vec![
            org(D3, 1, &[0x03, 0x6c, 0x01, 0x00, 0x1e]),
            org(D3, 1, &[0x00, 0x00, 0x00, 0x00, 0x63]),
            org(D3, 1, &[0x03]),
            org(D3, 2, &[0x0f, 0x01, 0x03]),
            org(D3, 2, &[0x00, 0x07, 0x09]),
            org(D3, 3, &[0x03, 0, 0, 0x12, 0x34]),
            org(D3, 4, &[0x05, 0xee]),
            org(D3, 4, &[0x05]),
            org(D3, 9, &[1, 2]),
        ]),
        with(vec![
            org(MED, 1, &[0x00, 0x33, 0x03]),
            org(MED, 1, &[0xff, 0xc0, 0x09]),
            org(MED, 2, &[0x01, 0x40, 0x14, 0xae]),
            org(MED, 2, &[0x20, 0xa0, 0x00, 0x00]),
            org(
                MED,
                3,
                &[
                    0x01, 0x89, 0x12, 0x34, 0x56, 0x78, 0x8a, 0x9a, 0xbc, 0xde, 0xf0, 0x1f, 0xc0,
                    0x00, 0x12, 0x34, 0x01,
                ],
            ),
            org(MED, 3, &[0x01, 0x89, 0x12]),
            // tcpdump wants one byte more than the civic address holds.
            org(MED, 3, &[&civic[..], &[0]].concat()),
            org(MED, 3, &civic),
            org(MED, 3, &[0x02, 9, 1, b'D', b'E', 0, 2, b'x', b'y', 0]),
            org(MED, 3, &[0x02, 4, 0, b'F', b'R', 5, 0]),
            org(MED, 3, &[&[0x03][..], b"5551234567"].concat()),
            org(MED, 3, &[9, 1, 2, 3]),
            org(MED, 4, &[0x5e, 0x00, 0x82]),
            org(MED, 4, &[0x81, 0x04, 0x10]),
            org(MED, 4, &[0x2d, 0x03, 0xff]),
            org(MED, 5, b"1.0"),
            org(MED, 6, b"fw-2"),
            org(MED, 9, b"Acme"),
            org(MED, 11, b""),
            org(MED, 12, &[1]),
        ]),
        with(vec![
            org(DCBX, 1, &[1, 2, 3]),
            org(DCBX, 2, &dcbx_101),
            org(DCBX, 2, &[0x28, 20, 1, 2, 3]),
            org(DCBX, 2, &[0x04, 9, 0, 0, 0x80, 0, 1, 2, 3, 4, 5]),
            org(DCBX, 7, &[]),
            org(IANA, 1, b"https://example.com/mud/device.json"),
            org(IANA, 2, &[1, 2, 3, 4]),
            org(IANA, 1, b"a"),
            org([0x00, 0x0e, 0xcf], 1, &[2, 3]),
        ]),
    ]
}

/// The LLDP organisation-TLV capture, cut and damaged.
/// The LLDP organisation-TLV capture, cut every 29 bytes too.
pub fn lldp_org_capture(damaged: usize) -> Vec<u8> {
    cut_often(
        lldp_org_frames(),
        14,
        damaged,
        0x11d9_0bad_0000_0003,
        (20, 29),
    )
}

/// `whole` cut and damaged as [`with_cuts_and_damage`] does, then cut
/// every `step` bytes from `from` as well, so that fields deep in a frame
/// are cut somewhere.
pub fn cut_often(
    whole: Vec<Vec<u8>>,
    headers: usize,
    damaged: usize,
    seed: u64,
    every: (usize, usize),
) -> Vec<u8> {
    capture(&cut_often_frames(whole, headers, damaged, seed, every))
}

/// PTP over Ethernet and UDP 319/320, each frame cut at every length
/// and damaged copies: the header's fields are read in tcpdump's words
/// (the domain with reserved1), so every cut has its own place to stop.
pub fn ptp_every_cut_capture(damaged: usize) -> Vec<u8> {
    cut_often(ptp_frames(), 14, damaged, 0x0597_0bad_0000_0003, (1, 1))
}

/// The frames of [`cut_often`].
fn cut_often_frames(
    whole: Vec<Vec<u8>>,
    headers: usize,
    damaged: usize,
    seed: u64,
    (from, step): (usize, usize),
) -> Vec<Frame> {
    let mut frames = with_cuts_and_damage(whole.clone(), headers, damaged, seed);
    for f in &whole {
        frames.extend((from..f.len()).step_by(step).map(|keep| cut(f, keep)));
    }
    frames
}

/// Whole frames, then cuts of each (the snap length at several places),
/// then `damaged` damaged copies: the message bytes after `headers`
/// mutated, the first kept, and the lengths in the headers left alone.
pub fn with_cuts_and_damage(
    whole: Vec<Vec<u8>>,
    headers: usize,
    damaged: usize,
    seed: u64,
) -> Vec<Frame> {
    let mut frames: Vec<Frame> = whole.iter().cloned().map(frame).collect();
    for f in &whole {
        for keep in [
            headers + 1,
            headers + 3,
            headers + 9,
            headers + 21,
            f.len() - 1,
        ] {
            if keep < f.len() {
                frames.push(cut(f, keep));
            }
        }
    }
    let mut rng = Rng(seed);
    for _ in 0..damaged {
        let f = &whole[rng.below(whole.len())];
        let (head, m) = f.split_at(headers.min(f.len()));
        let mut d = mutate(&mut rng, m);
        if let (Some(first), Some(orig)) = (d.first_mut(), m.first()) {
            *first = *orig;
        }
        d.resize(m.len(), 0);
        frames.push(frame([head, &d].concat()));
    }
    frames
}

/// The L2 capture: STP, LLDP, PTP, LACP/marker, EAPOL, CDP and PVST+.
pub fn l2_capture(damaged: usize) -> Vec<u8> {
    let mut frames = with_cuts_and_damage(stp_frames(), 17, damaged / 2, 0x5790_0bad_0000_0001);
    // MSTP inside a VLAN tag (as switches send it on trunks).
    let mut vlan = stp_frame(&mstp_bpdu(2));
    vlan.splice(12..12, [0x81, 0x00, 0xe0, 0x00]);
    frames.push(frame(vlan));
    for (whole, seed) in [
        (slow_frames(), 0x5109_0bad_0000_0001),
        (eapol_frames(), 0xea90_0bad_0000_0001),
        (ptp_frames(), 0x0597_0bad_0000_0001),
        (lldp_frames(), 0x11d9_0bad_0000_0001),
    ] {
        frames.extend(with_cuts_and_damage(whole, 14, damaged / 2, seed));
    }
    frames.extend(with_cuts_and_damage(
        cdp_frames(),
        22,
        damaged / 2,
        0xcd90_0bad_0000_0001,
    ));
    capture(&frames)
}

/// The IP capture: IGMP, VRRP, OSPF and SCTP.
pub fn ip_capture(damaged: usize) -> Vec<u8> {
    let igmp_frames = igmp_messages()
        .into_iter()
        .map(|(s, d, m)| igmp(s, d, m))
        .collect();
    let mut frames = with_cuts_and_damage(igmp_frames, 38, damaged / 2, 0x1963_0bad_0000_0001);
    for (whole, seed) in [
        (vrrp_frames(), 0x7887_0bad_0000_0001),
        (ospf_frames(), 0x05bf_0bad_0000_0001),
        (sctp_frames(), 0x5c79_0bad_0000_0001),
    ] {
        frames.extend(with_cuts_and_damage(whole, 34, damaged / 2, seed));
    }
    capture(&frames)
}

/// What each frame carries after its first `headers` bytes (the link
/// and IP headers), empty for a frame no longer than them.
fn after_headers(frames: Vec<Vec<u8>>, headers: usize) -> Vec<Vec<u8>> {
    frames
        .iter()
        .map(|f| f[headers.min(f.len())..].to_vec())
        .collect()
}

/// The messages alone (what follows the IP or LLC header), for the
/// mutation tests: IGMP, VRRP, STP, LLDP, OSPF, SCTP, PTP, slow protocols,
/// EAPOL, CDP.
pub fn seeds() -> [Vec<Vec<u8>>; 10] {
    let igmp = igmp_messages()
        .into_iter()
        .map(|(_, _, m)| with_sum(m, 2, &[]))
        .collect();
    let vrrp = after_headers(vrrp_frames(), 34);
    let stp = after_headers(stp_frames(), 17);
    let mut lldp = after_headers(lldp_frames(), 14);
    lldp.extend(after_headers(lldp_org_frames(), 14));
    let mut ospf = after_headers(ospf_frames(), 34);
    ospf.extend(after_headers(ospf_opaque_frames(), 34));
    let sctp = after_headers(sctp_frames(), 34);
    let ptp = after_headers(ptp_frames(), 14);
    let slow = after_headers(slow_frames(), 14);
    let eapol = after_headers(eapol_frames(), 14);
    let cdp = after_headers(cdp_frames(), 22);
    [igmp, vrrp, stp, lldp, ospf, sctp, ptp, slow, eapol, cdp]
}
