//! `captures/dissect_olsr.pcap`: OLSR packets built by hand on UDP port
//! 698 (Debian has no OLSR daemon), each over IPv4 and over IPv6 (tcpdump
//! takes the address size from the IP version): HELLOs with every link
//! code and group sizes good, empty and bad, LQ-HELLOs with qualities at
//! their edges, TCs and LQ-TCs, MIDs, HNAs (IPv4 columns, masks that are
//! not contiguous, olsr.org's smart gateways with and without link
//! speeds), name-service messages (padding, bad counts and lengths,
//! unprintable names), Powerinfo and unknown types in hex, every
//! validity time, messages sized under their header, over the packet,
//! zero, packet lengths shorter and longer than the datagram, packets
//! under 4 bytes; then seeded damaged copies over both. In a temporary
//! capture each packet is cut at every length over both.
//! `tests/dissect_olsr.rs` compares `sockscope read` with `tcpdump -n -r`.

use super::app_captures::{both_ip_capture, both_ip_cuts};

pub const PORT: u16 = 698;

/// An address of the family ending in `last`.
fn addr(v6: bool, last: u8) -> Vec<u8> {
    if v6 {
        let mut a = vec![0x20, 1, 0xd, 0xb8];
        a.resize(15, 0);
        a.push(last);
        a
    } else {
        vec![10, 0, 0, last]
    }
}

/// A message: type, validity time, size (`body` and the header),
/// originator, TTL 64, hop count 1, sequence 9, `body`.
pub fn message(v6: bool, kind: u8, vtime: u8, body: &[u8]) -> Vec<u8> {
    let size = 8 + addr(v6, 1).len() + body.len();
    let mut m = vec![kind, vtime];
    m.extend_from_slice(&(size as u16).to_be_bytes());
    m.extend(addr(v6, 1));
    m.extend_from_slice(&[64, 1, 0, 9]);
    m.extend_from_slice(body);
    m
}

/// A packet: its length (the datagram's), sequence 0x1234, `messages`.
pub fn packet(messages: &[Vec<u8>]) -> Vec<u8> {
    let body = messages.concat();
    let mut p = ((body.len() + 4) as u16).to_be_bytes().to_vec();
    p.extend_from_slice(&[0x12, 0x34]);
    p.extend(body);
    p
}

/// A HELLO's or TC's plain neighbours (IPv4 over either version).
fn plain(n: u8) -> Vec<u8> {
    (0..n).flat_map(|i| [192, 0, 2, 10 + i]).collect()
}

/// LQ neighbours of the family with these qualities.
fn lq(v6: bool, qualities: &[(u8, u8)]) -> Vec<u8> {
    let mut v = Vec::new();
    for (i, &(a, b)) in qualities.iter().enumerate() {
        v.extend(addr(v6, 20 + i as u8));
        v.extend_from_slice(&[a, b, 0, 0]);
    }
    v
}

/// A link group: code, reserved, size (header included), neighbours.
fn group(code: u8, neighbors: &[u8]) -> Vec<u8> {
    let mut g = vec![code, 0];
    g.extend_from_slice(&((neighbors.len() + 4) as u16).to_be_bytes());
    g.extend_from_slice(neighbors);
    g
}

/// A HELLO body: reserved, hello interval, willingness, groups.
fn hello(groups: &[Vec<u8>]) -> Vec<u8> {
    [vec![0, 0, 0x26, 7], groups.concat()].concat()
}

/// A name entry: type, length, address, name padded to four bytes.
fn name_entry(v6: bool, kind: u16, name: &[u8]) -> Vec<u8> {
    let mut e = kind.to_be_bytes().to_vec();
    e.extend_from_slice(&(name.len() as u16).to_be_bytes());
    e.extend(addr(v6, 30));
    e.extend_from_slice(name);
    e.resize(e.len().next_multiple_of(4), 0);
    e
}

/// The messages of one family (the IPv6 ones carry IPv6 addresses where
/// tcpdump reads them).
fn family(v6: bool) -> Vec<Vec<u8>> {
    let msg = |kind, body: &[u8]| message(v6, kind, 0x2c, body);
    let mut v = Vec::new();
    // Every link code: four link types, four neighbour types.
    let groups: Vec<Vec<u8>> = (0u8..16).map(|c| group(c, &plain(c % 6))).collect();
    v.push(packet(&[msg(1, &hello(&groups))]));
    v.push(packet(&[msg(1, &hello(&[]))]));
    for bad in [vec![2, 0, 0, 2], vec![2, 0, 0, 0x40], vec![6, 0, 0, 4]] {
        v.push(packet(&[msg(1, &hello(&[group(6, &plain(1)), bad]))]));
    }
    v.push(packet(&[msg(1, &[0, 0, 0x26])]));
    v.push(packet(&[msg(1, &[0, 0, 0x26, 7, 6, 0])]));
    v.push(packet(&[msg(1, &hello(&[group(6, &plain(2)[..7])]))]));
    let qualities = [(0, 255), (1, 128), (255, 0), (51, 204)];
    v.push(packet(&[msg(
        201,
        &hello(&[group(10, &lq(v6, &qualities))]),
    )]));
    v.push(packet(&[msg(
        201,
        &hello(&[group(5, &lq(v6, &qualities)[..9])]),
    )]));
    // TC and LQ-TC: the advertised sequence, then neighbours.
    v.push(packet(&[msg(
        2,
        &[[0xab, 0xcd, 0, 0].as_slice(), &plain(6)].concat(),
    )]));
    v.push(packet(&[msg(2, &[0xab, 0xcd, 0, 0, 1, 2, 3])]));
    v.push(packet(&[msg(2, &[0xab])]));
    v.push(packet(&[msg(
        202,
        &[[0, 7, 0, 0].as_slice(), &lq(v6, &qualities)].concat(),
    )]));
    // MID: interface addresses, and bytes short of one.
    let mid = [addr(v6, 2), addr(v6, 3), vec![9, 9, 9]].concat();
    v.push(packet(&[msg(3, &mid)]));
    // HNA: networks and masks of the family.
    let hna = if v6 {
        let mut h = Vec::new();
        for (last, mask) in [(0u8, 0u128), (1, !0 << 64), (2, !0), (3, 0xff00_ff00 << 96)] {
            h.extend(addr(true, last));
            h.extend_from_slice(&mask.to_be_bytes());
        }
        h
    } else {
        let mut h = Vec::new();
        for (net, mask) in [
            ([10, 1, 0, 0], [255, 255, 0, 0]),
            ([10, 2, 0, 0], [255, 255, 255, 0]),
            ([0, 0, 0, 0], [0, 0, 0, 0]),
            ([10, 3, 0, 0], [255, 0, 255, 0]),
            ([0, 0, 0, 0], [0, 0x1f, 0x0b, 0xff]),
            ([0, 0, 0, 0], [0, 0x1f, 0, 0x47]),
            ([0, 0, 0, 0], [0, 0x0e, 0x33, 0x44]),
            ([0, 0, 0, 0], [1, 0x1f, 0x33, 0x44]),
            ([0, 0, 0, 1], [0, 0x1f, 0x33, 0x44]),
            ([10, 4, 0, 0], [255, 255, 255, 255]),
        ] {
            h.extend_from_slice(&net);
            h.extend_from_slice(&mask);
        }
        h
    };
    v.push(packet(&[msg(4, &hna)]));
    v.push(packet(&[msg(4, &[1, 2, 3])]));
    // The name service: version, count, entries.
    let entries = [
        name_entry(v6, 0, b"a"),
        name_entry(v6, 1, b"node.example"),
        name_entry(v6, 0x1234, b"abcd"),
        name_entry(v6, 2, b"x\x01\x7f\xffy"),
    ]
    .concat();
    v.push(packet(&[msg(
        130,
        &[[0, 1, 0, 4].as_slice(), &entries].concat(),
    )]));
    v.push(packet(&[msg(
        130,
        &[[0, 1, 0, 0].as_slice(), &entries].concat(),
    )]));
    v.push(packet(&[msg(
        130,
        &[[0, 1, 0, 9].as_slice(), &entries].concat(),
    )]));
    let zero_len = [vec![0, 1, 0, 1, 0, 3, 0, 0], addr(v6, 30)].concat();
    v.push(packet(&[msg(130, &zero_len)]));
    let long = [vec![0, 1, 0, 1, 0, 3, 0, 0x40], addr(v6, 30)].concat();
    v.push(packet(&[msg(130, &long)]));
    let unpadded = [vec![0, 1, 0, 1, 0, 3, 0, 2], addr(v6, 30), b"ab".to_vec()].concat();
    v.push(packet(&[msg(130, &unpadded)]));
    v.push(packet(&[msg(130, &[0, 1])]));
    // Types tcpdump prints in hex.
    v.push(packet(&[msg(128, &[1, 2, 3, 4, 5])]));
    v.push(packet(&[msg(99, &(0u8..40).collect::<Vec<u8>>())]));
    v.push(packet(&[msg(7, &[])]));
    // Several messages; sizes under the header, over the packet, zero;
    // type zero.
    v.push(packet(&[
        msg(3, &addr(v6, 5)),
        msg(2, &[0, 1, 0, 0]),
        msg(4, &[]),
    ]));
    let mut small = msg(3, &[]);
    small[3] = 4;
    v.push(packet(&[small.clone(), msg(3, &[])]));
    small[3] = 0xff;
    v.push(packet(&[msg(3, &[]), small.clone()]));
    small[3] = 0;
    v.push(packet(&[small.clone()]));
    v.push(packet(&[[vec![0], msg(3, &[])[1..].to_vec()].concat()]));
    // Packet lengths shorter and longer than the datagram.
    let mut p = packet(&[msg(3, &addr(v6, 5)), msg(3, &[])]);
    p[1] -= 12;
    v.push(p.clone());
    p[0] = 2;
    v.push(p.clone());
    p[0..2].copy_from_slice(&[0, 3]);
    v.push(p);
    // Every validity time, each in an empty MID.
    let vtimes: Vec<Vec<u8>> = (0u8..=255).map(|t| message(v6, 3, t, &[])).collect();
    v.push(packet(&vtimes));
    for short in [vec![], vec![0], vec![0, 4], vec![0, 4, 0]] {
        v.push(short);
    }
    v
}

/// Every hand-built packet of both families (each goes over both IP
/// versions: the IPv4 ones over IPv6 show tcpdump reading IPv6 sizes).
pub fn messages() -> Vec<Vec<u8>> {
    [family(false), family(true)].concat()
}

/// The capture: each packet over both IP versions, three from the port,
/// then `n` damaged ones over each.
pub fn capture(n: usize) -> Vec<u8> {
    both_ip_capture(PORT, &messages(), (0x0698_0000_0000_0001, n))
}

/// Every packet over both IP versions cut at every length (but the
/// packets of every validity time, whose cuts would only repeat).
pub fn cuts() -> Vec<u8> {
    let ms: Vec<Vec<u8>> = messages().into_iter().filter(|m| m.len() < 1000).collect();
    both_ip_cuts(PORT, &ms, Vec::new())
}
