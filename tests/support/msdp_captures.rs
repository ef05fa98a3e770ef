//! `captures/dissect_msdp.pcap`: MSDP (RFC 3618) messages built by hand —
//! Source-Active and Source-Active Response with no, one and several
//! entries, with a multicast packet behind the entries (whole, cut short
//! by its own lengths, another IP version, garbage), SA-Requests,
//! Keepalives (and one longer than its header), a Notification, unknown
//! types, several messages in a segment (one after a carried packet),
//! lengths tcpdump refuses for a first message, under three or past the
//! segment, a message whose fields run into the next one, and over 1400
//! bytes (printed at every level) — each in a TCP segment of its own
//! connection to or from port 639, then seeded damaged copies; and, in a
//! temporary capture, each cut at every length. `tests/dissect_msdp.rs`
//! compares `sockscope read` with `tcpdump -n -r` on both.

use super::app_captures::tcp_messages_and_damaged;

pub const PORT: u16 = 639;

/// A message: type, its length right, body.
pub fn message(kind: u8, body: &[u8]) -> Vec<u8> {
    with_len(kind, 3 + body.len() as u16, body)
}

/// The same with a length of our choosing.
fn with_len(kind: u8, len: u16, body: &[u8]) -> Vec<u8> {
    [&[kind][..], &len.to_be_bytes(), body].concat()
}

/// A Source-Active (`kind` 1) or its response (3): the entries (group,
/// source, prefix length) and the packet carried after them.
pub fn source_active(kind: u8, entries: &[([u8; 4], [u8; 4], u8)], data: &[u8]) -> Vec<u8> {
    let mut body = vec![entries.len() as u8, 192, 0, 2, 1];
    for (group, source, prefix) in entries {
        body.extend_from_slice(&[0, 0, 0, *prefix]);
        body.extend_from_slice(group);
        body.extend_from_slice(source);
    }
    body.extend_from_slice(data);
    message(kind, &body)
}

/// An IPv4 packet carrying a UDP datagram of `payload`, as a source sends
/// to its group (checksums right).
pub fn multicast_packet(payload: &[u8]) -> Vec<u8> {
    let udp_len = 8 + payload.len() as u16;
    let total = 20 + udp_len;
    let mut ip = vec![
        0x45, 0, 0, 0, 0, 1, 0, 0, 1, 17, 0, 0, 10, 9, 9, 9, 239, 1, 1, 1,
    ];
    ip[2..4].copy_from_slice(&total.to_be_bytes());
    let sum = ones_complement(&ip);
    ip[10..12].copy_from_slice(&sum.to_be_bytes());
    ip.extend_from_slice(&[0x13, 0x88, 0x17, 0x70]);
    ip.extend_from_slice(&udp_len.to_be_bytes());
    ip.extend_from_slice(&[0, 0]);
    ip.extend_from_slice(payload);
    ip
}

fn ones_complement(b: &[u8]) -> u16 {
    let mut s: u32 = b
        .chunks(2)
        .map(|c| u32::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])))
        .sum();
    while s > 0xffff {
        s = (s & 0xffff) + (s >> 16);
    }
    !(s as u16)
}

const G1: [u8; 4] = [239, 1, 1, 1];
const G2: [u8; 4] = [239, 1, 1, 2];
const S1: [u8; 4] = [10, 9, 9, 9];
const S2: [u8; 4] = [10, 9, 9, 8];

/// The hand-built segments' payloads, each with whether it went to the
/// port (the peer that opened the connection sent it).
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let keepalive = message(4, &[]);
    let packet = multicast_packet(b"hello");
    let one = [(G1, S1, 32)];
    let v: Vec<(bool, Vec<u8>)> = vec![
        (true, source_active(1, &one, &[])),
        (true, source_active(1, &[], &[])),
        (false, source_active(3, &[(G1, S1, 32), (G2, S2, 24)], &[])),
        (true, source_active(1, &one, &packet)),
        (true, source_active(3, &[], &packet)),
        (true, source_active(1, &one, &packet[..12])),
        (true, source_active(1, &one, &[0x60; 40])),
        (true, source_active(1, &one, &[0; 4])),
        (
            true,
            [source_active(1, &one, &packet), keepalive.clone()].concat(),
        ),
        (
            true,
            [source_active(1, &one, &packet), with_len(0, 3, &[])].concat(),
        ),
        (false, message(2, &[0, 239, 1, 1, 1])),
        (false, message(2, &[0, 239, 1, 1, 1, 7])),
        (true, keepalive.clone()),
        (true, message(4, &[0])),
        (true, message(5, &[0, 1, 2, 3, 4])),
        (true, message(6, b"ab")),
        (true, message(7, &[])),
        (
            true,
            [
                keepalive.clone(),
                keepalive.clone(),
                source_active(1, &one, &[]),
            ]
            .concat(),
        ),
        (true, [keepalive.clone(), message(9, &[])].concat()),
        (true, [keepalive.clone(), message(200, &[1, 2])].concat()),
        // Lengths: a first message tcpdump refuses, under three, past the
        // segment, fewer than three bytes left.
        (true, with_len(0, 3, &[])),
        (true, with_len(8, 3, &[])),
        (true, with_len(4, 2, &[])),
        (true, with_len(1, 1600, &[0; 20])),
        (true, [keepalive.clone(), with_len(4, 10, &[])].concat()),
        (true, [keepalive.clone(), vec![4]].concat()),
        (true, [keepalive.clone(), vec![4, 0]].concat()),
        (true, source_active(1, &one, &[])[..10].to_vec()),
        // Fields read from the message's start whatever its length.
        (true, with_len(1, 3, &[])),
        (true, [with_len(1, 3, &[]), keepalive.clone()].concat()),
        (true, with_len(1, 7, &[1, 1, 2, 3])),
        (true, with_len(1, 5, &[3, 0])),
        (true, with_len(2, 4, &[0, 239, 1, 1])),
        (true, with_len(2, 7, &[0, 1, 2, 3])),
        // Over 1400 bytes: the length at every level.
        (true, message(4, &[0; 1447])),
        (
            true,
            [keepalive.clone(), source_active(1, &[], &[0; 1489])].concat(),
        ),
    ];
    v.into_iter().map(|(c, m)| (c, PORT, m)).collect()
}

/// Each message in a segment of its own connection, then `n` damaged
/// copies.
pub fn capture(n: usize) -> Vec<u8> {
    tcp_messages_and_damaged(PORT, &messages(), n, 0x3d5b_0000_0000_0001)
}
