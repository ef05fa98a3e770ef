//! `captures/dissect_oam.pcap`: Ethernet OAM PDUs (the slow protocols'
//! subtype 3) built byte by byte — Information PDUs with local, remote,
//! organisation-specific and reserved TLVs (every parser and multiplexer
//! action, configuration flag and several OUIs), Event Notifications with
//! link events of every type at their own lengths and at tcpdump's 40,
//! Variable Request and Response, Loopback Control's commands, Vendor
//! Private and unknown codes, every flag; each also declared too short —
//! then cuts and damaged copies; [`every_cut_capture`] cuts each at every
//! length.

use super::app_captures::{Frame, cuts};
use super::control_captures::{ether, with_cuts_and_damage};

/// An OAM PDU: subtype 3, flags, code, data.
fn oam(flags: u16, code: u8, data: &[u8]) -> Vec<u8> {
    [&[3][..], &flags.to_be_bytes(), &[code], data].concat()
}

/// A local (1) or remote (2) information TLV: version 1, revision 5.
fn info(kind: u8, state: u8, config: u8, pdu: u16, oui: [u8; 3]) -> Vec<u8> {
    [
        &[kind, 16, 1, 0, 5, state, config][..],
        &pdu.to_be_bytes(),
        &oui,
        &[1, 2, 3, 4],
    ]
    .concat()
}

/// A link event of `kind` whose length byte says `len`, its body the
/// errored symbol period's fields (cut or padded to the length).
fn event(kind: u8, len: u8) -> Vec<u8> {
    let mut body = [
        &100u16.to_be_bytes()[..],
        &1000u64.to_be_bytes(),
        &10u64.to_be_bytes(),
        &5u64.to_be_bytes(),
        &50u64.to_be_bytes(),
        &3u32.to_be_bytes(),
    ]
    .concat();
    body.resize(usize::from(len).saturating_sub(2), 0);
    [&[kind, len][..], &body].concat()
}

const ORG: [u8; 7] = [0xfe, 7, 0x00, 0x10, 0x18, 9, 9];
const END: [u8; 2] = [0, 0];

/// Every PDU, whole and declared too short.
pub fn pdus() -> Vec<Vec<u8>> {
    let broadcom = [0x00, 0x10, 0x18];
    let information = [
        info(1, 0x1f, 0x1f, 0x05ee, broadcom),
        info(2, 0x00, 0x03, 0x05ee, broadcom),
        ORG.to_vec(),
        END.to_vec(),
    ]
    .concat();
    let events = [
        &77u16.to_be_bytes()[..],
        &event(1, 40),
        &event(2, 40),
        &event(3, 40),
        &event(4, 40),
        &ORG,
        &END,
    ]
    .concat();
    let mut all = vec![
        oam(0x0058, 0, &information),
        oam(0x0000, 0, &END),
        oam(0x0040, 0, &[[9, 4, 1, 2].as_slice(), &END].concat()),
        oam(0x0040, 0, &[1, 3, 1, 2, 0]),
        oam(0x0001, 1, &events),
        oam(0x0002, 2, &[7, 0, 1, 7, 0, 2, 0]),
        oam(0x0004, 3, &[7, 0, 1, 0x81, 0]),
        oam(0x0020, 0xfe, &[0, 0x10, 0x18, 1, 2, 3]),
        oam(0x0040, 0x10, &[1, 2, 3]),
        oam(0, 2, &[]),
    ];
    for command in [1, 2, 5] {
        all.push(oam(0x0010, 4, &[command]));
    }
    for flag in 0..16 {
        all.push(oam(1 << flag, 0, &END));
    }
    // Every action and flag, and OUIs named and not.
    for (state, config, pdu, oui) in [
        (0x01, 0x00, 0xffff, [0, 0, 0]),
        (0x02, 0x1f, 0x0000, [0, 0x0c, 0x29]),
        (0x04, 0xe0, 0x0001, [0, 0x80, 0xc2]),
        (0x06, 0x10, 0x0800, [0, 0, 0x0c]),
    ] {
        all.push(oam(
            0,
            0,
            &[info(1, state, config, pdu, oui), END.to_vec()].concat(),
        ));
    }
    // Link events at their own lengths, tcpdump's 40 and others.
    for kind in 1..=4 {
        for len in [1, 18, 26, 28, 41] {
            let body = [&5u16.to_be_bytes()[..], &event(kind, len), &END].concat();
            all.push(oam(0, 1, &body));
        }
    }
    // Each declared at every length up to whole.
    for pdu in [oam(0x0058, 0, &information), oam(0x0001, 1, &events)] {
        for n in 1..pdu.len() {
            all.push(pdu[..n].to_vec());
        }
    }
    all
}

fn frames() -> Vec<Vec<u8>> {
    pdus()
        .iter()
        .map(|p| ether([0x01, 0x80, 0xc2, 0, 0, 2], 0x8809, p))
        .collect()
}

/// The committed capture: each PDU whole, cut at a few places, and
/// damaged copies.
pub fn capture(damaged: usize) -> Vec<u8> {
    super::app_captures::capture(&with_cuts_and_damage(
        frames(),
        14,
        damaged,
        0x0a90_0bad_0000_0001,
    ))
}

/// Each PDU cut at every length after the EtherType (compared with
/// tcpdump, not kept).
pub fn every_cut_capture() -> Vec<u8> {
    let cuts: Vec<Frame> = frames().iter().flat_map(|f| cuts(f, 15)).collect();
    super::app_captures::capture(&cuts)
}
