//! `captures/dissect_babel.pcap`: Babel packets built by hand on port
//! 6696 (every TLV tcpdump decodes: pads, acks, hello with timestamp
//! sub-TLVs, IHU for each address encoding, router-id, next hop,
//! updates with prefix compression and diversity sub-TLVs, route and
//! seqno requests, source-specific TLVs, HMAC, MAC, PC, challenges, a
//! trailer, and invalid lengths), each cut at every length, then seeded
//! damaged copies. `tests/dissect_routing.rs` compares `sockscope read`
//! with `tcpdump -n -r` on it.

use super::app_captures::{Frame, capture as write, damaged, udp_between, udp_cut};

pub const PORT: u16 = 6696;

/// A Babel v2 packet of the TLVs in `body`, then `trailer`.
fn packet(body: &[&[u8]], trailer: &[u8]) -> Vec<u8> {
    let body: Vec<u8> = body.concat();
    let mut m = vec![42, 2];
    m.extend_from_slice(&(body.len() as u16).to_be_bytes());
    m.extend_from_slice(&body);
    m.extend_from_slice(trailer);
    m
}

/// A TLV of type `t` with `value`.
fn tlv(t: u8, value: &[u8]) -> Vec<u8> {
    let mut v = vec![t, value.len() as u8];
    v.extend_from_slice(value);
    v
}

const ID: [u8; 8] = [2, 0x16, 0x3e, 0xff, 0xfe, 0x12, 0x34, 0x56];

pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let hello = tlv(4, &[0, 0, 0, 7, 1, 0x90]);
    let hello_ts = tlv(
        4,
        &[
            0x80, 0, 0, 8, 0, 0, 3, 4, 0, 0x12, 0xd6, 0x87, 0, 1, 0, 0x85, 2, 3,
        ],
    );
    let ihu4 = tlv(5, &[1, 0, 0, 96, 1, 0x90, 192, 0, 2, 7]);
    let ihu6 = {
        let mut v = vec![2, 0, 0, 96, 1, 0x90, 0x20, 1, 0x0d, 0xb8];
        v.extend_from_slice(&[0; 11]);
        v.push(1);
        v.extend_from_slice(&[3, 8, 0, 0, 0, 1, 0, 0, 0, 2]);
        tlv(5, &v)
    };
    let ihu_ll = tlv(
        5,
        &[
            3, 0, 0, 96, 1, 0x90, 2, 0x16, 0x3e, 0xff, 0xfe, 0x12, 0x34, 0x56,
        ],
    );
    let ihu_any = tlv(5, &[0, 0, 0xff, 0xff, 0, 0]);
    let ihu_bad = tlv(5, &[7, 0, 0, 96, 1, 0x90]);
    let rid = {
        let mut v = vec![0, 0];
        v.extend_from_slice(&ID);
        tlv(6, &v)
    };
    let nh4 = tlv(7, &[1, 0, 192, 0, 2, 1]);
    let nh_ll = tlv(7, &[3, 0, 2, 0x16, 0x3e, 0xff, 0xfe, 0x12, 0x34, 0x56]);
    let nh0 = tlv(7, &[0, 0]);
    let upd = |ae: u8, flags: u8, plen: u8, omit: u8, interval: u16, pre: &[u8], sub: &[u8]| {
        let mut v = vec![ae, flags, plen, omit];
        v.extend_from_slice(&interval.to_be_bytes());
        v.extend_from_slice(&[0, 9, 0, 0x60]);
        v.extend_from_slice(pre);
        v.extend_from_slice(sub);
        tlv(8, &v)
    };
    let updates = [
        upd(1, 0x80, 16, 0, 400, &[10, 1], &[]),
        upd(1, 0, 24, 2, 400, &[2], &[]),
        upd(1, 0x40, 32, 3, 0xffff, &[9], &[2, 3, 1, 0, 255]),
        upd(2, 0xc0, 64, 0, 400, &[0x20, 1, 0x0d, 0xb8, 0, 0, 0, 1], &[]),
        upd(2, 0x01, 64, 6, 400, &[0, 2], &[2, 0, 1, 0, 0x8e, 1, 5]),
        upd(0, 0, 0, 0, 0, &[], &[]),
        upd(4, 0x80, 24, 0, 400, &[198, 51, 100], &[]),
        upd(
            3,
            0,
            128,
            0,
            400,
            &[2, 0x16, 0x3e, 0xff, 0xfe, 0x12, 0x34, 0x56],
            &[],
        ),
        upd(1, 0, 40, 0, 400, &[1, 2, 3, 4, 5], &[]),
    ];
    let upd_refs: Vec<&[u8]> = updates.iter().map(Vec::as_slice).collect();
    let req = [
        tlv(9, &[0, 0]),
        tlv(9, &[1, 24, 10, 1, 2]),
        tlv(9, &[2, 48, 0x20, 1, 0x0d, 0xb8, 0, 1]),
        tlv(9, &[4, 16, 10, 9]),
    ];
    let req_refs: Vec<&[u8]> = req.iter().map(Vec::as_slice).collect();
    let seq = {
        let mut v = vec![1, 24, 0, 5, 64, 0];
        v.extend_from_slice(&ID);
        v.extend_from_slice(&[10, 1, 2]);
        tlv(10, &v)
    };
    let seq0 = {
        let mut v = vec![0, 0, 0, 5, 3, 0];
        v.extend_from_slice(&ID);
        tlv(10, &v)
    };
    let ss_upd = tlv(13, &[1, 8, 24, 0, 1, 0x90, 0, 3, 0, 0x20, 10, 1, 2, 172]);
    let ss_req = tlv(14, &[1, 24, 8, 10, 1, 2, 172]);
    let ss_mh = {
        let mut v = vec![1, 24, 0, 5, 64, 8];
        v.extend_from_slice(&ID);
        v.extend_from_slice(&[10, 1, 2, 172]);
        tlv(15, &v)
    };
    let hmac = {
        let mut v = vec![0, 3];
        v.extend_from_slice(&[0xab; 16]);
        tlv(12, &v)
    };
    let mut v = vec![
        packet(&[&hello], &[]),
        packet(
            &[
                &[0],
                &tlv(1, &[0, 0]),
                &hello_ts,
                &ihu4,
                &ihu6,
                &ihu_ll,
                &ihu_any,
            ],
            &[],
        ),
        packet(&[&ihu_bad, &rid, &nh4, &nh_ll, &nh0], &[]),
        packet(&upd_refs, &[]),
        packet(&req_refs, &[]),
        packet(&[&seq, &seq0], &[]),
        packet(&[&ss_upd, &ss_req, &ss_mh], &[]),
        packet(
            &[
                &tlv(2, &[0, 0, 0x12, 0x34, 0, 200]),
                &tlv(3, &[0x12, 0x34]),
                &tlv(11, &[0, 9, 0, 0, 1, 0]),
            ],
            &hmac,
        ),
        packet(
            &[
                &tlv(16, &[1; 16]),
                &tlv(17, &[0, 0, 0, 9, 1, 2]),
                &tlv(18, &[5; 8]),
                &tlv(19, &[6; 8]),
                &tlv(99, &[1, 2]),
            ],
            &[1, 0],
        ),
        packet(&[&tlv(2, &[0, 0]), &tlv(4, &[0, 0])], &[]),
        packet(&[&tlv(8, &[1, 0, 24, 0, 0, 1])], &[]),
        packet(&[&hello[..3]], &[]),
        packet(&[&hello], &[4, 6, 0]),
        vec![42, 1, 0, 0],
        vec![41, 2, 0, 0],
    ];
    let mut long = packet(&[&hello], &[]);
    long[3] = 40;
    v.push(long);
    v.into_iter().map(|m| (true, PORT, m)).collect()
}

/// The capture: each packet multicast from port 6696 to 224.0.0.111,
/// one on the old port 6697, the richest ones cut at every length, then
/// `n` damaged ones.
pub fn capture(n: usize) -> Vec<u8> {
    let messages = messages();
    let mut frames: Vec<Frame> = messages
        .iter()
        .map(|(_, _, m)| udp_between(("192.0.2.1", PORT), ("224.0.0.111", PORT), m))
        .collect();
    if let Some((_, _, m)) = messages.first() {
        frames.push(udp_between(("192.0.2.1", 6697), ("224.0.0.111", 6697), m));
    }
    for (_, _, m) in messages.iter().skip(1).take(7) {
        for keep in 0..m.len() {
            frames.push(udp_cut(true, 40000, PORT, m, keep));
        }
    }
    frames.extend(damaged(0xbab0_0000_0000_0001, &messages, n));
    write(&frames)
}
