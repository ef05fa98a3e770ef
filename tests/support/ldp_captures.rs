//! `captures/dissect_ldp.pcap`: LDP PDUs built by hand (hello with every
//! hello TLV, initialization with session and fault-tolerance
//! parameters, keepalive, address and address withdraw lists of both
//! families and an unknown one, label mappings with prefix, host,
//! wildcard and Martini VC FECs and their interface parameters, labels,
//! notifications, messages tcpdump leaves in hex, TLVs too short for
//! their kind or longer than their message, bad versions and lengths,
//! two PDUs in one datagram), over UDP and in TCP segments; a few cut at
//! every length, then seeded damaged copies. `tests/dissect_ldp.rs`
//! compares `sockscope read` with `tcpdump -n -r` on it.

use super::app_captures::{Frame, capture as write, damaged, tcp_each, udp, udp_cut};

pub const PORT: u16 = 646;

/// A TLV: type (with the U and F bits), value.
fn tlv(kind: u16, value: &[u8]) -> Vec<u8> {
    [
        &kind.to_be_bytes()[..],
        &(value.len() as u16).to_be_bytes(),
        value,
    ]
    .concat()
}

/// A message: type (with the U bit), id, TLVs.
fn msg(kind: u16, id: u32, tlvs: &[Vec<u8>]) -> Vec<u8> {
    let body = tlvs.concat();
    [
        &kind.to_be_bytes()[..],
        &(body.len() as u16 + 4).to_be_bytes(),
        &id.to_be_bytes(),
        &body,
    ]
    .concat()
}

/// A PDU from LSR 10.0.0.1, label space 0.
fn pdu(messages: &[Vec<u8>]) -> Vec<u8> {
    let body = messages.concat();
    let mut p = vec![0, 1];
    p.extend_from_slice(&(body.len() as u16 + 6).to_be_bytes());
    p.extend_from_slice(&[10, 0, 0, 1, 0, 0]);
    p.extend_from_slice(&body);
    p
}

/// A FEC TLV of one element.
fn fec(element: &[u8]) -> Vec<u8> {
    tlv(0x0100, element)
}

fn martini(pw: u16, info_len: u8, group: u32, rest: &[u8]) -> Vec<u8> {
    let mut e = vec![0x80];
    e.extend_from_slice(&pw.to_be_bytes());
    e.push(info_len);
    e.extend_from_slice(&group.to_be_bytes());
    e.extend_from_slice(rest);
    fec(&e)
}

const V6: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let hello = pdu(&[msg(
        0x0100,
        1,
        &[
            tlv(0x0400, &[0, 15, 0xc0, 0]),
            tlv(0x0401, &[10, 0, 0, 1]),
            tlv(0x0402, &[0, 0, 0, 7]),
            tlv(0x0403, &V6),
            tlv(0x0701, &[0x60, 0, 0, 0]),
        ],
    )]);
    let keepalive = pdu(&[msg(0x0201, 3, &[])]);
    let session = [0, 1, 0, 180, 0xc0, 5, 0xc0, 0, 10, 0, 0, 2, 0, 0];
    let mut v = vec![
        hello.clone(),
        pdu(&[msg(
            0x0200,
            2,
            &[
                tlv(0x0500, &session),
                tlv(0x0503, &[0x80, 0x0f, 0, 0, 0, 0, 3, 0xe8, 0, 0, 7, 0xd0]),
                tlv(0x0503, &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
                tlv(0x850b, &[0x80]),
                tlv(0x4506, &[0x80, 1]),
            ],
        )]),
        [hello.clone(), keepalive.clone()].concat(),
        [keepalive.clone(), keepalive.clone()].concat(),
        pdu(&[
            msg(
                0x0300,
                4,
                &[tlv(0x0101, &[0, 1, 10, 0, 0, 1, 10, 9, 0, 1, 7])],
            ),
            msg(
                0x0301,
                5,
                &[tlv(0x0101, &[[0, 2].as_slice(), &V6].concat())],
            ),
            msg(0x0300, 6, &[tlv(0x0101, &[0, 9, 1, 2, 3, 4])]),
            msg(0x0300, 7, &[tlv(0x0101, &[0, 77])]),
        ]),
        pdu(&[msg(
            0x0400,
            6,
            &[
                fec(&[2, 0, 1, 24, 10, 1, 2]),
                tlv(0x0200, &[0, 0, 0, 16]),
                tlv(0x0103, &[5]),
                tlv(0x0104, &[1, 1, 1, 1, 2, 2, 2, 2]),
                tlv(0x0601, &[5, 0xdc]),
            ],
        )]),
        pdu(&[msg(
            0x8400,
            7,
            &[
                fec(&[1]),
                fec(&[2, 0, 2, 64, 0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0]),
                fec(&[3]),
                fec(&[2, 0, 1, 33, 0, 0, 0, 0, 0]),
                fec(&[2, 0, 2, 129, 0]),
                fec(&[2, 0, 1, 24, 10]),
                fec(&[2, 0, 2, 48, 0x20]),
                fec(&[2, 0, 1, 23, 10, 1, 0xff]),
                fec(&[2, 0, 7, 8, 1]),
                fec(&[2, 0]),
                fec(&[9, 0x61, 0x62]),
            ],
        )]),
        pdu(&[msg(
            0x0400,
            8,
            &[
                martini(0x8005, 0, 7, &[]),
                martini(
                    0x0004,
                    22,
                    9,
                    &[
                        &[0, 0, 0, 100][..],
                        &[1, 4, 5, 0xdc],
                        &[3, 6, b'e', b't', 0x01, 0xff],
                        &[0x0c, 4, 0x07, 0x03],
                        &[0x0c, 4, 0, 0x08],
                    ]
                    .concat(),
                ),
                martini(5, 2, 9, &[0, 0, 0, 100]),
                martini(0x19, 30, 9, &[0, 0, 0, 100, 1, 4]),
                martini(0x7fff, 12, 9, &[0, 0, 0, 100, 9, 4, 0xaa, 0xbb, 1, 1, 0, 0]),
                martini(0x40, 8, 1, &[0, 0, 0, 1, 3, 9, 0, 0]),
                fec(&[0x80, 0, 5, 0]),
                fec(&[0x80, 0, 5, 8, 0, 0, 0, 1, 0]),
            ],
        )]),
        pdu(&[msg(
            0x0001,
            9,
            &[
                tlv(0x0300, &[0x80, 0, 0, 0x0a, 0, 0, 0x12, 0x34, 2, 0]),
                tlv(0x0300, &[0x40, 0, 0, 0x19, 0, 0, 0, 0, 0, 0]),
            ],
        )]),
        pdu(&[
            msg(
                0x0401,
                10,
                &[tlv(0x0201, b"abcd"), tlv(0x0600, &[0, 0, 0, 1])],
            ),
            msg(0x0402, 11, &[fec(&[1]), tlv(0x0200, &[0, 0, 0, 3])]),
            msg(0x0403, 12, &[fec(&[1])]),
            msg(0x3e00, 13, &[b"zz".to_vec()]),
        ]),
        // Too short for their kind, longer than their message.
        pdu(&[msg(
            0x0400,
            14,
            &[
                tlv(0x0200, &[0, 1]),
                tlv(0x0400, &[0]),
                tlv(0x0403, &[0; 4]),
                tlv(0x0500, &[0; 6]),
                tlv(0x0300, &[0; 7]),
                tlv(0x0503, &[0; 7]),
                tlv(0x0601, &[1]),
                tlv(0x0101, &[1]),
                tlv(0x0100, &[]),
                tlv(0x0200, &[0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            ],
        )]),
        pdu(&[msg(0x0400, 15, &[[0x02, 0, 0, 40, 0, 0, 0, 1].to_vec()])]),
        pdu(&[msg(0x0400, 16, &[b"ab".to_vec()])]),
        // Bad headers and lengths.
        [&[0, 1, 0, 4, 1, 1, 1, 1, 0, 0][..], &[0; 10]].concat(),
        [&[0, 2, 0, 20, 1, 1, 1, 1, 0, 0][..], &[0; 10]].concat(),
        [
            &[0, 1, 0, 60, 1, 1, 1, 1, 0, 0][..],
            &msg(0x0100, 1, &[tlv(0x0401, &[10, 0, 0, 1])]),
        ]
        .concat(),
        [
            &[0, 1, 0, 14, 1, 1, 1, 1, 0, 0][..],
            &[1, 0, 0, 2, 0, 0, 0, 1, 0, 0],
        ]
        .concat(),
        [
            &[0, 1, 0, 18, 1, 1, 1, 1, 0, 1][..],
            &msg(0x0100, 1, &[tlv(0x0401, &[10, 0, 0, 1, 9, 9])]),
        ]
        .concat(),
        [
            &[0, 1, 0, 18, 1, 1, 1, 1, 0, 1][..],
            &msg(0x0201, 1, &[]),
            &msg(0x0201, 2, &[]),
        ]
        .concat(),
    ];
    v.push(pdu(&[msg(0x0100, 1, &[tlv(0x0400, &[0, 15, 0x40, 0])])]));
    v.into_iter().map(|m| (true, PORT, m)).collect()
}

/// Each message over UDP, then in a TCP segment from the server (one
/// connection each), the
/// first three cut at every length (over UDP), then `n` damaged ones.
pub fn capture(n: usize) -> Vec<u8> {
    let messages = messages();
    let mut frames: Vec<Frame> = messages
        .iter()
        .map(|(_, port, m)| udp(true, *port, *port, m))
        .collect();
    // Each segment on a connection of its own, from the server.
    let segments: Vec<_> = messages
        .iter()
        .map(|(_, _, m)| (false, m.clone(), None))
        .collect();
    frames.extend(tcp_each(PORT, &segments));
    for (_, port, m) in messages.iter().take(3) {
        for keep in 0..m.len() {
            frames.push(udp_cut(true, 40000, *port, m, keep));
        }
    }
    frames.extend(damaged(0x1d90_0000_0000_0001, &messages, n));
    write(&frames)
}
