//! `captures/dissect_dccp.pcap`: DCCP packets built byte by byte — every
//! packet type with 48- and 24-bit sequence numbers, an unknown type,
//! feature negotiation, timestamps, ack vectors, NDP counts, CCID options
//! of each length, options that are too short or run past the header,
//! partial checksum coverage, right and wrong checksums, headers shorter
//! than their type needs, over IPv4 and IPv6 — then cuts of each and
//! damaged copies. `tests/dissect_control.rs` compares `sockscope read`
//! with `tcpdump -n -r` on it (default, `-v`, `-vv`).

use super::control_captures::{cksum, ipv4, with_cuts_and_damage};
use super::frames::{IP6_A, IP6_B, MAC_A, MAC_B, ipv6_packet};

const SRC: [u8; 4] = [192, 0, 2, 1];
const DST: [u8; 4] = [192, 0, 2, 2];

/// A packet of type `kind` from port 5001 to 6001 (or back): the
/// generic header (48-bit numbers when `x`), tcpdump's fixed block for
/// the type (acknowledgement, service code, reset code), `options`
/// (their length rounds the data offset down), then `data`.
pub struct Dccp<'a> {
    pub kind: u8,
    pub x: bool,
    pub seq: u64,
    pub ack: u64,
    pub options: &'a [u8],
    pub data: &'a [u8],
    pub cscov: u8,
    pub code: u32,
}

const BASE: Dccp<'static> = Dccp {
    kind: 3,
    x: true,
    seq: 0x0102_0304_0506,
    ack: 0x0a0b_0c0d_0e0f,
    options: &[],
    data: &[],
    cscov: 0,
    code: 42,
};

/// What tcpdump expects after the generic header, by type (Request: a
/// service code; Response and Reset: 12 bytes; Data and unknown: none).
const BLOCK: [usize; 16] = [4, 12, 0, 8, 8, 8, 8, 12, 8, 8, 0, 0, 0, 0, 0, 0];

impl Dccp<'_> {
    /// The packet with its checksum left at zero.
    pub fn bytes(&self, reply: bool) -> Vec<u8> {
        let (sport, dport) = if reply {
            (6001u16, 5001u16)
        } else {
            (5001, 6001)
        };
        let mut m = Vec::new();
        m.extend_from_slice(&sport.to_be_bytes());
        m.extend_from_slice(&dport.to_be_bytes());
        m.extend_from_slice(&[
            0,
            0x20 | self.cscov,
            0,
            0,
            self.kind << 1 | u8::from(self.x),
        ]);
        if self.x {
            m.push(0);
            m.extend_from_slice(&self.seq.to_be_bytes()[2..]);
        } else {
            m.extend_from_slice(&self.seq.to_be_bytes()[5..]);
        }
        let mut block = vec![0u8; BLOCK[usize::from(self.kind & 15)]];
        if self.kind != 0 && block.len() >= 8 {
            if self.x {
                block[2..8].copy_from_slice(&self.ack.to_be_bytes()[2..]);
            } else {
                block[1..4].copy_from_slice(&self.ack.to_be_bytes()[5..]);
            }
        }
        match self.kind {
            0 => block.copy_from_slice(&self.code.to_be_bytes()),
            1 => block[8..].copy_from_slice(&self.code.to_be_bytes()),
            7 => block[8] = self.code as u8,
            _ => {}
        }
        m.extend_from_slice(&block);
        m.extend_from_slice(self.options);
        m[4] = (m.len() / 4) as u8;
        m.extend_from_slice(self.data);
        m
    }
}

/// The IPv4 pseudo header's bytes for a DCCP packet of `len` bytes.
fn pseudo(len: usize) -> Vec<u8> {
    let mut p = [SRC, DST].concat();
    p.extend_from_slice(&[0, 33]);
    p.extend_from_slice(&(len as u16).to_be_bytes());
    p
}

/// `m` with its checksum over the coverage its header asks for.
fn summed(mut m: Vec<u8>) -> Vec<u8> {
    let cscov = usize::from(m[5] & 0x0f);
    let cov = if cscov == 0 {
        m.len()
    } else {
        ((usize::from(m[4]) + cscov - 1) * 4).min(m.len())
    };
    let s = cksum(&[&pseudo(m.len()), &m[..cov]]);
    m[6..8].copy_from_slice(&s.to_be_bytes());
    m
}

fn v4(m: Vec<u8>) -> Vec<u8> {
    ipv4(SRC, DST, 64, 33, &[], &m)
}

/// The packets, whole, in Ethernet and IP frames.
pub fn frames() -> Vec<Vec<u8>> {
    let nego = [32, 4, 1, 2, 34, 4, 1, 3, 0, 0, 0, 0];
    let confirm = [33, 4, 1, 2, 35, 5, 1, 3, 2, 0, 0, 0];
    let ts = [
        41, 6, 0, 0, 0x30, 0x39, 42, 8, 0, 0, 0x30, 0x39, 0, 7, 43, 4, 1, 2,
    ];
    let more = [
        42, 10, 0, 0, 0, 1, 0, 0, 0, 2, 43, 6, 0, 1, 0, 2, 37, 3, 9, 0,
    ];
    let vectors = [
        38, 5, 0xc1, 0x02, 0x40, 39, 3, 0x80, 40, 4, 1, 2, 36, 6, 1, 2, 3, 4,
    ];
    let odd = [1, 2, 3, 44, 6, 0xde, 0xad, 0xbe, 0xef, 50, 3, 1, 0];
    let ccid = [128, 4, 1, 2, 129, 6, 0, 0, 1, 0, 130, 3, 7, 131, 2];
    let bad_feature = [32, 4, 12, 1, 33, 2, 41, 5, 1, 2, 3, 0];
    let too_short = [0, 0, 40, 1, 0, 0, 0, 0];
    let past = [0, 0, 41, 6, 0, 0, 0, 0];
    let ccid_short = [0, 200, 1, 0];
    let ccid_past = [0, 0, 200, 9];
    let mut packets: Vec<Vec<u8>> = Vec::new();
    let mut add = |d: Dccp<'_>, reply: bool| packets.push(summed(d.bytes(reply)));
    for kind in 0..16 {
        add(Dccp { kind, ..BASE }, kind % 2 == 1);
        add(
            Dccp {
                kind,
                x: false,
                ..BASE
            },
            false,
        );
    }
    // Each option list in a packet of its own type.
    let kinds = [0, 1, 3, 4, 5, 8, 9, 6, 3, 3, 3, 3];
    let lists: [&[u8]; 12] = [
        &nego,
        &confirm,
        &ts,
        &more,
        &vectors,
        &odd,
        &ccid,
        &bad_feature,
        &too_short,
        &past,
        &ccid_short,
        &ccid_past,
    ];
    for (kind, options) in kinds.into_iter().zip(lists) {
        add(
            Dccp {
                kind,
                options,
                ..BASE
            },
            kind == 1,
        );
    }
    add(
        Dccp {
            kind: 2,
            data: b"hello, dccp",
            ..BASE
        },
        false,
    );
    add(
        Dccp {
            kind: 4,
            data: b"hello again",
            options: &ts[..16],
            ..BASE
        },
        false,
    );
    for code in [0, 2, 7, 11, 12, 200] {
        add(
            Dccp {
                kind: 7,
                code,
                ..BASE
            },
            true,
        );
    }
    for cscov in [1, 2, 15] {
        add(
            Dccp {
                kind: 4,
                cscov,
                data: &[7; 40],
                ..BASE
            },
            false,
        );
    }
    let mut frames: Vec<Vec<u8>> = packets.into_iter().map(v4).collect();
    // A wrong checksum; a data offset past the packet; one under the header.
    let mut bad = summed(BASE.bytes(false));
    bad[7] ^= 0x55;
    frames.push(v4(bad));
    let mut far = summed(Dccp { kind: 2, ..BASE }.bytes(false));
    far[4] = 40;
    frames.push(v4(far));
    let mut under = summed(
        Dccp {
            options: &ts,
            ..BASE
        }
        .bytes(false),
    );
    under[4] = 2;
    frames.push(v4(under));
    // Shorter than the header its X bit or type asks for.
    for keep in [11, 12, 15, 16, 18, 20, 23] {
        let whole = summed(Dccp { kind: 1, ..BASE }.bytes(false));
        frames.push(v4(whole[..keep].to_vec()));
        let short = summed(
            Dccp {
                kind: 3,
                x: false,
                ..BASE
            }
            .bytes(false),
        );
        frames.push(v4(short[..keep.min(short.len())].to_vec()));
    }
    let six = Dccp {
        options: &ts,
        ..BASE
    }
    .bytes(true);
    let ip6 = ipv6_packet(IP6_A, IP6_B, 33, &six);
    frames.push([&MAC_B[..], &MAC_A, &[0x86, 0xdd], &ip6].concat());
    frames
}

/// The capture: the packets, cuts of each, `damaged` damaged copies.
pub fn capture(damaged: usize) -> Vec<u8> {
    let frames = with_cuts_and_damage(frames(), 34, damaged, 0xdcc9_0bad_0000_0001);
    super::app_captures::capture(&frames)
}

/// The packets alone (after the IP header), for the mutation tests.
pub fn messages() -> Vec<Vec<u8>> {
    frames()
        .into_iter()
        .filter(|f| f.get(12..14) == Some(&[0x08, 0x00][..]))
        .map(|f| f[34..].to_vec())
        .collect()
}
