//! The messages of the protocols tcpdump reads only under `-T`
//! (`tests/dissect_packet_type.rs`, the mutation tests): RTP and RTCP,
//! NetFlow v1/v5/v6 export datagrams, CARP advertisements in IPv4 and
//! IPv6 frames.

use super::control_captures::ipv4;
use super::frames::ipv6_packet;

pub fn rtp(first: [u8; 4], ts: u32, ssrc: u32, rest: &[u8]) -> Vec<u8> {
    [&first[..], &ts.to_be_bytes(), &ssrc.to_be_bytes(), rest].concat()
}

/// RTP headers: v2 plain, marked, with extensions (fitting and not),
/// H.261 after an extension, a CSRC count, v1 with option chains (one,
/// two, a zero length, an overrun), and the short datagrams.
pub fn rtp_messages() -> Vec<Vec<u8>> {
    vec![
        rtp([0x80, 0x00, 0x12, 0x34], 160, 0xdead_beef, &[0xd5; 40]),
        rtp([0x80, 0x88, 0xff, 0xff], u32::MAX, 7, &[1; 20]),
        rtp(
            [0x90, 0x60, 0, 9],
            1,
            2,
            &[0xbe, 0xde, 0, 1, 1, 2, 3, 4, 9, 9],
        ),
        rtp([0x90, 0x60, 0, 9], 1, 2, &[0xbe, 0xde, 0, 5, 1, 2, 3, 4]),
        rtp([0x90, 0x9f, 0, 7], 1, 2, &[0, 0, 0, 0, 0xab, 0xcd, 0xef, 1]),
        rtp([0x80, 0x1f, 0, 7], 1, 2, &[0x12, 0x34, 0x56, 0x78]),
        rtp([0x83, 0x08, 0, 7], 1, 2, &[0; 12]),
        rtp(
            [0x40, 0x80, 0, 1],
            1,
            0x0001_0000,
            &[0x80, 0x02, 0, 0, 5, 6, 7, 8],
        ),
        rtp(
            [0x40, 0x80, 0, 1],
            1,
            0x0001_0000,
            &[0, 1, 0, 0, 0x80, 1, 0, 0],
        ),
        rtp([0x40, 0x80, 0, 1], 1, 0x0000_0000, &[1, 2, 3, 4]),
        rtp([0x40, 0x80, 0, 1], 1, 0x0009_0000, &[1, 2, 3, 4]),
        rtp([0x40, 0x1f, 0, 1], 1, 0, &[]),
        vec![0x80, 0, 0, 1, 0, 0, 0, 2, 0, 0],
        vec![0x80, 0, 0, 1, 0],
        vec![],
    ]
}

pub fn words(ws: &[u32]) -> Vec<u8> {
    ws.iter().flat_map(|w| w.to_be_bytes()).collect()
}

/// RTCP compounds: SR with none, one and two report blocks, RR with one
/// and three, SDES, BYE, APP, a length the count contradicts, and
/// trailing bytes too few for a header.
pub fn rtcp_messages() -> Vec<Vec<u8>> {
    let block = |n: u32| words(&[0x2222 + n, 0x0500_0005, 100 + n, 7, 0x1_0000 * n, 0x8000]);
    let sr = |count: u32| {
        let len = 6 + 6 * count;
        let mut m = words(&[
            0x8000_0000 | count << 24 | 200 << 16 | len,
            0x1111,
            3_900_000_000,
            0x8000_0000,
            1234,
            10,
            1600,
        ]);
        (0..count).for_each(|n| m.extend(block(n)));
        m
    };
    let rr = |count: u32| {
        let mut m = words(&[
            0x8000_0000 | count << 24 | 201 << 16 | (1 + 6 * count),
            0x3333,
        ]);
        (0..count).for_each(|n| m.extend(block(n)));
        m
    };
    let sdes = [
        &words(&[0x8100_0000 | 202 << 16 | 3, 0x1111])[..],
        b"\x01\x03abc\0\0\0",
    ]
    .concat();
    let bye = words(&[0x8100_0000 | 203 << 16 | 1, 0x1111]);
    let app = words(&[0x8000_0000 | 204 << 16 | 2, 0x1111, 0x6e616d65]);
    let bad_len = words(&[0x8100_0000 | 201 << 16 | 9, 0x3333, 1, 2, 3, 4, 5, 6]);
    vec![
        sr(0),
        sr(1),
        [sr(2), sdes.clone(), bye.clone()].concat(),
        rr(1),
        [rr(3), sdes.clone()].concat(),
        sdes,
        bye,
        app,
        bad_len,
        [rr(0), vec![1, 2, 3]].concat(),
    ]
}

/// NetFlow headers: `version`, the 16-bit count, the uptime (whose top
/// half tcpdump reads as part of the count), then the sequence and
/// engine words of v5 and v6.
pub fn netflow(version: u16, count: u16, uptime: u32, records: &[Vec<u8>]) -> Vec<u8> {
    let mut m = [&version.to_be_bytes()[..], &count.to_be_bytes()].concat();
    m.extend(words(&[uptime, 1_700_000_000, 123_456_789]));
    if version != 1 {
        m.extend(words(&[42, 0x0102_0003]));
    }
    records.iter().for_each(|r| m.extend_from_slice(r));
    m
}

/// A record of `len` bytes (48 for v1, 52 as tcpdump reads v5 and v6):
/// addresses, counters and times, ports, then the protocol, ToS and TCP
/// flags where `version` has them, masks, AS numbers and v6's encaps.
pub fn flow_record(version: u16, n: u8, proto: u8, tcp_flags: u8) -> Vec<u8> {
    let len = if version == 1 { 48 } else { 52 };
    let mut r = vec![0u8; len];
    r[..12].copy_from_slice(&[10, 0, 0, n, 10, 1, 0, n, 10, 0, 0, 254]);
    r[12..16].copy_from_slice(&[0, 3, 0, 4]);
    r[16..32].copy_from_slice(&words(&[7 + u32::from(n), 700, 1000, 2_500_999]));
    r[32..36].copy_from_slice(&[0x04, 0xd2, 0, 80]);
    if version == 1 {
        (r[38], r[39], r[40]) = (proto, 0x10, tcp_flags);
    } else {
        (r[37], r[38], r[39]) = (tcp_flags, proto, 0xb8);
        r[40..46].copy_from_slice(&[0xfd, 0xe9, 0, 100, 24, 16]);
        r[46..48].copy_from_slice(&[2, 3]);
    }
    r
}

pub fn netflow_messages() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for v in [1, 5, 6] {
        let records = [flow_record(v, 1, 6, 0x1b), flow_record(v, 2, 17, 0)];
        let tcp_odd = flow_record(v, 3, 6, 0xc0);
        // A count of 2 and an uptime under 65.536 s: tcpdump's 32-bit
        // count is 2 << 16, so records are read until the capture ends.
        out.push(netflow(v, 2, 12_345, &records));
        out.push(netflow(v, 1, 0x0001_0000, &[tcp_odd]));
        out.push(netflow(v, 0, 3, &[]));
    }
    out.push(netflow(9, 1, 0, &[vec![0; 20]]));
    out.push(vec![0, 5, 0]);
    out
}

/// The Internet checksum of `m`, stored at `at`.
pub fn summed(mut m: Vec<u8>, at: usize) -> Vec<u8> {
    let mut sum: u32 = m
        .chunks(2)
        .map(|c| u32::from(c[0]) << 8 | u32::from(*c.get(1).unwrap_or(&0)))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    let s = !(sum as u16);
    m[at..at + 2].copy_from_slice(&s.to_be_bytes());
    m
}

/// A CARP advertisement with its checksum.
fn carp_advert(vhid: u8) -> Vec<u8> {
    let mut m = vec![0x21, vhid, 100, 7, 0, 1, 0, 0];
    m.extend(words(&[0x0102_0304, 0x0506_0708]));
    m.extend_from_slice(&[0x5a; 20]);
    summed(m, 6)
}

/// CARP messages: advertisements with a right and a wrong checksum,
/// another version, another type.
pub fn carp_messages() -> Vec<Vec<u8>> {
    let mut bad = carp_advert(3);
    bad[6] ^= 0x55;
    vec![carp_advert(1), bad, vec![0x31, 1, 0, 0], vec![0x22, 1]]
}

/// [`carp_messages`] over IPv4 at TTL 255 and 64, and two over IPv6.
pub fn carp_frames() -> Vec<Vec<u8>> {
    let ms = carp_messages();
    let group = [224, 0, 0, 18];
    let mut frames: Vec<Vec<u8>> = ms
        .iter()
        .flat_map(|m| [255, 64].map(|ttl| ipv4([192, 0, 2, 1], group, ttl, 112, &[], m)))
        .collect();
    let ll = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    let all = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12];
    for m in [carp_advert(2), ms[1].clone()] {
        let mut f = vec![0x33, 0x33, 0, 0, 0, 0x12, 2, 0, 0, 0, 0, 1, 0x86, 0xdd];
        f.extend(ipv6_packet(ll, all, 112, &m));
        frames.push(f);
    }
    frames
}

/// ZMTP/1.0 streams: a frame with MORE then a last one, an empty frame
/// (length 0), a 64-bit length, a body of 300 bytes (past `-v`'s 128),
/// reserved flag bits, and a length past the segment.
pub fn zmtp1_messages() -> Vec<Vec<u8>> {
    let long: Vec<u8> = (0..300u32).map(|i| (i % 251) as u8).collect();
    let mut big = vec![0xff, 0, 0, 0, 0, 0, 0, 1, 45, 0];
    big.extend_from_slice(&long);
    vec![
        [&[6, 1][..], b"hello", &[4, 0], b"abc"].concat(),
        vec![0, 1, 0],
        [&[0xff, 0, 0, 0, 0, 0, 0, 0, 3, 0][..], b"hi"].concat(),
        big,
        [&[10, 0xfe][..], b"reserved!"].concat(),
        [&[200, 0][..], b"short"].concat(),
    ]
}

/// A PGM header (ports 7500) of `kind`, options present or not, with
/// the TSDU length `tsdu`.
fn pgm_header(kind: u8, opts: bool, tsdu: u16) -> Vec<u8> {
    let mut h = vec![0x1d, 0x4c, 0x1d, 0x4c, kind, u8::from(opts), 0, 0];
    h.extend_from_slice(&[0x00, 0x16, 0x3e, 0x01, 0x02, 0x03]);
    h.extend_from_slice(&tsdu.to_be_bytes());
    h
}

/// ODATA and RDATA carrying zmq_pgm(7) datagrams: the first frame at
/// offset 0, after an intermediate part of 4 bytes, none (0xFFFF, also
/// with a TSDU of 1 byte), an offset past the TSDU, a TSDU shorter than
/// the data; one behind an
/// option list (OPT_LENGTH, then a fragment option ending it); and an
/// SPMR, which carries no data.
pub fn pgm_zmtp1_messages() -> Vec<Vec<u8>> {
    let frames = [&[6, 1][..], b"hello", &[3, 0], b"ab"].concat();
    let data = |offset: u16, before: &[u8], after: &[u8]| {
        [&offset.to_be_bytes()[..], before, after].concat()
    };
    let odata = |kind: u8, d: Vec<u8>, tsdu: u16| {
        [pgm_header(kind, false, tsdu), words(&[7, 3]), d].concat()
    };
    let all = data(0, &[], &frames);
    let part = data(4, b"tail", &frames);
    let none = data(0xffff, &[0x55; 20], &[]);
    let mut opts = pgm_header(5, true, 13);
    opts.extend(words(&[9, 8]));
    opts.extend_from_slice(&[0x00, 4, 0, 20, 0x81, 16, 0, 0]);
    opts.extend(words(&[1, 2, 3]));
    opts.extend(data(0, &[], &frames));
    vec![
        odata(4, all.clone(), all.len() as u16),
        odata(5, part.clone(), part.len() as u16),
        odata(4, none.clone(), none.len() as u16),
        odata(4, none.clone(), 1),
        odata(4, data(40, &[], &frames), 15),
        odata(4, all, 6),
        opts,
        pgm_header(12, false, 0),
    ]
}

/// ONC RPC messages: portmapper calls (GETPORT, SET, DUMP, an unknown
/// procedure, another RPC version), an NFS call, and replies accepted,
/// rejected for the version and for authentication, and of an unknown
/// state.
pub fn rpc_messages() -> Vec<Vec<u8>> {
    let creds = [0, 0, 0, 0];
    let call = |xid: u32, rpcvers: u32, prog: u32, vers: u32, proc_: u32, args: &[u32]| {
        [
            words(&[xid, 0, rpcvers, prog, vers, proc_]),
            words(&creds),
            words(args),
        ]
        .concat()
    };
    vec![
        call(0x1234, 2, 100_000, 2, 3, &[100_003, 3, 17, 0]),
        call(0x1235, 2, 100_000, 2, 1, &[100_005, 1, 6, 635]),
        call(0x1236, 2, 100_000, 2, 4, &[]),
        call(0x99, 3, 100_003, 3, 7, &[]),
        call(0xdead_beef, 2, 100_003, 3, 1, &[0, 8, 1, 2]),
        words(&[0x1234, 1, 0, 0, 0, 0, 2049]),
        words(&[0x1234, 1, 1, 0, 2, 3]),
        words(&[0x1234, 1, 1, 1, 5]),
        words(&[0x1234, 1, 1, 9]),
        words(&[0x1234, 1, 7]),
    ]
}
