//! `captures/dissect_rip.pcap` and `captures/dissect_ripng.pcap`: RIP
//! and RIPng messages built by hand (every command, both RIP versions and
//! version 0, routes with and without next hop and tag, masks that are
//! not contiguous, simple-password, RFC 4822 header and trailer and
//! unknown authentication, unknown address families, entries with
//! must-be-zero bytes set, lengths that leave part of an entry, RIPng's
//! table request, bad versions and commands), each of a few cut at every
//! length, then seeded damaged copies. `tests/dissect_rip.rs` compares
//! `sockscope read` with `tcpdump -n -r` on them.

use super::app_captures::{Frame, capture as write, damaged, udp_between, udp_cut};

pub const RIP_PORT: u16 = 520;
pub const RIPNG_PORT: u16 = 521;

/// A RIP header: command and version.
fn rip(cmd: u8, version: u8, entries: &[Vec<u8>]) -> Vec<u8> {
    let mut m = vec![cmd, version, 0, 0];
    for e in entries {
        m.extend_from_slice(e);
    }
    m
}

/// A version 2 route: family, tag, address, mask, next hop, metric.
fn route(family: u16, tag: u16, addr: [u8; 4], mask: u32, hop: [u8; 4], metric: u32) -> Vec<u8> {
    let mut e = family.to_be_bytes().to_vec();
    e.extend_from_slice(&tag.to_be_bytes());
    e.extend_from_slice(&addr);
    e.extend_from_slice(&mask.to_be_bytes());
    e.extend_from_slice(&hop);
    e.extend_from_slice(&metric.to_be_bytes());
    e
}

/// A version 1 route (the tag, mask and next hop must be zero).
fn route_v1(family: u16, addr: [u8; 4], metric: u32) -> Vec<u8> {
    route(family, 0, addr, 0, [0; 4], metric)
}

/// An authentication entry: family 0xffff, its kind, its data.
fn auth(kind: u16, data: &[u8]) -> Vec<u8> {
    [&[0xff, 0xff][..], &kind.to_be_bytes(), data].concat()
}

/// RFC 4822's header: packet length, key id, data length, sequence.
fn crypto_header(len: u16, key: u8, data_len: u8, seq: u32, mbz: u32) -> Vec<u8> {
    let mut d = len.to_be_bytes().to_vec();
    d.extend_from_slice(&[key, data_len]);
    d.extend_from_slice(&seq.to_be_bytes());
    d.extend_from_slice(&mbz.to_be_bytes());
    d.extend_from_slice(&[0; 4]);
    auth(3, &d)
}

pub fn rip_messages() -> Vec<(bool, u16, Vec<u8>)> {
    let net10 = route(2, 0, [10, 0, 0, 0], 0xff00_0000, [0; 4], 1);
    let via = route(2, 0x1234, [192, 168, 1, 0], 0xffff_ff00, [10, 0, 0, 2], 3);
    let mut v = vec![
        // The request of the whole table, and responses.
        rip(1, 2, &[route(0, 0, [0; 4], 0, [0; 4], 16)]),
        rip(2, 2, &[net10.clone(), via.clone()]),
        rip(
            2,
            2,
            &[route(2, 7, [172, 16, 0, 0], 0xff00_ff00, [0; 4], 15)],
        ),
        rip(
            2,
            2,
            &[route(2, 0, [0; 4], 0xffff_ffff, [1; 4], 0xffff_ffff)],
        ),
        // Authentication: a password with control bytes, one of 16, one
        // ending at a NUL, an empty one, RFC 4822's header and trailer,
        // an unknown kind running to the end.
        rip(
            2,
            2,
            &[auth(2, b"secret\x01\xff\0\0\0\0\0\0\0\0"), net10.clone()],
        ),
        rip(2, 2, &[auth(2, b"abcdefghijklmnop"), via.clone()]),
        rip(2, 2, &[auth(2, b"ab\0d")]),
        rip(2, 2, &[auth(2, b"\0"), net10.clone()]),
        rip(
            2,
            2,
            &[
                crypto_header(44, 1, 16, 7, 0),
                net10.clone(),
                auth(1, &(0u8..16).collect::<Vec<_>>()),
            ],
        ),
        rip(2, 2, &[crypto_header(24, 255, 20, u32::MAX, 9)]),
        rip(2, 2, &[net10.clone(), auth(9, b"abcd")]),
        rip(2, 2, &[auth(3, &[0; 10])]),
        // Families tcpdump names and one it does not, in both versions.
        rip(
            2,
            2,
            &[
                route(6, 0, [10, 0, 0, 0], 0, [0; 4], 1),
                route(30, 1, [1; 4], 0, [0; 4], 2),
            ],
        ),
        rip(2, 2, &[route(99, 0, [1, 2, 3, 4], 0, [0; 4], 1)]),
        rip(
            2,
            1,
            &[
                route_v1(2, [10, 1, 0, 0], 1),
                route_v1(0, [10, 2, 0, 0], 2),
                route_v1(7, [10, 3, 0, 0], 3),
                route(2, 5, [10, 4, 0, 0], 0, [0; 4], 4),
                route_v1(23, [10, 5, 0, 0], 5),
            ],
        ),
        rip(1, 1, &[route_v1(0, [0; 4], 16)]),
        // The other commands, version 0 and 3.
        rip(3, 2, &[b"/tmp/trace".to_vec()]),
        rip(4, 2, std::slice::from_ref(&net10)),
        rip(5, 1, std::slice::from_ref(&net10)),
        rip(6, 2, std::slice::from_ref(&net10)),
        rip(9, 1, &[b"xx".to_vec()]),
        rip(0, 2, &[]),
        rip(2, 0, &[b"abcdefgh".to_vec()]),
        rip(2, 3, std::slice::from_ref(&net10)),
        // Lengths that leave part of an entry.
        rip(2, 2, &[net10.clone(), b"abc".to_vec()]),
        rip(2, 1, &[route_v1(2, [10, 1, 0, 0], 1), b"abcde".to_vec()]),
        rip(2, 2, &[route(6, 0, [0; 4], 0, [0; 4], 0)[..7].to_vec()]),
        rip(2, 1, &[route(6, 0, [0; 4], 0, [0; 4], 0)[..7].to_vec()]),
        rip(1, 2, &[]),
    ];
    v.push(vec![2, 2, 0]);
    v.into_iter().map(|m| (true, RIP_PORT, m)).collect()
}

/// A RIPng route entry: prefix (its first bytes), tag, length, metric.
fn ripng_entry(prefix: &[u8], tag: u16, plen: u8, metric: u8) -> Vec<u8> {
    let mut e = prefix.to_vec();
    e.resize(16, 0);
    e.extend_from_slice(&tag.to_be_bytes());
    e.extend_from_slice(&[plen, metric]);
    e
}

pub fn ripng_messages() -> Vec<(bool, u16, Vec<u8>)> {
    let db8 = ripng_entry(&[0x20, 0x01, 0x0d, 0xb8], 0, 32, 1);
    let tagged = ripng_entry(&[0x20, 0x01, 0x0d, 0xb8, 0, 1], 5, 48, 0);
    let dump = ripng_entry(&[], 0, 0, 16);
    let v = vec![
        rip(1, 1, std::slice::from_ref(&dump)),
        rip(1, 1, &[dump.clone(), b"x".to_vec()]),
        rip(1, 1, &[db8.clone(), tagged.clone()]),
        rip(1, 1, &[ripng_entry(&[], 0, 0, 15)]),
        rip(
            2,
            1,
            &[
                db8.clone(),
                tagged.clone(),
                ripng_entry(&[0xfe, 0x80], 0xffff, 64, 16),
                ripng_entry(
                    &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1],
                    0,
                    128,
                    255,
                ),
            ],
        ),
        rip(2, 1, &[db8.clone(), b"abc".to_vec()]),
        rip(1, 1, &[db8.clone(), b"abc".to_vec()]),
        rip(3, 1, std::slice::from_ref(&db8)),
        rip(2, 2, std::slice::from_ref(&db8)),
        rip(2, 1, &[]),
        rip(1, 1, &[]),
        vec![2, 1, 0],
    ];
    v.into_iter().map(|m| (true, RIPNG_PORT, m)).collect()
}

/// Each message multicast from the port to the port, the first `cut` of
/// them also cut at every length, then `n` damaged copies, to or from an
/// ephemeral port.
fn capture_of(
    messages: &[(bool, u16, Vec<u8>)],
    (from, to): (&str, &str),
    cut: usize,
    seed: u64,
    n: usize,
) -> Vec<u8> {
    let mut frames: Vec<Frame> = messages
        .iter()
        .map(|(_, port, m)| udp_between((from, *port), (to, *port), m))
        .collect();
    for (_, port, m) in messages.iter().take(cut) {
        for keep in 0..m.len() {
            frames.push(udp_cut(true, 40000, *port, m, keep));
        }
    }
    frames.extend(damaged(seed, messages, n));
    write(&frames)
}

/// RIP over IPv4 to 224.0.0.9; the responses with routes and with RFC
/// 4822's entries cut at every length.
pub fn rip_capture(n: usize) -> Vec<u8> {
    let messages = rip_messages();
    let mut cut: Vec<_> = [1, 4, 8, 14].iter().map(|&i| messages[i].clone()).collect();
    cut.extend(messages);
    capture_of(
        &cut,
        ("192.0.2.1", "224.0.0.9"),
        4,
        0x5190_0000_0000_0001,
        n,
    )
}

/// RIPng over IPv6 to ff02::9; the request and the response cut at every
/// length, and the damaged copies, over IPv4 (tcpdump decodes port 521
/// over either).
pub fn ripng_capture(n: usize) -> Vec<u8> {
    let messages = ripng_messages();
    let mut cut: Vec<_> = [2, 4].iter().map(|&i| messages[i].clone()).collect();
    cut.extend(messages);
    capture_of(&cut, ("fe80::1", "ff02::9"), 2, 0x5196_0000_0000_0001, n)
}
