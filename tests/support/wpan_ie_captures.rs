//! IEEE 802.15.4 frames whose IEs tcpdump decodes at `-vvvv`: each
//! header IE it decodes (vendor, CSL, RIT, DSME PAN descriptor and its
//! extended form, rendezvous time, time correction) and some it does not,
//! at every length from 0 to past its own; the DSME PAN descriptors cut
//! after every byte, with hopping sequences and pending addresses; the
//! payload groups (vendor, 802.15.9 multiplexed with every transfer type
//! and control byte, IETF, others); MLME lists with every sub-id of both
//! forms, TSCH synchronization, slotframe and link, timeslot and channel
//! hopping IEs at every length, pages with an extended bitmap, sub-IEs
//! longer than their list, lists a byte short of a header. Used by
//! `tests/link_wpan.rs` (on the link types, cut at every length) and
//! `tests/dissect_zep.rs` (inside ZEP, the capture cut at every length).

use super::zep_captures::{fc, frame, header_ie, payload_ie, with_fcs16};

/// An MLME sub-IE: short form (8-bit length, 7-bit id) or long (11-bit
/// length, 4-bit id, type bit).
pub fn sub_ie(id: u16, long: bool, data: &[u8]) -> Vec<u8> {
    let n = data.len() as u16;
    let head = if long {
        n | id << 11 | 0x8000
    } else {
        n | id << 8
    };
    [&head.to_le_bytes()[..], data].concat()
}

/// `n` bytes that differ from each other, from `seed`.
fn bytes(n: usize, seed: u8) -> Vec<u8> {
    (0..n)
        .map(|i| seed.wrapping_add((i as u8).wrapping_mul(7)))
        .collect()
}

/// A version 2 data frame with IEs, short addresses on PAN 0xabcd.
fn head() -> Vec<u8> {
    frame(
        fc(1, 0x240, 2, 2, 2),
        &[0x09, 0xcd, 0xab, 0xff, 0xff, 0x01, 0x00],
    )
}

/// `ies` as the frame's header IE list, Header Termination 2, a payload.
fn with_header_ies(ies: &[u8]) -> Vec<u8> {
    [&head()[..], ies, &header_ie(0x7f, &[]), b"data"].concat()
}

/// `ies` as the frame's payload IE list (after Header Termination 1),
/// List Termination, a payload.
fn with_payload_ies(ies: &[u8]) -> Vec<u8> {
    [
        &head()[..],
        &header_ie(0x7e, &[]),
        ies,
        &payload_ie(0xf, &[]),
        b"data",
    ]
    .concat()
}

/// An MLME payload IE of `subs`.
fn mlme(subs: &[Vec<u8>]) -> Vec<u8> {
    with_payload_ies(&payload_ie(1, &subs.concat()))
}

/// A DSME PAN descriptor's parts: superframe specification, pending
/// addresses, DSME superframe specification (2 bytes in the extended
/// form), time synchronization, beacon bitmap, channel hopping (5 bytes
/// to tcpdump: its bitmap length's second byte is the bitmap's first),
/// the bitmap, the hopping sequence.
struct Dsme {
    ss: [u8; 2],
    pending: Vec<u8>,
    dsme_ss: Vec<u8>,
    hopping: Vec<u8>,
    bitmap: Vec<u8>,
    sequence: Vec<u8>,
}

impl Dsme {
    fn new(extended: bool) -> Self {
        let mut pending = vec![0x21, 0x01, 0x00];
        pending.extend(1..17u8);
        Dsme {
            ss: [0xff, 0xcf],
            pending,
            dsme_ss: if extended {
                vec![0x1f, 0x1d]
            } else {
                vec![0xd3]
            },
            hopping: vec![5, 6, 0x34, 0x12, 2],
            bitmap: vec![0, 0xaa],
            sequence: vec![2, 0x0b, 0, 0x34, 0x12],
        }
    }

    fn bytes(&self) -> Vec<u8> {
        [
            &self.ss[..],
            &self.pending,
            &self.dsme_ss,
            &[1, 2, 3, 4, 5, 6, 0x34, 0x12],
            &[0x02, 0, 2, 0, 0xaa, 0xbb],
            &self.hopping,
            &self.bitmap,
            &self.sequence,
        ]
        .concat()
    }
}

/// Header IEs: each decoded id (and three tcpdump leaves in hex) at every
/// length to 12, time corrections of both signs, DSME PAN descriptors
/// whole and cut after every byte, their DSME superframe bits, a pending
/// address list longer than the IE, a bitmap length past it.
fn header_ies() -> Vec<Vec<u8>> {
    let mut v = Vec::new();
    for id in [
        0x00u16, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x21, 0x22, 0x29, 0x40,
    ] {
        for n in 0..13 {
            v.push(with_header_ies(&header_ie(id, &bytes(n, id as u8))));
        }
    }
    for word in [0x0005u16, 0x8005, 0x0805, 0x8fff, 0x07ff, 0x0800, 0xffff] {
        v.push(with_header_ies(&header_ie(0x1e, &word.to_le_bytes())));
    }
    for (extended, id) in [(false, 0x1c), (true, 0x21)] {
        let whole = Dsme::new(extended).bytes();
        for n in 0..=whole.len() {
            v.push(with_header_ies(&header_ie(id, &whole[..n])));
        }
        let superframes: [&[u8]; 3] = if extended {
            [&[0, 0], &[0xff, 0xef], &[0x10, 0x10]]
        } else {
            [&[0], &[0xff], &[0x1a]]
        };
        for dsme_ss in superframes {
            let d = Dsme {
                ss: [0x34, 0x12],
                pending: vec![0],
                dsme_ss: dsme_ss.to_vec(),
                ..Dsme::new(extended)
            };
            v.push(with_header_ies(&header_ie(id, &d.bytes())));
        }
        let long_list = Dsme {
            pending: [&[0x77][..], &[9; 70]].concat(),
            ..Dsme::new(extended)
        };
        v.push(with_header_ies(&header_ie(id, &long_list.bytes())));
        let wide_bitmap = Dsme {
            hopping: vec![5, 6, 0x34, 0x12, 3],
            bitmap: vec![1, 2, 3],
            ..Dsme::new(extended)
        };
        v.push(with_header_ies(&header_ie(id, &wide_bitmap.bytes())));
    }
    // Contents before a header IE list cut short, and with an FCS.
    v.push(with_fcs16(&with_header_ies(
        &[
            header_ie(0x1a, &[1, 0, 2, 0, 3, 0]),
            header_ie(0x1e, &[5, 0x80]),
        ]
        .concat(),
    )));
    v
}

/// Payload IE groups tcpdump decodes (vendor, multiplexed, IETF) and
/// others at lengths to 8; multiplexed IEs of every control byte at the
/// lengths its transfer types need; fragments numbered 0 and others.
fn payload_groups() -> Vec<Vec<u8>> {
    let mut v = Vec::new();
    for group in [0u16, 2, 3, 4, 5, 9] {
        for n in 0..9 {
            v.push(with_payload_ies(&payload_ie(group, &bytes(n, group as u8))));
        }
    }
    let tail = [0u8, 0x34, 0x12, 0x78, 0x56, 9, 9];
    for control in 0..=255u8 {
        for n in [1, 2, 3, 6, 8] {
            let data = [&[control][..], &tail[..n - 1]].concat();
            v.push(with_payload_ies(&payload_ie(3, &data)));
        }
    }
    for control in [0x0au8, 0x0c, 0x2a, 0x2c] {
        for number in [0u8, 1, 5] {
            let data = [control, number, 0x34, 0x12, 0x78, 0x56, 9, 9];
            for n in 1..=data.len() {
                v.push(with_payload_ies(&payload_ie(3, &data[..n])));
            }
        }
    }
    v
}

/// MLME nested lists.
fn mlme_lists() -> Vec<Vec<u8>> {
    let mut v = Vec::new();
    let sync = [1u8, 2, 3, 4, 5, 0x42, 0x99];
    for n in 1..=sync.len() {
        v.push(mlme(&[sub_ie(0x1a, false, &sync[..n])]));
    }
    v.push(mlme(&[sub_ie(0x1a, false, &[])]));
    let slotframes = [
        2, 0, 0x65, 0, 2, 1, 0, 2, 0, 0x1f, 3, 0, 4, 0, 0x03, 1, 0x10, 0, 1, 9, 0, 1, 0, 0x08,
    ];
    for n in 0..=slotframes.len() {
        v.push(mlme(&[sub_ie(0x1b, false, &slotframes[..n])]));
    }
    v.push(mlme(&[sub_ie(0x1b, false, &[3, 0, 1, 0, 5, 1, 2, 3, 4])]));
    v.push(mlme(&[sub_ie(
        0x1b,
        false,
        &[&[255u8, 0, 1, 0, 255][..], &[1; 10]].concat(),
    )]));
    let timeslot = bytes(28, 5);
    for n in 0..=timeslot.len() {
        v.push(mlme(&[sub_ie(0x1c, false, &timeslot[..n])]));
    }
    let hopping = [
        7u8, 9, 20, 0, 1, 2, 3, 4, 0xff, 0xf0, 0x0f, 3, 0, 0x0b, 0, 0x1a, 0, 0x34, 0x12, 5, 0,
    ];
    for n in 0..=hopping.len() {
        v.push(mlme(&[sub_ie(9, true, &hopping[..n])]));
    }
    for page in [0u8, 9, 10, 11] {
        let h = [
            7u8, page, 9, 0, 1, 2, 3, 4, 0xff, 0x01, 2, 0, 0x0b, 0, 0x1a, 0, 5, 0,
        ];
        for n in [h.len(), h.len() - 1, h.len() - 3, 9, 10, 11] {
            v.push(mlme(&[sub_ie(9, true, &h[..n])]));
        }
    }
    for n in 0..7 {
        v.push(mlme(&[sub_ie(8, true, &bytes(n, 1))]));
    }
    // The short form's ids 8 and 9: decoded as the long form's.
    v.push(mlme(&[
        sub_ie(9, false, &[1, 2]),
        sub_ie(8, false, &[0, 0x12, 0x4b, 1]),
    ]));
    for id in 0..0x80 {
        v.push(mlme(&[sub_ie(id, false, &[1, 2])]));
    }
    for id in 0..16 {
        v.push(mlme(&[sub_ie(id, true, &[1, 2])]));
    }
    v.push(mlme(&[
        sub_ie(0x1a, false, &sync[..6]),
        sub_ie(0x1c, false, &[3]),
        sub_ie(0x1d, false, &[1, 2, 3]),
        sub_ie(9, true, &[4]),
    ]));
    // Lists their sub-IEs do not fit: a byte after a sub-IE, sub-IEs
    // longer than the list (whose bytes after it are other IEs), a
    // header cut in two, a list of one byte.
    let long4 = sub_ie(0x1c, false, &[3, 4, 5, 6]);
    let long3 = sub_ie(0x1c, false, &[3, 4, 5]);
    for list in [
        [&sub_ie(0x1c, false, &[3])[..], &[0x01]].concat(),
        long4[..4].to_vec(),
        long3[..3].to_vec(),
        [&sub_ie(0x1c, false, &[1])[..2], &[0]].concat(),
        vec![0x01, 0x1c, 0x07, 0x00, 0x1c, 0x09],
        vec![0x05],
    ] {
        v.push(with_payload_ies(&payload_ie(1, &list)));
    }
    v.push(with_payload_ies(
        &[
            &payload_ie(1, &long4[..4])[..],
            &[0x10, 0x1c, 0x02, 0x00, 0x00, 0x00, 0x00],
        ]
        .concat(),
    ));
    v.push(with_payload_ies(
        &[payload_ie(1, &long3[..4]), payload_ie(2, &[0, 0x12, 0x4b])].concat(),
    ));
    // A synchronization IE too short, whose fields tcpdump reads from the
    // IE after it.
    v.push(with_payload_ies(
        &[
            payload_ie(1, &sub_ie(0x1a, false, &[1, 2, 3])),
            payload_ie(5, &[1, 2, 3, 4, 5, 6, 7, 8]),
        ]
        .concat(),
    ));
    // Header and payload IEs together, with an FCS.
    v.push(with_fcs16(
        &[
            &head()[..],
            &header_ie(0x1a, &[1, 0, 2, 0, 3, 0]),
            &header_ie(0x1e, &[5, 0x80]),
            &header_ie(0x7e, &[]),
            &payload_ie(
                1,
                &[sub_ie(0x1a, false, &sync[..6]), sub_ie(0x1c, false, &[1])].concat(),
            ),
            &payload_ie(5, &[1, 2, 3]),
            &payload_ie(0xf, &[]),
            b"data",
        ]
        .concat(),
    ));
    v
}

/// Every frame.
pub fn frames() -> Vec<Vec<u8>> {
    [header_ies(), payload_groups(), mlme_lists()].concat()
}
