//! `captures/dissect_hncp.pcap`: HNCP datagrams (RFC 7788 over DNCP, RFC
//! 7787) built by hand on UDP port 8231 (Debian has no hnetd): every TLV
//! type tcpdump names at the sizes it accepts and at wrong ones, the four
//! ranges of unnamed types, runs of one type (tcpdump's `(x3)`), TLVs
//! nested in node state, external connection, delegated and assigned
//! prefixes, node address, DNS zone, node name and managed PSK, several
//! levels deep; prefixes IPv6 and IPv4-mapped at every kind of length
//! (0, odd, too long, past the TLV); DNS labels whole, cut, with NULs;
//! DHCPv4 and DHCPv6 options (servers, search lists with pointers, sizes
//! wrong, options past the TLV); TLV headers and bodies past their level
//! and past the capture; then seeded damaged copies.
//! `tests/dissect_hncp.rs` compares `sockscope read` with `tcpdump -n -r`.

use super::app_captures::udp_port_capture;

pub const PORT: u16 = 8231;

/// A TLV: type, body length, body, padding to four bytes.
pub fn tlv(t: u16, body: &[u8]) -> Vec<u8> {
    let mut v = t.to_be_bytes().to_vec();
    v.extend_from_slice(&(body.len() as u16).to_be_bytes());
    v.extend_from_slice(body);
    v.resize(v.len().next_multiple_of(4), 0);
    v
}

/// A TLV whose body holds `fields` then the TLVs `inner`.
fn holding(t: u16, fields: &[u8], inner: &[Vec<u8>]) -> Vec<u8> {
    let mut b = fields.to_vec();
    b.resize(b.len().next_multiple_of(4), 0);
    b.extend(inner.concat());
    tlv(t, &b)
}

/// `n` bytes of a pattern that differs with `seed`.
fn pattern(n: usize, seed: u8) -> Vec<u8> {
    (0..n)
        .map(|i| (i as u8).wrapping_mul(29).wrapping_add(seed))
        .collect()
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

const V6: [u8; 16] = [
    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42,
];
const MAPPED: [u8; 16] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 77];

/// A prefix: its length byte and `bytes` address bytes.
fn prefix(plen: u8, address: &[u8], bytes: usize) -> Vec<u8> {
    cat(&[&[plen], &address[..bytes.min(address.len())]])
}

/// The prefixes the prefix TLVs carry: IPv6 and IPv4-mapped, at lengths
/// whole, odd, zero, past the address, with their bytes short.
fn prefixes() -> Vec<Vec<u8>> {
    let mut v = Vec::new();
    for plen in [0u8, 1, 7, 32, 48, 63, 64, 127, 128, 129, 200, 255] {
        v.push(prefix(plen, &V6, usize::from(plen).div_ceil(8)));
    }
    for bits in [0u8, 3, 8, 24, 31, 32, 33, 40, 159] {
        let plen = 96 + bits;
        v.push(prefix(
            plen,
            &MAPPED,
            usize::from(plen.min(128)).div_ceil(8),
        ));
    }
    // Mapped bytes with too few address bytes for the length.
    v.push(prefix(120, &MAPPED, 13));
    v.push(prefix(128, &MAPPED, 12));
    v.push(prefix(100, &MAPPED, 11));
    v
}

/// DNS names as HNCP carries them (labels, no pointers).
fn labels() -> Vec<Vec<u8>> {
    vec![
        b"\x04home\x04arpa\x00".to_vec(),
        b"\x00".to_vec(),
        b"\x03lan\x00".to_vec(),
        b"\x04ho\x00e\x04ar\x7fa\x00".to_vec(),
        b"\x05\xc3\xa9t\xe9\x01\x00".to_vec(),
        b"\x04home\x09arp".to_vec(),
        b"\x04home".to_vec(),
        b"\x04home\x04arpa".to_vec(),
    ]
}

/// DHCPv4 option lists: servers, search lists (with a pointer, a bad
/// one), unknown options, sizes wrong, an option past the TLV.
fn dhcpv4() -> Vec<Vec<u8>> {
    vec![
        cat(&[&[6, 8, 192, 0, 2, 1, 192, 0, 2, 2], &[42, 4, 10, 0, 0, 1]]),
        cat(&[&[119, 16], b"\x04home\x04arpa\x00\x03lan\x00"]),
        cat(&[&[119, 15], b"\x04home\x04arpa\x00\x03lan\x00"]),
        cat(&[&[119, 10], b"\x03lan\x00\x01a\xc0\x00"]),
        cat(&[&[119, 6], b"\x01a\xc0\x10\x00\x00"]),
        cat(&[&[119, 7], b"\x01a\xc0\x00\x00\x00\x00"]),
        vec![1, 4, 255, 255, 255, 0, 3, 0],
        vec![6, 3, 1, 2, 3],
        vec![6, 0],
        vec![42, 6, 1, 2, 3, 4, 5, 6],
        vec![6, 9, 1, 2, 3, 4],
        vec![6],
        vec![6, 4, 1, 2, 3, 4, 99],
        // Names running past the option (tcpdump reads on, unchecked).
        vec![119, 2, 1, b'a'],
        vec![119, 3, 0x41, 0x10, 0xab],
        vec![119, 3, 2, b'a', b'b'],
    ]
}

/// DHCPv6 option lists, likewise.
fn dhcpv6() -> Vec<Vec<u8>> {
    let two = cat(&[&V6, &MAPPED]);
    vec![
        cat(&[&[0, 23, 0, 32], &two, &[0, 31, 0, 16], &V6]),
        cat(&[&[0, 24, 0, 16], b"\x04home\x04arpa\x00\x03lan\x00"]),
        cat(&[&[0, 24, 0, 15], b"\x04home\x04arpa\x00\x03lan\x00"]),
        cat(&[&[0, 24, 0, 10], b"\x03lan\x00\x01a\xc0\x00"]),
        cat(&[&[0, 24, 0, 4], b"\x01a\xc0\x20"]),
        cat(&[&[0, 23, 0, 8], &V6[..8]]),
        cat(&[&[0, 31, 0, 0], &[0, 7, 0, 2, 1, 2]]),
        vec![0, 23, 0, 40, 1, 2],
        vec![0, 23, 0],
        vec![0, 24, 0, 2, 1, b'a'],
        vec![0, 24, 0, 3, 0x41, 0x10, 0xab, 0],
        cat(&[&[0, 99, 0, 3, 1, 2, 3], &[0, 23, 0, 16], &V6]),
    ]
}

/// Every hand-built datagram, to port 8231.
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let nid = [0xde, 0xad, 0xbe, 0xef];
    let endpoint = tlv(3, &cat(&[&nid, &[0, 0, 0, 7]]));
    let network = tlv(4, &pattern(8, 1));
    let peer = tlv(8, &cat(&[&nid, &[0, 0, 1, 0], &[0xff, 0xff, 0xff, 0xfe]]));
    let keepalive = tlv(9, &[0, 0, 0, 3, 0, 0, 0x4e, 0x20]);
    let version = tlv(32, &cat(&[&[0, 0, 0x12, 0x34], b"hnetd/1.0"]));
    let name = tlv(41, &cat(&[&V6, &[6], b"router"]));
    let address = tlv(36, &cat(&[&[0, 0, 0, 2], &MAPPED]));
    let node_state = |inner: &[Vec<u8>]| {
        holding(
            5,
            &cat(&[&nid, &[0, 0, 0, 42], &[0, 1, 0x86, 0xa0], &pattern(8, 9)]),
            inner,
        )
    };
    // Typical datagrams: a hello, a network state, a full node state.
    let mut v: Vec<Vec<u8>> = vec![
        cat(&[&endpoint, &tlv(1, &[])]),
        cat(&[&endpoint, &network, &tlv(2, &nid)]),
        cat(&[&endpoint, &network, &node_state(&[]), &node_state(&[])]),
        cat(&[
            &endpoint,
            &node_state(&[
                peer.clone(),
                peer.clone(),
                keepalive.clone(),
                version.clone(),
                holding(
                    33,
                    &[],
                    &[
                        holding(
                            34,
                            &cat(&[&[0, 0, 0x0e, 0x10, 0, 0, 0x07, 0x08], &prefix(48, &V6, 6)]),
                            &[tlv(37, &dhcpv4()[0]), tlv(38, &dhcpv6()[0])],
                        ),
                        tlv(37, &dhcpv4()[1]),
                        tlv(38, &dhcpv6()[1]),
                    ],
                ),
                holding(
                    35,
                    &cat(&[&[0, 0, 0, 5, 0xf3], &prefix(64, &V6, 8)]),
                    &[tlv(43, &[0])],
                ),
                address.clone(),
                holding(
                    39,
                    &cat(&[&V6, &[7], b"\x04home\x04arpa\x00"]),
                    &[tlv(40, b"\x04home\x00")],
                ),
                name.clone(),
                holding(42, &pattern(32, 3), std::slice::from_ref(&peer)),
            ]),
        ]),
    ];
    // Each type alone at its size and at wrong ones.
    for (t, sizes) in [
        (1u16, &[0usize, 1, 4][..]),
        (2, &[4, 3, 5, 0]),
        (3, &[8, 7, 9]),
        (4, &[8, 4, 12]),
        (5, &[20, 19, 24, 0]),
        (8, &[12, 11, 16]),
        (9, &[8, 7, 12]),
        (10, &[37, 36, 40, 64]),
        (32, &[5, 4, 12, 0]),
        (33, &[0, 3]),
        (36, &[20, 19, 24]),
        (37, &[0]),
        (38, &[0]),
        (39, &[17, 16]),
        (40, &[0, 1]),
        (41, &[17, 16]),
        (42, &[32, 31, 36]),
        (43, &[0, 1]),
        (34, &[8, 9]),
        (35, &[5, 6]),
    ] {
        for &n in sizes {
            v.push(tlv(t, &pattern(n, t as u8)));
            v.push(tlv(t, &vec![0; n]));
        }
    }
    // Trust verdicts and versions with text, NULs and unprintables.
    for text in [&b"cn=router"[..], b"a\x00b", b"\x01\x7f\x80\xff", b""] {
        v.push(tlv(10, &cat(&[&[2, 0, 0, 0], &pattern(32, 5), text, b"!"])));
        v.push(tlv(32, &cat(&[&[9, 9, 0xff, 0x0f], text, b"?"])));
    }
    // The ranges of unnamed types and runs of one type.
    v.push(
        [
            0u16, 6, 7, 11, 31, 44, 511, 512, 767, 768, 1023, 1024, 0xffff,
        ]
        .iter()
        .flat_map(|&t| tlv(t, &[1, 2, 3]))
        .collect(),
    );
    v.push(cat(&[
        &peer,
        &peer,
        &peer,
        &endpoint,
        &peer,
        &tlv(0, &[]),
        &tlv(0, &[]),
    ]));
    // Prefixes in delegated and assigned prefixes and prefix policies.
    for p in prefixes() {
        v.push(tlv(34, &cat(&[&[0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff], &p])));
        v.push(holding(
            34,
            &cat(&[&[0, 0, 0, 1, 0, 0, 0, 0], &p]),
            std::slice::from_ref(&keepalive),
        ));
        v.push(tlv(35, &cat(&[&[0, 0, 0, 9, 0x0f], &p])));
        v.push(holding(
            35,
            &cat(&[&[0, 0, 0, 9, 0x10], &p]),
            std::slice::from_ref(&address),
        ));
        v.push(tlv(43, &p));
    }
    for policy in [0u8, 129, 130, 131, 132, 200, 255] {
        v.push(tlv(43, &[policy]));
        v.push(tlv(43, &cat(&[&[policy], b"\x04home\x00xyz"])));
    }
    // Names in DNS zones, domain names, prefix policies, node names.
    for l in labels() {
        v.push(tlv(40, &l));
        v.push(tlv(43, &cat(&[&[129], &l])));
        v.push(holding(39, &cat(&[&MAPPED, &[0xf8], &l]), &[tlv(1, &[])]));
        v.push(tlv(39, &cat(&[&V6, &[5], &l])));
    }
    for (n, text) in [
        (6u8, &b"router"[..]),
        (0, b""),
        (3, b"a\x00b"),
        (63, &[b'x'; 63][..]),
        (64, &[b'y'; 64][..]),
        (200, &[b'z'; 200][..]),
        (9, b"short"),
    ] {
        v.push(tlv(41, &cat(&[&V6, &[n], text])));
        v.push(holding(41, &cat(&[&MAPPED, &[n], text]), &[tlv(2, &nid)]));
    }
    // DHCP data.
    for o in dhcpv4() {
        v.push(tlv(37, &o));
        v.push(cat(&[&tlv(37, &o), &endpoint]));
        v.push(holding(33, &[], &[tlv(37, &o), endpoint.clone()]));
    }
    for o in dhcpv6() {
        v.push(tlv(38, &o));
        v.push(cat(&[&tlv(38, &o), &endpoint]));
    }
    // Nesting several levels deep, and a deep chain.
    let mut deep = peer.clone();
    for _ in 0..6 {
        deep = holding(33, &[], &[deep.clone(), keepalive.clone()]);
    }
    v.push(deep);
    let mut chain = tlv(1, &[]);
    for i in 0..40 {
        chain = if i % 2 == 0 {
            holding(33, &[], &[chain])
        } else {
            node_state(&[chain])
        };
    }
    v.push(chain);
    // TLVs past their level or the datagram: a header cut, a body long.
    v.push(cat(&[&endpoint, &[0, 3, 0]]));
    v.push(cat(&[&endpoint, &[0, 3, 0, 8, 1, 2]]));
    let mut long_inner = holding(33, &[], std::slice::from_ref(&endpoint));
    long_inner[7] = 20;
    v.push(cat(&[&long_inner, &peer]));
    let mut short_outer = holding(33, &[], &[endpoint.clone(), peer.clone()]);
    short_outer[3] = 14;
    v.push(cat(&[&short_outer, &network]));
    let mut past_inner = node_state(std::slice::from_ref(&endpoint));
    let at = past_inner.len() - 10;
    past_inner[at] = 0x40;
    v.push(cat(&[&past_inner, &network]));
    v.push(vec![0, 1, 0]);
    v.push(vec![]);
    v.push(cat(&[&version, &name, &address, &tlv(7, &[])]));
    v.into_iter().map(|m| (true, PORT, m)).collect()
}

/// The capture: each datagram to the port, three from it, then `n`
/// damaged ones.
pub fn capture(n: usize) -> Vec<u8> {
    udp_port_capture(
        PORT,
        &messages(),
        0..3,
        usize::MAX,
        (0x8231_0000_0000_0001, n),
    )
}
