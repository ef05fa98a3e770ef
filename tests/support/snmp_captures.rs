//! `captures/dissect_snmp.pcap`: SNMP messages built element by element —
//! v1 and v2c with every PDU tag and communities printable or not, error
//! statuses and indexes in every PDU, variable bindings of every value
//! type (and exceptions, unknown tags), v1 traps of every generic kind,
//! GetBulk, v3 with each flag combination, USM, reports, encrypted scoped
//! PDUs and other security models; then malformed BER (long-form lengths,
//! lengths past the message, multi-byte tags, empty integers, overlong OID
//! sub-identifiers, extra bytes after each level), the messages between
//! SNMP's ports and other known ones, captures cut every few bytes, and
//! damaged copies from a seeded generator. `tests/dissect_apps.rs`
//! compares `sockscope read` with `tcpdump -n -r` on it (default and `-v`).

use super::app_captures::{Frame, around_ports, capture as write, damaged, frames_of, udp_cut};

pub const PORT: u16 = 161;
pub const TRAP_PORT: u16 = 162;

/// A BER element: tag, length (short or long form), contents.
pub fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let n = body.len();
    let mut v = vec![tag];
    match n {
        0..=127 => v.push(n as u8),
        128..=255 => v.extend_from_slice(&[0x81, n as u8]),
        _ => {
            v.push(0x82);
            v.extend_from_slice(&(n as u16).to_be_bytes());
        }
    }
    v.extend_from_slice(body);
    v
}

/// An INTEGER in its shortest two's-complement form.
pub fn int(n: i64) -> Vec<u8> {
    let b = n.to_be_bytes();
    let mut start = 0;
    while start < 7 {
        let (x, next) = (b[start], b[start + 1]);
        if (x == 0 && next & 0x80 == 0) || (x == 0xff && next & 0x80 != 0) {
            start += 1;
        } else {
            break;
        }
    }
    tlv(2, &b[start..])
}

/// An OBJECT IDENTIFIER from its dotted form.
pub fn oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted
        .trim_start_matches('.')
        .split('.')
        .map(|a| a.parse().expect("a number"))
        .collect();
    let mut subs = vec![arcs[0] * 40 + arcs[1]];
    subs.extend_from_slice(&arcs[2..]);
    let mut body = Vec::new();
    for mut x in subs {
        let mut enc = vec![(x & 0x7f) as u8];
        x >>= 7;
        while x > 0 {
            enc.push(0x80 | (x & 0x7f) as u8);
            x >>= 7;
        }
        enc.reverse();
        body.extend_from_slice(&enc);
    }
    tlv(6, &body)
}

const NULL: [u8; 2] = [5, 0];
const SYS_DESCR: &str = ".1.3.6.1.2.1.1.1.0";

fn bindings(pairs: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let each: Vec<u8> = pairs
        .iter()
        .flat_map(|(name, value)| tlv(0x30, &[name.as_slice(), value].concat()))
        .collect();
    tlv(0x30, &each)
}

/// A PDU of context tag `tag`: request id, error status and index, bindings.
pub fn pdu(tag: u8, id: i64, status: i64, index: i64, pairs: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let body = [int(id), int(status), int(index), bindings(pairs)].concat();
    tlv(0xa0 | tag, &body)
}

/// A v1 (0) or v2c (1) message.
pub fn community_message(version: i64, community: &[u8], pdu: &[u8]) -> Vec<u8> {
    tlv(
        0x30,
        &[int(version), tlv(4, community), pdu.to_vec()].concat(),
    )
}

fn get(oid_text: &str) -> Vec<(Vec<u8>, Vec<u8>)> {
    vec![(oid(oid_text), NULL.to_vec())]
}

fn trap(generic: i64, specific: i64, pairs: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let body = [
        oid(".1.3.6.1.4.1.8072.3.2.10"),
        tlv(0x40, &[192, 0, 2, 7]),
        int(generic),
        int(specific),
        tlv(0x43, &99u32.to_be_bytes()),
        bindings(pairs),
    ]
    .concat();
    tlv(0xa4, &body)
}

/// A v3 message: header with `flags`, USM parameters for `user`, the
/// scoped PDU (an encrypted string when the privacy flag is set).
pub fn v3(flags: u8, user: &[u8], model: i64, context: &[u8], pdu: &[u8]) -> Vec<u8> {
    let engine = [0x80, 0x00, 0x1f, 0x88, 0x80, 1, 2, 3, 4];
    let header = tlv(
        0x30,
        &[int(77), int(65507), tlv(4, &[flags]), int(model)].concat(),
    );
    let auth = if flags & 1 != 0 { vec![0; 12] } else { vec![] };
    let privacy = if flags & 2 != 0 { vec![1; 8] } else { vec![] };
    let usm = tlv(
        0x30,
        &[
            tlv(4, &engine),
            int(5),
            int(1234),
            tlv(4, user),
            tlv(4, &auth),
            tlv(4, &privacy),
        ]
        .concat(),
    );
    let scoped = if flags & 2 != 0 {
        tlv(4, &[0xde, 0xad, 0xbe, 0xef].repeat(4))
    } else {
        tlv(
            0x30,
            &[tlv(4, &engine), tlv(4, context), pdu.to_vec()].concat(),
        )
    };
    tlv(0x30, &[int(3), header, tlv(4, &usm), scoped].concat())
}

/// Values of every type tcpdump tells apart, and some it does not.
fn values() -> Vec<Vec<u8>> {
    vec![
        tlv(4, b"Linux host 6.1"),
        int(42),
        int(-5),
        tlv(0x40, &[10, 0, 0, 1]),
        tlv(0x41, &123_456u32.to_be_bytes()),
        tlv(0x42, &[0, 0xff, 0xff, 0xff, 0xff]),
        tlv(0x43, &[1, 2, 3]),
        tlv(0x46, &[1; 9]),
        oid(".1.3.6.1.4.1.8072.3.2.10"),
        tlv(0x80, &[]),
        tlv(0x81, &[]),
        tlv(0x82, &[]),
        tlv(0x83, &[]),
        tlv(4, &[0, 1, 0xff]),
        tlv(4, &[]),
        tlv(0x44, b"abc"),
        tlv(0x45, b"x"),
        tlv(0x01, &[1]),
        tlv(0x03, &[0, 1]),
        tlv(0x40, &[1, 2]),
        tlv(0xc0, b"zz"),
        tlv(0x61, &[]),
        tlv(0x31, &[]),
        NULL.to_vec(),
    ]
}

/// Malformed messages: each level's element wrong, short, or followed by
/// more bytes.
fn malformed() -> Vec<Vec<u8>> {
    let v2 = |rest: &[u8]| tlv(0x30, &[int(1), tlv(4, b"public"), rest.to_vec()].concat());
    let response = |list: &[u8]| {
        v2(&tlv(
            0xa2,
            &[int(1), int(0), int(0), list.to_vec()].concat(),
        ))
    };
    let vb = |name: &[u8], value: &[u8]| tlv(0x30, &[name, value].concat());
    let mut v = vec![
        tlv(0x31, &[]),
        [tlv(0x30, &[]), b"extra".to_vec()].concat(),
        [
            community_message(1, b"public", &pdu(0, 1, 0, 0, &[])),
            vec![0, 0],
        ]
        .concat(),
        tlv(0x30, &[int(1), int(5)].concat()),
        v2(&int(5)),
        v2(&tlv(0xa0, &[])),
        v2(&[pdu(5, 1, 2, 3, &get(SYS_DESCR)), vec![0]].concat()),
        response(&[tlv(0x30, &vb(&oid(SYS_DESCR), &NULL)), vec![0x30, 0]].concat()),
        response(&tlv(0x30, &vb(&int(1), &NULL))),
        response(&tlv(0x30, &tlv(0x31, &[int(1), NULL.to_vec()].concat()))),
        response(&tlv(0x30, &tlv(0x30, &oid(SYS_DESCR)))),
        // Sub-identifiers past 32 bits, one left open, an empty OID.
        response(&tlv(
            0x30,
            &vb(
                &tlv(6, &[0x2b, 0x86, 0x80, 0x80, 0x80, 0x80, 0x01, 0x81]),
                &int(1),
            ),
        )),
        response(&tlv(
            0x30,
            &[
                vb(&tlv(6, &[]), &int(1)),
                vb(&tlv(6, &[0xff, 0x7f]), &int(1)),
            ]
            .concat(),
        )),
        response(&int(4)),
        v2(&tlv(0xa9, &[])),
        v2(&[0xbf, 0x81, 0x00, 0x00]),
        v2(&[0x04, 0x84, 0, 0, 0, 1, b'x']),
        v2(&[0x04, 0x85, 0]),
        v2(&[0x04, 0x20, b'x']),
        v2(&[0x02, 0x00]),
        tlv(0x30, &[int(1), vec![0x1f, 0x81, 0x81, 0x02, 0x00]].concat()),
        tlv(0x30, &[int(1), vec![0x1f, 0x81]].concat()),
        tlv(
            0x30,
            &[vec![2, 9, 0x80, 0, 0, 0, 0, 0, 0, 0, 1], tlv(4, b"public")].concat(),
        ),
        vec![0x30],
        vec![],
        vec![0x30, 0x80],
    ];
    for version in [2, 4, -1, 0x7fff_ffff] {
        v.push(community_message(version, b"public", &pdu(0, 1, 0, 0, &[])));
    }
    // v1 traps cut short at each field.
    let ent = oid(".1.3");
    let agent = tlv(0x40, &[1, 2, 3, 4]);
    for body in [
        int(1),
        [ent.clone(), int(1)].concat(),
        [ent.clone(), tlv(0x40, &[1, 2]), tlv(4, b"x")].concat(),
        [ent.clone(), agent.clone(), int(6), int(1), int(5)].concat(),
        [ent, agent, int(6), tlv(4, &[])].concat(),
    ] {
        v.push(community_message(0, b"public", &tlv(0xa4, &body)));
    }
    // v3 headers short or odd.
    let short_header = tlv(0x30, &[int(1), int(2), tlv(4, &[0, 0])].concat());
    v.push(tlv(0x30, &[int(3), short_header].concat()));
    let header = tlv(
        0x30,
        &[int(1), int(2), tlv(4, &[0]), int(3), int(4)].concat(),
    );
    v.push(tlv(
        0x30,
        &[int(3), header, tlv(4, &[]), tlv(0x30, &[])].concat(),
    ));
    let usm = tlv(
        0x30,
        &[
            tlv(4, &[]),
            int(1),
            int(2),
            tlv(4, &[]),
            tlv(4, &[]),
            tlv(4, &[]),
            int(9),
        ]
        .concat(),
    );
    let header = tlv(0x30, &[int(1), int(2), tlv(4, &[0]), int(3)].concat());
    let scoped = tlv(
        0x30,
        &[tlv(4, &[]), tlv(4, &[]), pdu(2, 1, 0, 0, &[])].concat(),
    );
    v.push(tlv(0x30, &[int(3), header, tlv(4, &usm), scoped].concat()));
    v
}

/// The hand-written messages: (from client to agent?, port, message).
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let mut v = Vec::new();
    let mut push = |to_agent: bool, m: Vec<u8>| {
        let port = if v.len() % 3 == 2 { TRAP_PORT } else { PORT };
        v.push((to_agent, port, m));
    };
    for version in [0, 1] {
        for community in [&b"public"[..], b"private", b"s\x01x", b""] {
            for tag in 0..9 {
                push(
                    true,
                    community_message(version, community, &pdu(tag, 0x1234, 0, 0, &get(SYS_DESCR))),
                );
            }
        }
        for tag in [2, 3, 6, 7, 8] {
            let pairs: Vec<_> = values()
                .into_iter()
                .map(|val| (oid(SYS_DESCR), val))
                .collect();
            push(
                false,
                community_message(version, b"public", &pdu(tag, 7, 0, 0, &pairs)),
            );
        }
    }
    for tag in 0..9 {
        for (status, index) in [(0, 0), (2, 1), (0, 3), (5, 0), (19, 2), (-1, 1), (18, 1)] {
            push(
                false,
                community_message(1, b"public", &pdu(tag, -7, status, index, &get(SYS_DESCR))),
            );
        }
    }
    push(
        true,
        community_message(1, b"public", &pdu(0, 1, 0, 0, &[(oid(SYS_DESCR), int(1))])),
    );
    for generic in -1..9 {
        let specific = if generic == 6 {
            17
        } else {
            i64::from(generic == 4) * 3
        };
        let pairs = [(oid(SYS_DESCR), tlv(4, b"x"))];
        push(
            true,
            community_message(0, b"public", &trap(generic, specific, &pairs)),
        );
    }
    for flags in [0, 1, 3, 4, 5, 7, 2, 6, 0x80] {
        let context: &[u8] = if flags == 1 { b"ctx" } else { b"" };
        push(
            true,
            v3(
                flags,
                b"alice",
                3,
                context,
                &pdu(0, 9, 0, 0, &get(SYS_DESCR)),
            ),
        );
    }
    let report = pdu(
        8,
        9,
        0,
        0,
        &[(oid(".1.3.6.1.6.3.15.1.1.4.0"), tlv(0x41, &[5]))],
    );
    push(false, v3(4, b"", 3, b"", &report));
    push(true, v3(0, b"alice", 2, b"", &pdu(0, 9, 0, 0, &[])));
    for m in malformed() {
        push(true, m);
    }
    v
}

/// The capture: the hand-written messages, a request between SNMP's port
/// and other known ones, cut captures of the first forty, then `damaged`
/// damaged ones.
pub fn capture(damaged_count: usize) -> Vec<u8> {
    let messages = messages();
    let mut frames: Vec<Frame> = frames_of(&messages);
    let request = community_message(1, b"public", &pdu(0, 1, 0, 0, &get(SYS_DESCR)));
    let others = [53, 67, 69, 123, 514, 546, 1812, 5353, 162];
    frames.extend(around_ports(&others, PORT, PORT, &request));
    for (_, _, m) in messages.iter().take(40) {
        frames.extend(
            (0..m.len())
                .step_by(3)
                .map(|n| udp_cut(true, 40000, PORT, m, n)),
        );
    }
    frames.extend(damaged(0x5a4d_0bad_0000_0001, &messages, damaged_count));
    write(&frames)
}
