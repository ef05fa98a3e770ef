//! SCTP DATA chunks carrying ForCES (RFC 5810) and M3UA (RFC 4666), the
//! two payloads tcpdump decodes inside SCTP: every ForCES message type
//! with its TLV tree (LFB selectors, each operation, path data with IDs,
//! keys, table ranges, full and sparse data, results, redirect metadata)
//! and the errors tcpdump names, on the ForCES ports and PPIDs; every
//! M3UA class with its parameters and the damaged forms.

use super::app_captures::{Frame, capture, cuts};
use super::control_captures::{chunk, data_chunk, sctp, with_cuts_and_damage};

/// Ethernet, IPv4 and the SCTP common header.
pub const HEADERS: usize = 14 + 20 + 12;

fn pad4(mut v: Vec<u8>) -> Vec<u8> {
    while !v.len().is_multiple_of(4) {
        v.push(0);
    }
    v
}

/// A ForCES TLV: 16-bit type and length (header included), padded.
fn tlv(t: u16, value: &[u8]) -> Vec<u8> {
    let mut v = t.to_be_bytes().to_vec();
    v.extend_from_slice(&((4 + value.len()) as u16).to_be_bytes());
    v.extend_from_slice(value);
    pad4(v)
}

/// A ForCES ILV: 32-bit type and length (header included), padded.
fn ilv(t: u32, value: &[u8]) -> Vec<u8> {
    let mut v = t.to_be_bytes().to_vec();
    v.extend_from_slice(&((8 + value.len()) as u32).to_be_bytes());
    v.extend_from_slice(value);
    pad4(v)
}

/// A ForCES message: version 1, `kind`, the length in words as given,
/// CE 0x40000001 to FE 2, a correlator, `flags`, then `body`.
fn forces_with(kind: u8, words: u16, flags: u32, body: &[u8]) -> Vec<u8> {
    let mut m = vec![0x10, kind];
    m.extend_from_slice(&words.to_be_bytes());
    m.extend_from_slice(&0x4000_0001u32.to_be_bytes());
    m.extend_from_slice(&2u32.to_be_bytes());
    m.extend_from_slice(&0x0102_0304_0506_0708u64.to_be_bytes());
    m.extend_from_slice(&flags.to_be_bytes());
    m.extend_from_slice(body);
    m
}

fn forces(kind: u8, body: &[u8]) -> Vec<u8> {
    forces_with(kind, ((24 + body.len()) / 4) as u16, 0x4140_0000, body)
}

fn lfb(class: u32, instance: u32, ops: &[Vec<u8>]) -> Vec<u8> {
    let mut v = class.to_be_bytes().to_vec();
    v.extend_from_slice(&instance.to_be_bytes());
    ops.iter().for_each(|o| v.extend_from_slice(o));
    tlv(0x1000, &v)
}

fn path(flags: u16, ids: &[u32], rest: &[u8]) -> Vec<u8> {
    let mut v = flags.to_be_bytes().to_vec();
    v.extend_from_slice(&(ids.len() as u16).to_be_bytes());
    ids.iter()
        .for_each(|i| v.extend_from_slice(&i.to_be_bytes()));
    v.extend_from_slice(rest);
    tlv(0x110, &v)
}

fn full(data: &[u8]) -> Vec<u8> {
    tlv(0x112, data)
}

fn result(code: u8) -> Vec<u8> {
    tlv(0x114, &[code, 0, 0, 0])
}

fn word(n: u32) -> [u8; 4] {
    n.to_be_bytes()
}

/// The ForCES messages: each type, then the errors.
pub fn forces_messages() -> Vec<Vec<u8>> {
    let set = tlv(1, &path(0, &[1, 2], &full(&[0xaa, 0xbb, 0xcc, 0xdd, 0xee])));
    let sparse = tlv(0x113, &[ilv(5, &[1, 2, 3]), ilv(6, &[0xff; 8])].concat());
    let setprop = tlv(2, &path(0, &[7], &sparse));
    let del = tlv(5, &path(0, &[3], &[]));
    let commit = tlv(12, &[]);
    let vendor = tlv(0x8001, &[1, 2, 3, 4, 5, 6, 7, 8]);
    let get_in_config = tlv(7, &path(0, &[1], &[]));
    let keyinfo = tlv(
        0x111,
        &[&word(9)[..], &tlv(0x20, &full(&[1, 2, 3, 4]))].concat(),
    );
    let key = [&word(9)[..], &tlv(0x30, &[5, 6, 7, 8])].concat();
    let get_key = tlv(7, &path(1, &[4], &[&key[..], &keyinfo].concat()));
    let range = [&word(0)[..], &word(10), &word(20)].concat();
    let get_range = tlv(8, &path(2, &[4, 5], &range));
    let both = tlv(7, &path(3, &[], &[0; 12]));
    let append = tlv(1, &path(4, &[6], &full(&[9; 6])));
    let getresp = tlv(
        9,
        &path(
            0,
            &[1],
            &path(0, &[2], &[&result(0)[..], &full(&[1, 2])].concat()),
        ),
    );
    let getresp_results = tlv(10, &path(0, &[3], &result(0xff)));
    let setresp = tlv(3, &path(0, &[1], &result(0x17)));
    let reserved = tlv(4, &path(0, &[1], &result(0x20)));
    let rcommit = tlv(13, &path(0, &[], &[]));
    let rcommit_bad = tlv(13, &tlv(0x0005, &[0, 0, 0, 0]));
    let report = tlv(11, &path(0, &[1, 2, 3], &full(b"event")));
    let metadata = tlv(
        0x115,
        &[ilv(1, &word(0xdead_beef)), ilv(2, &[1, 2, 3, 4, 5])].concat(),
    );
    let redirect_data = tlv(0x116, &[0x45; 21]);
    let redirect = tlv(1, &[&metadata[..], &redirect_data].concat());
    vec![
        forces(0x0f, &[]),
        forces(0x01, &[]),
        forces(0x01, &lfb(1, 0, std::slice::from_ref(&report))),
        forces(0x02, &tlv(0x11, &word(0))),
        forces(0x02, &tlv(0x11, &word(4))),
        forces(0x02, &tlv(0x11, &word(77))),
        forces(0x02, &tlv(0x11, &word(300))),
        forces(0x02, &tlv(0x11, &[0; 8])),
        forces(
            0x03,
            &lfb(2, 1, &[set.clone(), setprop, del, commit, vendor]),
        ),
        forces(0x03, &lfb(1, 3, &[get_in_config])),
        forces(0x03, &lfb(1, 3, std::slice::from_ref(&append))),
        forces(0x04, &lfb(1, 1, &[get_key, get_range])),
        forces(0x04, &lfb(9, 1, &[both])),
        forces(0x05, &lfb(1, 1, std::slice::from_ref(&report))),
        forces(0x06, &redirect),
        forces(0x06, &tlv(1, &[0; 4])),
        forces(0x06, &tlv(1, &tlv(0x99, &[0; 8]))),
        forces(0x11, &tlv(0x10, &word(0))),
        forces(0x11, &tlv(0x10, &word(2))),
        forces(0x11, &tlv(0x10, &word(3))),
        forces(0x11, &tlv(0x10, &word(9))),
        forces(0x13, &lfb(1, 1, &[setresp, rcommit, rcommit_bad])),
        forces(0x14, &lfb(1, 1, &[getresp, getresp_results, reserved])),
        // Errors: the type, the length, the top-level TLVs.
        forces(0x07, &[]),
        forces(0x12, &[]),
        forces_with(0x0f, 5, 0, &[]),
        forces_with(0x0f, 7, 0xffff_ffff, &[]),
        forces_with(0x03, 6, 0x0030_0000, &[]),
        forces(0x0f, &tlv(0x1000, &[0; 8])),
        forces(0x03, &tlv(0x2000, &[0; 16])),
        forces(0x03, &[0, 1, 0, 2, 0, 0, 0, 0]),
        forces(0x03, &lfb(1, 1, &[])),
        forces(0x03, &lfb(1, 1, &[vec![0, 1, 0, 40, 0, 0, 0, 0]])),
        forces(
            0x03,
            &lfb(1, 1, &[tlv(1, &path(0, &[1, 2, 3], &[]))[..12].to_vec()]),
        ),
        forces(
            0x03,
            &lfb(1, 1, &[tlv(1, &path(0, &[1], &tlv(0x150, &[1; 4])))]),
        ),
        forces(
            0x03,
            &lfb(1, 1, &[tlv(1, &path(0, &[1], &[0, 0x12, 0, 2]))]),
        ),
        forces(
            0x03,
            &lfb(1, 1, &[tlv(1, &path(0, &[1], &[0, 0x12, 0, 0]))]),
        ),
        forces(0x03, &lfb(1, 1, &[tlv(1, &path(0, &[1], &result(0)))])),
        forces(
            0x03,
            &lfb(1, 1, &[tlv(1, &path(0, &[1], &tlv(0x113, &[1, 2])))]),
        ),
        forces(
            0x03,
            &lfb(
                1,
                1,
                &[tlv(1, &path(0, &[1], &tlv(0x113, &ilv(1, &[0; 30])[..12])))],
            ),
        ),
        forces(0x04, &lfb(1, 1, &[tlv(7, &path(1, &[], &[0; 4]))])),
        forces(
            0x04,
            &lfb(
                1,
                1,
                &[tlv(7, &path(1, &[], &[0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0]))],
            ),
        ),
        forces(0x04, &lfb(1, 1, &[tlv(7, &path(2, &[], &[0; 4]))])),
        forces(
            0x13,
            &lfb(1, 1, &[tlv(3, &path(0, &[1], &tlv(0x114, &[0; 8])))]),
        ),
        forces(
            0x14,
            &lfb(
                1,
                1,
                &[tlv(
                    9,
                    &path(0, &[1], &tlv(0x111, &[0, 0, 0, 1, 0, 0x12, 0, 99])),
                )],
            ),
        ),
        [
            forces(0x01, &lfb(1, 1, std::slice::from_ref(&report))),
            vec![0; 4],
        ]
        .concat(),
        set,
        // A key followed by data that is not KEYINFO, a key longer than
        // the path, a KEYINFO whose key is not FULLDATA.
        forces(
            0x04,
            &lfb(
                1,
                1,
                &[tlv(
                    7,
                    &path(1, &[], &[&key[..], &full(&[1, 2, 3, 4])].concat()),
                )],
            ),
        ),
        forces(
            0x04,
            &lfb(
                1,
                1,
                &[tlv(
                    7,
                    &path(
                        1,
                        &[],
                        &[&word(9)[..], &[0, 0x30, 0, 100], &[0; 4]].concat(),
                    ),
                )],
            ),
        ),
        forces(
            0x04,
            &lfb(
                1,
                1,
                &[tlv(
                    7,
                    &path(
                        1,
                        &[],
                        &[
                            &key[..],
                            &tlv(
                                0x111,
                                &[&word(3)[..], &tlv(0x20, &tlv(0x115, &[1, 2, 3, 4]))].concat(),
                            ),
                        ]
                        .concat(),
                    ),
                )],
            ),
        ),
        forces(0x13, &lfb(1, 1, &[tlv(3, &path(0, &[1], &result(0x20)))])),
        forces(0x13, &lfb(1, 1, &[tlv(13, &[0, 0x10, 0, 200, 0, 0, 0, 0])])),
        forces(0x06, &tlv(1, &[0, 0x15, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0])),
        forces(0x11, &tlv(0x10, &[0; 8])),
    ]
}

/// An M3UA message: version 1, `class`, `kind`, its length, `params`.
fn m3ua_with(version: u8, class: u8, kind: u8, len: u32, params: &[u8]) -> Vec<u8> {
    let mut m = vec![version, 0, class, kind];
    m.extend_from_slice(&len.to_be_bytes());
    m.extend_from_slice(params);
    m
}

fn m3ua(class: u8, kind: u8, params: &[u8]) -> Vec<u8> {
    m3ua_with(1, class, kind, (8 + params.len()) as u32, params)
}

/// An M3UA parameter: tag, length (header included), value, padding.
fn param(tag: u16, value: &[u8]) -> Vec<u8> {
    let mut v = tag.to_be_bytes().to_vec();
    v.extend_from_slice(&((4 + value.len()) as u16).to_be_bytes());
    v.extend_from_slice(value);
    pad4(v)
}

/// The M3UA messages: each class and type, every parameter, the damage
/// tcpdump names.
pub fn m3ua_messages() -> Vec<Vec<u8>> {
    let mut all = Vec::new();
    for (class, kinds) in [
        (0u8, 0..=2u8),
        (1, 0..=2),
        (2, 0..=7),
        (3, 0..=7),
        (4, 0..=5),
        (9, 0..=5),
        (5, 1..=1),
    ] {
        for kind in kinds {
            all.push(m3ua(class, kind, &param(0x0006, &word(1))));
        }
    }
    let tags = [
        0x0004u16, 0x0006, 0x0007, 0x0009, 0x000b, 0x000c, 0x000d, 0x0011, 0x0012, 0x0013, 0x0200,
        0x0204, 0x0205, 0x0206, 0x0207, 0x0208, 0x0209, 0x020a, 0x020b, 0x020c, 0x020e, 0x0210,
        0x0212, 0x0213, 0x0777,
    ];
    let params: Vec<u8> = tags
        .iter()
        .enumerate()
        .flat_map(|(i, t)| param(*t, &vec![i as u8; 4 + i % 5]))
        .collect();
    all.push(m3ua(1, 1, &params));
    all.push(m3ua(
        1,
        1,
        &[&param(0x0200, &[1, 2])[..], &param(0x0210, b"sio")].concat(),
    ));
    all.push(m3ua(1, 1, &[0, 0x10, 0, 2, 0, 0, 0, 0]));
    all.push(m3ua(3, 3, &[0, 9, 0]));
    all.push(m3ua(3, 3, &[0, 9, 0, 40, 1, 2, 3, 4]));
    all.push(m3ua_with(1, 1, 1, 99, &param(0x0006, &word(1))));
    all.push(m3ua_with(2, 1, 1, 16, &param(0x0006, &word(1))));
    all.push(m3ua(3, 1, &[]));
    all.push(vec![1, 0, 3]);
    all
}

/// The SCTP packets: ForCES on each channel port and PPID, M3UA on PPID
/// 3, a ForCES PPID that makes the next chunk ForCES too, and the chunks
/// after a payload.
pub fn frames() -> Vec<Vec<u8>> {
    let mut frames = Vec::new();
    let ports = [6704u16, 6705, 6706];
    for (i, m) in forces_messages().into_iter().enumerate() {
        let (sport, dport, ppid) = match i % 4 {
            0 => (40000, ports[i % 3], 0),
            1 => (ports[i % 3], 40000, 0),
            2 => (40000, 40001, 21 + (i % 3) as u32),
            _ => (ports[0], ports[1], 22),
        };
        frames.push(sctp(
            sport,
            dport,
            &[data_chunk(3, i as u32, 1, 0, ppid, &m)],
        ));
    }
    for (i, m) in m3ua_messages().into_iter().enumerate() {
        frames.push(sctp(2905, 2905, &[data_chunk(3, i as u32, 0, 0, 3, &m)]));
    }
    let hb = forces(0x0f, &[]);
    let asp_up = m3ua(3, 1, &param(0x0011, &word(7)));
    frames.push(sctp(
        40000,
        40001,
        &[
            data_chunk(3, 1, 0, 0, 3, &asp_up),
            data_chunk(3, 2, 0, 0, 23, &hb),
            data_chunk(3, 3, 0, 0, 3, &asp_up),
            chunk(0x0b, 0, &[]),
        ],
    ));
    frames.push(sctp(
        2905,
        2905,
        &[
            data_chunk(3, 1, 0, 0, 3, &m3ua(1, 1, &[0, 0x10, 0, 200])),
            chunk(0x0b, 0, &[]),
        ],
    ));
    frames.push(sctp(6704, 40000, &[data_chunk(3, 1, 0, 0, 0, &hb[..8])]));
    frames.push(sctp(
        6704,
        40000,
        &[
            data_chunk(3, 1, 0, 0, 0, &hb[..8]),
            chunk(0x0b, 0, &[0; 20]),
        ],
    ));
    frames
}

/// The committed capture: the frames whole, cut at five places each and
/// `damaged` damaged copies.
pub fn payload_capture(damaged: usize) -> Vec<u8> {
    capture(&with_cuts_and_damage(
        frames(),
        HEADERS,
        damaged,
        0x5c79_14f0_0000_0001,
    ))
}

/// Every frame cut at every length from the SCTP header on.
pub fn every_cut_capture() -> Vec<u8> {
    let all: Vec<Frame> = frames().iter().flat_map(|f| cuts(f, 34)).collect();
    capture(&all)
}

/// Each message in a DATA chunk that declares it cut at every length (the
/// chunk ends the packet): the printers then read past the chunk, and
/// past the capture, where tcpdump's `GET_` macros `longjmp`.
pub fn every_short_chunk_capture() -> Vec<u8> {
    let mut all = Vec::new();
    for m in forces_messages() {
        for keep in 1..m.len() {
            all.push(sctp(6705, 40000, &[data_chunk(3, 1, 0, 0, 0, &m[..keep])]));
            // The ForCES header agreeing with the cut, so that the TLVs
            // are walked.
            if keep.is_multiple_of(4) && keep >= 24 {
                let mut agreed = m[..keep].to_vec();
                agreed[2..4].copy_from_slice(&((keep / 4) as u16).to_be_bytes());
                all.push(sctp(6705, 40000, &[data_chunk(3, 1, 0, 0, 0, &agreed)]));
            }
        }
    }
    for m in m3ua_messages() {
        for keep in 1..m.len() {
            all.push(sctp(2905, 2905, &[data_chunk(3, 1, 0, 0, 3, &m[..keep])]));
        }
    }
    let frames: Vec<Frame> = all
        .into_iter()
        .map(|bytes| Frame { bytes, snap: None })
        .collect();
    capture(&frames)
}

/// The SCTP packets alone (after the IP header), for the mutation tests.
pub fn seeds() -> Vec<Vec<u8>> {
    frames()
        .iter()
        .map(|f| f[34.min(f.len())..].to_vec())
        .collect()
}
