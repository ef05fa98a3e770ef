//! `captures/dissect_rpki_rtr.pcap`: RPKI-RTR (RFC 6810) PDUs built by
//! hand — each type tcpdump names, a cache's answer of several PDUs in one
//! segment (Cache Response, IPv4 and IPv6 prefixes, End of Data), error
//! reports with and without an encapsulated PDU (an error report inside
//! one too) and with text tcpdump escapes, every error code and one past
//! them, lengths wrong for the type, shorter than a header or past the
//! segment, an unknown type, another version, a segment too short for a
//! header — each in a TCP segment of its own connection to port 323, then
//! seeded damaged copies; and, in a temporary capture, each cut at every
//! length. `tests/dissect_rpki_rtr.rs` compares `sockscope read` with
//! `tcpdump -n -r` on both.

use super::app_captures::tcp_messages_and_damaged;

pub const PORT: u16 = 323;

/// A PDU: version, type, session id (or error code), its length right.
pub fn pdu(version: u8, kind: u8, session: u16, body: &[u8]) -> Vec<u8> {
    let len = 8 + body.len() as u32;
    [
        &[version, kind][..],
        &session.to_be_bytes(),
        &len.to_be_bytes(),
        body,
    ]
    .concat()
}

/// The same with a length of our choosing.
fn pdu_len(kind: u8, len: u32, body: &[u8]) -> Vec<u8> {
    [&[0, kind, 0, 7][..], &len.to_be_bytes(), body].concat()
}

fn ipv4_prefix(flags: u8, len: u8, max: u8, prefix: [u8; 4], asn: u32) -> Vec<u8> {
    let body = [&[flags, len, max, 0][..], &prefix, &asn.to_be_bytes()].concat();
    pdu(0, 4, 0, &body)
}

fn ipv6_prefix(flags: u8, len: u8, max: u8, prefix: [u8; 16], asn: u32) -> Vec<u8> {
    let body = [&[flags, len, max, 0][..], &prefix, &asn.to_be_bytes()].concat();
    pdu(0, 6, 0, &body)
}

/// An Error Report with code `code`, the erroneous PDU and the text.
fn error_report(code: u16, inner: &[u8], text: &[u8]) -> Vec<u8> {
    let body = [
        &(inner.len() as u32).to_be_bytes()[..],
        inner,
        &(text.len() as u32).to_be_bytes(),
        text,
    ]
    .concat();
    pdu(0, 10, code, &body)
}

const V6: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/// The hand-built segments' payloads, each with whether the router (the
/// client) sent it.
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let serial = |kind, session, serial: u32| pdu(0, kind, session, &serial.to_be_bytes());
    let answer = [
        pdu(0, 3, 0x1234, &[]),
        ipv4_prefix(1, 24, 24, [192, 0, 2, 0], 65001),
        ipv4_prefix(0, 16, 24, [10, 1, 0, 0], 4_200_000_000),
        ipv6_prefix(1, 32, 48, V6, 65002),
        ipv6_prefix(
            1,
            128,
            128,
            [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
            0,
        ),
        serial(7, 0x1234, 42),
    ]
    .concat();
    let query = serial(1, 0x1234, 41);
    let mut v = vec![
        (false, serial(0, 0x1234, 42)),
        (true, query.clone()),
        (true, pdu(0, 2, 0, &[])),
        (false, answer),
        (false, pdu(0, 8, 0, &[])),
        (false, error_report(2, &[], b"no data yet")),
        (false, error_report(5, &pdu(0, 9, 0, &[]), b"")),
        (
            true,
            error_report(
                6,
                &ipv4_prefix(0, 24, 24, [192, 0, 2, 0], 1),
                b"w\x01\xff\n",
            ),
        ),
        (
            true,
            error_report(3, &error_report(1, &query, b"inner"), b"outer"),
        ),
        (true, error_report(0, &pdu_len(4, 4, &[]), b"x")),
        (false, pdu(1, 0, 0, &[0, 0, 0, 1])),
        (false, [query.clone(), pdu(2, 2, 0, &[])].concat()),
        (false, pdu(0, 9, 0, &[1, 2, 3])),
        (false, pdu(0, 255, 0, &[])),
        // Lengths the types do not allow, too short, past the segment.
        (false, pdu(0, 0, 1, &[0, 0, 0, 1, 0])),
        (false, pdu(0, 2, 0, &[0])),
        (false, pdu(0, 3, 0, &[0])),
        (false, pdu(0, 4, 0, &[1, 24, 24, 0, 192, 0, 2])),
        (
            false,
            pdu(0, 6, 0, &[1, 24, 24, 0, 192, 0, 2, 0, 0, 0, 0, 1]),
        ),
        (false, pdu_len(7, 4, &[0, 0, 0, 1])),
        (false, pdu_len(7, 40, &[0, 0, 0, 1])),
        (false, pdu_len(10, 12, &[0, 0, 0, 0])),
        (false, pdu_len(10, 16, &[0, 0, 0, 9, 0, 0, 0, 0])),
        (false, pdu_len(10, 16, &[0, 0, 0, 0, 0, 0, 0, 9])),
        (false, pdu_len(10, 14, &[0, 0, 0, 0, 0, 0])),
        (false, [query.clone(), vec![0, 1, 0]].concat()),
        (false, vec![0, 2, 0]),
    ];
    for code in 0..=8 {
        v.push((false, error_report(code, &[], b"")));
    }
    v.into_iter().map(|(c, m)| (c, PORT, m)).collect()
}

/// Each message in a segment of its own connection, then `n` damaged
/// copies.
pub fn capture(n: usize) -> Vec<u8> {
    tcp_messages_and_damaged(PORT, &messages(), n, 0x5b1c_0000_0000_0001)
}
