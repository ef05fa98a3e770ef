//! `captures/dissect_dvmrp.pcap`: DVMRP messages (IGMP type 0x13) built
//! byte by byte — probes with and without neighbours, route reports with
//! masks of every width and metrics ending and not ending a mask's list,
//! the old and the version-2 neighbour lists with every neighbour flag and
//! several versions, prunes with lifetimes of every unit, grafts and their
//! acknowledgements, unknown types; each also declared too short at every
//! length (tcpdump's ` (invalid)` notes), a wrong checksum — then cuts of
//! each at a few places and damaged copies; [`every_cut_capture`] cuts each
//! at every length.

use super::app_captures::{Frame, cuts};
use super::control_captures::{cksum, ipv4, with_cuts_and_damage};

/// A DVMRP message of type `code` from a sender of version
/// `major`.`minor` (the IGMP header's last two bytes), checksum right.
fn dvmrp_from(code: u8, (major, minor): (u8, u8), body: &[u8]) -> Vec<u8> {
    let mut m = [&[0x13, code, 0, 0, 0, 0x0e, minor, major][..], body].concat();
    let s = cksum(&[&m]);
    m[2..4].copy_from_slice(&s.to_be_bytes());
    m
}

/// The same from mrouted 3.255.
fn dvmrp(code: u8, body: &[u8]) -> Vec<u8> {
    dvmrp_from(code, (3, 255), body)
}

/// A Neighbors2 entry: local address, metric, threshold, flags, neighbours.
fn neighbors2_entry(local: u8, flags: u8, neighbors: &[u8]) -> Vec<u8> {
    let mut e = vec![10, 0, 0, local, 1, 2, flags, neighbors.len() as u8];
    for n in neighbors {
        e.extend_from_slice(&[10, 0, 1, *n]);
    }
    e
}

/// A route report: two masks' lists of every width, the last route of
/// each with the top bit of its metric set.
fn report() -> Vec<u8> {
    [
        &[255, 255, 0][..],
        &[10, 1, 3, 10],
        &[10, 2, 0, 0x82],
        &[255, 255, 255],
        &[192, 168, 1, 5, 0x81],
        &[0, 0, 0],
        &[11, 0x85],
        &[0, 255, 0],
        &[172, 16, 9, 0x9f],
    ]
    .concat()
}

/// Every message type tcpdump decodes, whole and declared too short.
pub fn messages() -> Vec<Vec<u8>> {
    let probe = [&7u32.to_be_bytes()[..], &[10, 0, 0, 2, 10, 0, 0, 3]].concat();
    let neighbors_old = [10, 0, 0, 1, 1, 2, 2, 10, 0, 0, 9, 10, 0, 0, 10];
    let neighbors2 = [
        neighbors2_entry(1, 0x5e, &[9, 10]),
        neighbors2_entry(2, 0, &[]),
        neighbors2_entry(3, 0x21, &[11]),
    ]
    .concat();
    let prune = [&[10, 1, 1, 1, 239, 1, 1, 1][..], &90_061u32.to_be_bytes()].concat();
    let graft = [10, 1, 1, 1, 239, 1, 1, 1];
    let mut all = vec![
        dvmrp(1, &0x1234_5678u32.to_be_bytes()),
        dvmrp(2, &[0, 0, 0xff, 10, 1, 3, 4, 0x81]),
        dvmrp(2, &[0, 0, 0, 10, 1, 12, 0x80]),
        dvmrp(3, &[]),
        dvmrp(
            4,
            &[10, 0, 0, 1, 1, 2, 1, 10, 0, 0, 9, 10, 0, 0, 2, 3, 4, 0],
        ),
        dvmrp(5, &[1, 2, 3]),
        dvmrp(0, &[1, 2, 3, 4]),
        dvmrp(10, &[1, 2, 3, 4]),
        dvmrp(255, &[]),
        vec![0x13, 1, 0, 0, 0, 0, 0],
    ];
    for (major, minor) in [(3, 0), (2, 1), (0, 0), (11, 10)] {
        all.push(dvmrp_from(6, (major, minor), &neighbors2_entry(1, 0, &[9])));
    }
    for flag in 0..8 {
        all.push(dvmrp(6, &neighbors2_entry(1, 1 << flag, &[9])));
    }
    for secs in [0u32, 1, 59, 60, 3600, 86_399, 86_400, 604_800, u32::MAX] {
        let body = [&[10, 1, 1, 1, 239, 1, 1, 1][..], &secs.to_be_bytes()].concat();
        all.push(dvmrp(7, &body));
    }
    // Each body declared at every length up to its whole.
    let bodies: [(u8, &[u8]); 7] = [
        (1, &probe),
        (2, &report()),
        (4, &neighbors_old),
        (6, &neighbors2),
        (7, &prune),
        (8, &graft),
        (9, &graft),
    ];
    for (code, body) in bodies {
        for n in 0..=body.len() {
            all.push(dvmrp(code, &body[..n]));
        }
    }
    // A wrong checksum: `-v`'s note.
    let mut bad = dvmrp(8, &graft);
    bad[2] ^= 0x40;
    all.push(bad);
    all
}

/// Each message from a router to all DVMRP routers (224.0.0.4).
fn frames() -> Vec<Vec<u8>> {
    messages()
        .iter()
        .map(|m| ipv4([10, 0, 0, 1], [224, 0, 0, 4], 1, 2, &[], m))
        .collect()
}

/// The committed capture: each message whole, cut at a few places, and
/// damaged copies.
pub fn capture(damaged: usize) -> Vec<u8> {
    super::app_captures::capture(&with_cuts_and_damage(
        frames(),
        34,
        damaged,
        0x9130_0bad_0000_0021,
    ))
}

/// Each message cut at every length inside the IGMP message (compared
/// with tcpdump, not kept: its lines would be a golden of megabytes).
pub fn every_cut_capture() -> Vec<u8> {
    let cuts: Vec<Frame> = frames().iter().flat_map(|f| cuts(f, 35)).collect();
    super::app_captures::capture(&cuts)
}
