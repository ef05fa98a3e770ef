//! `captures/dissect_pptp.pcap`: PPTP control messages built by hand
//! (RFC 2637: each of the fifteen types, from client and server, with
//! every result, error and reason code tcpdump names and one it does not,
//! each bit of the capabilities, each bearer and framing type, text
//! fields full, empty, unterminated and with bytes tcpdump escapes,
//! reserved fields that are not zero, a wrong magic cookie, the
//! management message type, unknown types, a message shorter than its
//! type, two messages in one segment), each in a TCP segment of its own
//! connection to port 1723, then seeded damaged copies; and, in a
//! temporary capture, each message cut at every length.
//! `tests/dissect_pptp.rs` compares `sockscope read` with `tcpdump -n -r`
//! on both.

use super::app_captures::tcp_messages_and_damaged;

pub const PORT: u16 = 1723;

const COOKIE: u32 = 0x1a2b_3c4d;

/// A control message of type `kind` with `body`, its length field right.
pub fn message(kind: u16, body: &[u8]) -> Vec<u8> {
    header(12 + body.len() as u16, 1, COOKIE, kind, 0, body)
}

/// Any header: length, message type, magic cookie, control type, reserved.
fn header(len: u16, msg_type: u16, cookie: u32, kind: u16, reserved: u16, body: &[u8]) -> Vec<u8> {
    [
        &len.to_be_bytes()[..],
        &msg_type.to_be_bytes(),
        &cookie.to_be_bytes(),
        &kind.to_be_bytes(),
        &reserved.to_be_bytes(),
        body,
    ]
    .concat()
}

/// `text` NUL-padded (or cut) to `n` bytes.
fn text(text: &[u8], n: usize) -> Vec<u8> {
    let mut t = text.to_vec();
    t.resize(n, 0);
    t
}

fn be16(n: u16) -> [u8; 2] {
    n.to_be_bytes()
}

fn be32(n: u32) -> [u8; 4] {
    n.to_be_bytes()
}

/// Start-Control-Connection-Request (1) or -Reply (2): version, result and
/// error (reserved in the request), capabilities, channels, firmware,
/// host name and vendor.
fn start(kind: u16, codes: [u8; 2], caps: [u32; 2], host: &[u8], vendor: &[u8]) -> Vec<u8> {
    let body = [
        &be16(0x0100)[..],
        &codes,
        &be32(caps[0]),
        &be32(caps[1]),
        &be16(65535),
        &be16(0x1234),
        &text(host, 64),
        &text(vendor, 64),
    ]
    .concat();
    message(kind, &body)
}

/// Outgoing-Call-Request with bearer and framing types, number and
/// subaddress.
fn ocrq(bearer: u32, framing: u32, reserved: u16, phone: &[u8]) -> Vec<u8> {
    let body = [
        &be16(1)[..],
        &be16(2),
        &be32(300),
        &be32(100_000),
        &be32(bearer),
        &be32(framing),
        &be16(64),
        &be16(0),
        &be16(phone.len() as u16),
        &be16(reserved),
        &text(phone, 64),
        &text(b"sub", 64),
    ]
    .concat();
    message(7, &body)
}

/// A call reply (Outgoing 8, Incoming 10) or Call-Disconnect-Notify (13)
/// with result `result`.
fn call_result(kind: u16, result: u8, error: u8) -> Vec<u8> {
    let body = match kind {
        8 => [
            &be16(1)[..],
            &be16(2),
            &[result, error],
            &be16(16),
            &be32(64_000),
            &be16(64),
            &be16(0),
            &be32(5),
        ]
        .concat(),
        10 => [
            &be16(1)[..],
            &be16(2),
            &[result, error],
            &be16(64),
            &be16(0),
            &be16(0),
        ]
        .concat(),
        _ => [
            &be16(1)[..],
            &[result, error],
            &be16(0),
            &be16(0),
            &text(b"stats", 128),
        ]
        .concat(),
    };
    message(kind, &body)
}

/// The hand-built messages, each with whether the client sent it.
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let long_host = [b'x'; 64];
    let mut v = vec![
        (true, start(1, [0, 0], [3, 3], b"client", b"sockscope")),
        (false, start(2, [1, 0], [1, 2], &long_host, b"")),
        (false, start(2, [5, 4], [2, 1], b"h\x01\xff\x7fz", b"v")),
        (false, start(2, [6, 9], [0, 0], b"a\0b", b"\0x")),
        (true, start(1, [0, 7], [0xffff_fffc, 0], b"r", b"")),
        (true, message(3, &[1, 0, 0, 0])),
        (true, message(3, &[2, 0, 0, 0])),
        (true, message(3, &[3, 0, 0, 0])),
        (true, message(3, &[0, 1, 0, 2])),
        (false, message(4, &[1, 0, 0, 0])),
        (false, message(4, &[2, 3, 0, 0])),
        (false, message(4, &[3, 7, 0, 1])),
        (true, message(5, &be32(77))),
        (false, message(6, &[0, 0, 0, 77, 1, 0, 0, 0])),
        (false, message(6, &[0, 0, 0, 77, 2, 6, 0, 5])),
        (true, ocrq(1, 1, 0, b"5551234")),
        (true, ocrq(2, 2, 9, b"")),
        (true, ocrq(3, 3, 0, &[b'9'; 64])),
        (true, ocrq(4, 0, 0, b"+1 (555)\t")),
    ];
    for result in 0..=8 {
        v.push((false, call_result(8, result, result % 8)));
    }
    for result in 0..=4 {
        v.push((false, call_result(10, result, 2)));
    }
    for result in 0..=5 {
        v.push((false, call_result(13, result, 0)));
    }
    let icrq = [
        &be16(1)[..],
        &be16(2),
        &be32(2),
        &be32(9),
        &be16(3),
        &be16(4),
        &text(b"123", 64),
        &text(b"4567", 64),
        &text(b"", 64),
    ]
    .concat();
    let iccn = |framing| {
        let body = [
            &be16(2)[..],
            &be16(0),
            &be32(64_000),
            &be16(64),
            &be16(3),
            &be32(framing),
        ];
        message(11, &body.concat())
    };
    let wen = [
        &be16(1)[..],
        &be16(0),
        &be32(1),
        &be32(2),
        &be32(3),
        &be32(4),
        &be32(5),
        &be32(u32::MAX),
    ];
    let sli = |reserved| [&be16(1)[..], &be16(reserved), &be32(u32::MAX), &be32(0)].concat();
    v.extend([
        (false, message(9, &icrq)),
        (true, message(10, &[0, 1, 0, 2, 1, 0, 0, 64, 0, 0, 0, 1])),
        (true, iccn(1)),
        (true, iccn(2)),
        (true, iccn(3)),
        (true, iccn(7)),
        (true, message(12, &[0, 1, 0, 0])),
        (true, message(12, &[0, 1, 0x80, 0])),
        (false, message(14, &wen.concat())),
        (true, message(15, &sli(0))),
        (true, message(15, &sli(3))),
        // The header alone: NOT_DEFINED, unknown, management, others.
        (true, message(0, &[])),
        (true, header(12, 2, 1, 16, 5, &[])),
        (true, header(12, 3, COOKIE, 0xffff, 0, &[])),
        (true, header(0, 1, COOKIE, 1, 0, &[])),
        // Shorter than its type, and two in one segment (tcpdump prints
        // the first).
        (true, message(1, &[1, 0, 0, 0, 0, 0])),
        (true, [message(5, &be32(1)), message(5, &be32(2))].concat()),
    ]);
    v.into_iter().map(|(c, m)| (c, PORT, m)).collect()
}

/// Each message in a segment of its own connection, then `n` damaged
/// copies.
pub fn capture(n: usize) -> Vec<u8> {
    tcp_messages_and_damaged(PORT, &messages(), n, 0x9797_0000_0000_0001)
}
