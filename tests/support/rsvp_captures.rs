//! `captures/dissect_rsvp.pcap`: RSVP messages built by hand — an
//! RSVP-TE Path and Resv (tunnel session, hop, time values, label
//! request, session attribute, sender template, style, filter spec,
//! label), plain IPv4 and IPv6 sessions, PathErr with every error code
//! tcpdump names, ResvConf, Hello with restart capability, Ack and
//! Srefresh with message ids, a Bundle, the labels and other objects
//! tcpdump decodes, unknown classes and class-types, and each header
//! and object error tcpdump reports, the IntServ specs (token bucket,
//! guaranteed service, ADSPEC's characterization parameters) and ERO /
//! RRO subobjects in a TE Path and Resv and in messages of odd lengths
//! — over IPv4 and IPv6, GMPLS's and later RSVP-TE's objects (label
//! requests with ranges, label sets, administrative status, the OIF's
//! generalized UNI, fast reroute, sub-LSPs, capability, properties,
//! integrity) with each of their errors, the first ones cut at every
//! length, then seeded damaged copies.

use super::app_captures::Frame;
use super::control_captures::{ipv4, with_cuts_and_damage};
use super::frames::{MAC_A, ipv6_packet};

const ROUTER_A: [u8; 4] = [10, 0, 0, 1];
const ROUTER_B: [u8; 4] = [10, 0, 0, 2];

/// An object of `class` and `ctype` around `body`.
fn obj(class: u8, ctype: u8, body: &[u8]) -> Vec<u8> {
    let len = (body.len() + 4) as u16;
    [&len.to_be_bytes()[..], &[class, ctype], body].concat()
}

/// A message of `kind` (flags `flags`) holding `objects`.
fn msg(kind: u8, flags: u8, ttl: u8, objects: &[Vec<u8>]) -> Vec<u8> {
    let body = objects.concat();
    let len = (body.len() + 8) as u16;
    let sum = 0x1234u16.wrapping_add(len);
    [
        &[0x10 | flags, kind][..],
        &sum.to_be_bytes(),
        &[ttl, 0],
        &len.to_be_bytes(),
        &body,
    ]
    .concat()
}

fn v6(last: u8) -> [u8; 16] {
    let mut a = [0u8; 16];
    a[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
    a[15] = last;
    a
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn tunnel_session() -> Vec<u8> {
    obj(1, 7, &cat(&[&ROUTER_B, &[0, 0, 0, 7], &ROUTER_A]))
}

fn hop() -> Vec<u8> {
    obj(3, 1, &cat(&[&ROUTER_A, &[0, 0, 0, 3]]))
}

fn time_values() -> Vec<u8> {
    obj(5, 1, &30_000u32.to_be_bytes())
}

/// The messages, each RSVP from its first byte.
pub fn messages() -> Vec<Vec<u8>> {
    let session_attr = |flags: u8, name: &[u8]| {
        let mut b = vec![7, 7, flags, name.len() as u8];
        b.extend_from_slice(name);
        b.resize(4 + name.len().div_ceil(4) * 4, 0);
        obj(207, 7, &b)
    };
    let path_te = msg(
        1,
        1,
        255,
        &[
            obj(23, 1, &cat(&[&[1, 0, 0, 9], &77u32.to_be_bytes()])),
            tunnel_session(),
            hop(),
            time_values(),
            obj(19, 1, &[0, 0, 0x08, 0x00]),
            session_attr(0x06, b"lsp-a-to-b"),
            obj(11, 7, &cat(&[&ROUTER_A, &[0, 0, 0, 1]])),
        ],
    );
    let resv_te = msg(
        2,
        0,
        255,
        &[
            tunnel_session(),
            obj(3, 1, &cat(&[&ROUTER_B, &[0, 0, 0, 4]])),
            time_values(),
            obj(8, 1, &[0, 0, 0, 18]),
            obj(10, 7, &cat(&[&ROUTER_A, &[0, 0, 0, 1]])),
            obj(16, 1, &16_001u32.to_be_bytes()),
        ],
    );
    let session_v4 = obj(1, 1, &cat(&[&[192, 0, 2, 9], &[17, 1, 0x13, 0x88]]));
    let session_v6 = obj(2 - 1, 2, &cat(&[&v6(9), &[17, 0, 0x13, 0x88]]));
    let mut v = vec![
        path_te,
        resv_te,
        msg(
            1,
            0,
            63,
            &[
                session_v4.clone(),
                hop(),
                time_values(),
                obj(11, 1, &cat(&[&ROUTER_A, &[0, 0, 0x27, 0x10]])),
            ],
        ),
        msg(
            2,
            0,
            63,
            &[
                session_v4.clone(),
                hop(),
                time_values(),
                obj(8, 1, &[0, 0, 0, 17]),
                obj(8, 1, &[0x80, 0, 0, 10]),
                obj(8, 1, &[0, 0, 0, 5]),
                obj(10, 1, &cat(&[&ROUTER_A, &[0, 0, 0x27, 0x10]])),
            ],
        ),
        msg(
            1,
            0,
            255,
            &[
                session_v6.clone(),
                obj(3, 2, &cat(&[&v6(1), &[0, 0, 0, 5]])),
                time_values(),
                obj(11, 2, &cat(&[&v6(1), &[0, 0, 0x27, 0x11]])),
                obj(10, 2, &cat(&[&v6(1), &[0, 0, 0x27, 0x11]])),
                obj(10, 3, &cat(&[&v6(1), &[0, 0x0a, 0xbc, 0xde]])),
            ],
        ),
    ];
    // PathErr and ResvErr with every error code tcpdump names.
    for (ctype, node, code, value) in [
        (1u8, &ROUTER_B[..], 24u8, 5u16),
        (1, &ROUTER_B, 24, 99),
        (1, &ROUTER_B, 28, 2),
        (1, &ROUTER_B, 125, 9),
        (3, &ROUTER_B, 25, 1),
        (1, &ROUTER_B, 1, 3),
        (2, &v6(2)[..], 24, 7),
        (2, &v6(2), 28, 1),
        (4, &v6(2), 24, 3),
    ] {
        let kind = if ctype % 2 == 1 { 3 } else { 4 };
        let spec = obj(6, ctype, &cat(&[node, &[1, code], &value.to_be_bytes()]));
        v.push(msg(kind, 0, 255, &[tunnel_session(), spec]));
    }
    v.extend([
        msg(
            7,
            0,
            255,
            &[
                session_v4.clone(),
                obj(6, 1, &cat(&[&ROUTER_B, &[0, 0, 0, 0]])),
                obj(15, 1, &ROUTER_A),
                obj(15, 2, &v6(1)),
                obj(8, 1, &[0, 0, 0, 10]),
            ],
        ),
        msg(
            20,
            1,
            1,
            &[
                obj(22, 1, &cat(&[&0xdead_beefu32.to_be_bytes(), &[0; 4]])),
                obj(
                    131,
                    1,
                    &cat(&[&120_000u32.to_be_bytes(), &0u32.to_be_bytes()]),
                ),
            ],
        ),
        msg(
            20,
            1,
            1,
            &[obj(
                22,
                2,
                &cat(&[&0x1111_2222u32.to_be_bytes(), &0xdead_beefu32.to_be_bytes()]),
            )],
        ),
        msg(
            13,
            1,
            255,
            &[
                obj(24, 1, &cat(&[&[0, 0, 0, 9], &77u32.to_be_bytes()])),
                obj(24, 2, &cat(&[&[0, 0, 0, 9], &78u32.to_be_bytes()])),
            ],
        ),
        msg(
            15,
            1,
            255,
            &[obj(
                25,
                1,
                &cat(&[
                    &[0, 0, 1, 0],
                    &77u32.to_be_bytes(),
                    &0xffff_fff0u32.to_be_bytes(),
                ]),
            )],
        ),
        msg(
            5,
            0,
            255,
            &[
                tunnel_session(),
                hop(),
                obj(11, 7, &cat(&[&ROUTER_A, &[0, 0, 0, 1]])),
            ],
        ),
        msg(
            6,
            0,
            255,
            &[
                tunnel_session(),
                hop(),
                obj(8, 1, &[0, 0, 0, 18]),
                obj(10, 7, &cat(&[&ROUTER_A, &[0, 0, 0, 1]])),
            ],
        ),
        // The other objects tcpdump decodes, labels of every kind, hop
        // TLVs in hex, unknown classes and class-types.
        msg(
            1,
            0,
            255,
            &[
                obj(1, 8, &cat(&[&v6(2), &[0, 0, 0, 7], &v6(1)])),
                obj(1, 11, &cat(&[&ROUTER_B, &[0, 0, 0, 8], &ROUTER_A])),
                obj(1, 13, &cat(&[&ROUTER_B, &[0, 0, 0, 9], &ROUTER_A])),
                obj(1, 14, &cat(&[&[0, 0, 0, 5, 0, 0, 0, 6], &v6(1), &[0, 0]])),
                obj(3, 3, &cat(&[&ROUTER_A, &[0, 0, 0, 3], &[0, 1, 0, 4]])),
                obj(3, 4, &cat(&[&v6(1), &[0, 0, 0, 3]])),
                obj(5, 9, &[0, 0, 0, 1]),
                obj(
                    11,
                    12,
                    &cat(&[&ROUTER_A, &[0, 0, 0, 1], &ROUTER_B, &[0, 0, 0, 2]]),
                ),
                obj(
                    11,
                    13,
                    &cat(&[&v6(1), &[0, 0, 0, 1], &v6(2), &[0, 0, 0, 2]]),
                ),
                obj(
                    10,
                    12,
                    &cat(&[&ROUTER_A, &[0, 0, 0, 1], &ROUTER_B, &[0, 0, 0, 2]]),
                ),
                obj(
                    10,
                    13,
                    &cat(&[&v6(1), &[0, 0, 0, 1], &v6(2), &[0, 0, 0, 2]]),
                ),
                obj(10, 8, &cat(&[&v6(1), &[0, 0, 0, 1]])),
                obj(19, 1, &[0, 0, 0x86, 0xdd, 0, 0, 0x12, 0x34]),
                obj(16, 2, &7u32.to_be_bytes()),
                obj(
                    16,
                    3,
                    &cat(&[
                        &1u32.to_be_bytes(),
                        &2u32.to_be_bytes(),
                        &3u32.to_be_bytes(),
                    ]),
                ),
                obj(129, 1, &cat(&[&5u32.to_be_bytes(), &6u32.to_be_bytes()])),
                obj(35, 2, &9u32.to_be_bytes()),
                obj(34, 1, &10u32.to_be_bytes()),
                obj(195, 1, &ROUTER_B),
                obj(195, 2, &v6(2)),
                obj(66, 1, &[0, 0, 0, 3]),
                obj(125, 1, &[0, 0, 0, 0x0f]),
                obj(63, 7, &cat(&[&ROUTER_A, &ROUTER_B, &ROUTER_B, &ROUTER_A])),
                obj(207, 7, &[7, 0, 0x1f, 3, b'a', 0x01, 0xc3, 0]),
                session_attr(0, b""),
                obj(7, 1, &ROUTER_B),
                obj(14, 1, &[1, 2, 3, 4]),
                obj(200, 1, &[5, 6, 7, 8]),
                obj(0x55, 1, &[]),
                obj(0xc8, 3, &[9; 20]),
            ],
        ),
        // A Bundle of a Path and a Resv.
        msg(
            12,
            0,
            255,
            &[
                msg(1, 0, 255, &[session_v4.clone(), hop(), time_values()]),
                msg(2, 0, 255, &[session_v4.clone(), obj(8, 1, &[0, 0, 0, 17])]),
            ],
        ),
        // Bundles gone wrong: a sub-message of another version, one too
        // short, one longer than the bundle.
        msg(12, 0, 255, &[cat(&[&[0x20, 1, 0, 0, 1, 0, 0, 8]])]),
        msg(12, 0, 255, &[cat(&[&[0x10, 1, 0, 0, 1, 0, 0, 4], &[0; 4]])]),
        msg(12, 0, 255, &[cat(&[&[0x10, 1, 0, 0, 1, 0, 0, 40]])]),
        // Unknown type, objects too short, wrong object lengths, an
        // object past the end, a header length under 8.
        msg(9, 0, 255, &[hop()]),
        msg(1, 0, 255, &[obj(5, 1, &[]), hop()]),
        msg(1, 0, 255, &[obj(1, 1, &[0; 4])]),
        msg(1, 0, 255, &[obj(1, 2, &[0; 8])]),
        msg(1, 0, 255, &[obj(207, 7, &[0, 0, 0, 9])]),
        msg(1, 0, 255, &[cat(&[&[0, 6, 5, 1], &[0; 4]])]),
        msg(1, 0, 255, &[cat(&[&[0, 0, 5, 1], &[0; 4]])]),
        msg(1, 0, 255, &[cat(&[&[0, 16, 5, 1], &[0; 4]])]),
    ]);
    let mut short = msg(1, 0, 255, &[hop()]);
    short[7] = 4;
    v.push(short);
    let mut v2 = msg(1, 0, 255, &[hop()]);
    v2[0] = 0x21;
    v.push(v2);
    v.extend(gmpls_and_te());
    v.extend(intserv_and_routes());
    v
}

/// A GENERALIZED_UNI subobject of `kind` and address family `af`, its
/// length `len` (the header's 4 bytes counted).
fn uni_sub(kind: u8, af: u8, body: &[u8], len: u16) -> Vec<u8> {
    cat(&[&len.to_be_bytes(), &[kind, af], body])
}

/// GMPLS's objects and RSVP-TE's later ones: a GMPLS Path as a router
/// sends it, a UNI Path, the objects' zoo (the first and third cut at
/// every length), then each object too short, of another class-type, and
/// the subobjects and TLVs tcpdump stops at.
fn gmpls_and_te() -> Vec<Vec<u8>> {
    let uni = |subs: &[Vec<u8>]| obj(229, 1, &subs.concat());
    let frr = |ctype: u8, bandwidth: f32, words: &[u32]| {
        let mut b = vec![7, 0, 16, 0];
        b.extend_from_slice(&bandwidth.to_be_bytes());
        for x in words {
            b.extend_from_slice(&x.to_be_bytes());
        }
        obj(205, ctype, &b)
    };
    let mut v = vec![
        msg(
            1,
            1,
            255,
            &[
                tunnel_session(),
                hop(),
                time_values(),
                obj(19, 4, &[5, 100, 0, 34]),
                obj(36, 1, &cat(&[&[0, 0, 0, 2], &[0, 0, 0, 1], &[0, 0, 0, 3]])),
                obj(196, 1, &[0x80, 0, 0, 0x02]),
                obj(11, 7, &cat(&[&ROUTER_A, &[0, 0, 0, 1]])),
                obj(35, 2, &[0, 1, 0, 5]),
            ],
        ),
        msg(
            1,
            0,
            255,
            &[
                obj(1, 11, &cat(&[&ROUTER_B, &[0, 0, 0, 8], &ROUTER_A])),
                hop(),
                time_values(),
                uni(&[
                    uni_sub(1, 1, &[192, 0, 2, 1], 8),
                    uni_sub(2, 2, &v6(7), 20),
                    uni_sub(3, 0, &[], 4),
                    uni_sub(4, 0, &[0x80, 0, 0, 2, 0, 0, 0, 9, 0, 0, 0x27, 0x10], 16),
                    uni_sub(5, 0, &[3, 0, 0, 0], 8),
                ]),
            ],
        ),
        msg(
            1,
            0,
            255,
            &[
                obj(
                    4,
                    1,
                    &cat(&[
                        &[0x80, 0, 0, 0, 0, 0, 0, 7],
                        &0x0000_0001_0000_0002u64.to_be_bytes(),
                        &[0xa5; 16],
                    ]),
                ),
                obj(19, 2, &[0, 0, 0x08, 0, 0x80, 1, 0, 32, 0x10, 2, 0x2f, 0xff]),
                obj(19, 3, &[0, 0, 0x86, 0xdd, 0, 0, 0, 16, 0, 0, 0x03, 0xff]),
                obj(19, 3, &[0, 0, 0x08, 0, 1, 0, 0, 16, 0, 0x7f, 0xff, 0xff]),
                obj(19, 3, &[0, 0, 0x12, 0x34, 0, 0x80, 0, 16, 0, 0, 0, 17]),
                obj(
                    36,
                    1,
                    &cat(&[&[3, 0, 0, 0x83], &[0, 0, 0, 16], &[0, 0, 0x03, 0xe8]]),
                ),
                obj(36, 1, &[1, 0, 0, 0]),
                obj(196, 1, &[0, 0, 0, 0]),
                obj(196, 1, &[0x7f, 0xff, 0xff, 0xfd]),
                frr(1, 1.25e6, &[1, 0x10, 0xffff_ffff]),
                frr(7, 3.0e-3, &[0xf0, 0x0f]),
                obj(63, 7, &cat(&[&ROUTER_A, &ROUTER_B])),
                obj(50, 1, &[192, 0, 2, 33]),
                obj(50, 2, &v6(33)),
                obj(134, 1, &[0, 0, 0, 0x05]),
                obj(134, 1, &[0x80, 0, 0x01, 0x02]),
                obj(134, 1, &[0, 0, 0, 0]),
                obj(
                    204,
                    1,
                    &[0, 3, 0, 2, 0x01, 3, 5, 0x08, 4, 1, 2, 0x40, 2, 0, 0, 0],
                ),
            ],
        ),
    ];
    // Too short for its class-type (the message ends there), then the
    // class-types tcpdump does not decode (hex), each before a TIME_VALUES.
    for (class, ctype, len) in [
        (4u8, 1u8, 28usize),
        (19, 2, 8),
        (19, 3, 8),
        (19, 4, 0),
        (36, 1, 0),
        (196, 1, 0),
        (205, 1, 16),
        (205, 7, 12),
        (50, 1, 0),
        (50, 2, 12),
        (134, 1, 0),
        (204, 1, 0),
        (229, 1, 0),
        (4, 2, 4),
        (19, 5, 4),
        (36, 2, 4),
        (196, 2, 4),
        (204, 2, 4),
        (205, 2, 4),
        (50, 3, 4),
        (134, 2, 4),
        (229, 2, 4),
    ] {
        v.push(msg(
            1,
            0,
            255,
            &[obj(class, ctype, &vec![0x11; len]), time_values()],
        ));
    }
    // A label set range too short for its ends; PROPERTIES with a TLV past
    // the object, one shorter than its header, padding that leaves none;
    // GENERALIZED_UNI subobjects too short for their kind, shorter than
    // a header, longer than the object, and 1 to 3 bytes left over.
    for bad in [
        obj(36, 1, &[2, 0, 0, 1, 0, 0, 0, 9]),
        obj(204, 1, &[0, 1, 0, 0, 0x10, 9, 0, 0]),
        obj(204, 1, &[0, 1, 0, 0, 0x02, 1, 0, 0]),
        obj(204, 1, &[0, 1, 0, 8, 0x02, 4, 0, 0]),
        uni(&[uni_sub(1, 1, &[], 4)]),
        uni(&[uni_sub(2, 2, &[0; 4], 8)]),
        uni(&[uni_sub(4, 0, &[0; 4], 8)]),
        uni(&[uni_sub(5, 0, &[], 4)]),
        uni(&[uni_sub(1, 1, &[0; 4], 2)]),
        uni(&[uni_sub(1, 1, &[0; 4], 16)]),
        uni(&[uni_sub(1, 1, &[10, 0, 0, 9, 0], 9), vec![0; 3]]),
        uni(&[uni_sub(1, 3, &[0; 4], 8), uni_sub(1, 9, &[0; 4], 8)]),
        uni(&[uni_sub(3, 0, &[0; 4], 8), uni_sub(8, 1, &[], 4)]),
    ] {
        v.push(msg(1, 0, 255, &[bad, time_values()]));
    }
    v
}

/// An IntServ parameter `id` (flags 0) around `body`, its length in words.
fn param(id: u8, body: &[u8]) -> Vec<u8> {
    let words = (body.len() / 4) as u16;
    cat(&[&[id, 0], &words.to_be_bytes(), body])
}

/// A service header of `kind` (`brk`: the break bit) and its parameters.
fn service(kind: u8, brk: bool, params: &[Vec<u8>]) -> Vec<u8> {
    let body = params.concat();
    let words = (body.len() / 4) as u16;
    cat(&[
        &[kind, if brk { 0x80 } else { 0 }],
        &words.to_be_bytes(),
        &body,
    ])
}

/// A SENDER_TSPEC, FLOWSPEC or ADSPEC (`class`) holding `services`.
fn intserv(class: u8, ctype: u8, services: &[Vec<u8>]) -> Vec<u8> {
    let body = services.concat();
    let words = (body.len() / 4) as u16;
    obj(class, ctype, &cat(&[&[0, 0], &words.to_be_bytes(), &body]))
}

fn float(x: f32) -> [u8; 4] {
    x.to_be_bytes()
}

/// A token bucket: rate and size (bytes/s, bytes), peak, policed unit
/// and largest packet.
fn token_bucket(rate: f32, size: f32, peak: f32, min: u32, max: u32) -> Vec<u8> {
    param(
        127,
        &cat(&[
            &float(rate),
            &float(size),
            &float(peak),
            &min.to_be_bytes(),
            &max.to_be_bytes(),
        ]),
    )
}

/// An ERO/RRO IPv4 subobject (`loose` its top bit), prefix length and
/// flags.
fn hop_v4(loose: bool, addr: [u8; 4], prefix: u8, flags: u8) -> Vec<u8> {
    cat(&[&[u8::from(loose) << 7 | 1, 8], &addr, &[prefix, flags]])
}

/// A label subobject: flags, class-type, label.
fn label_sub(flags: u8, ctype: u8, label: u32) -> Vec<u8> {
    cat(&[&[3, 8, flags, ctype], &label.to_be_bytes()])
}

/// RSVP-TE and IntServ messages with SENDER_TSPEC, FLOWSPEC, ADSPEC, ERO
/// and RRO: a Path and a Resv as a router sends them (the first two,
/// cut at every length), a controlled-load reservation, then the
/// parameters, subobjects and lengths tcpdump treats apart.
fn intserv_and_routes() -> Vec<Vec<u8>> {
    let tspec = intserv(
        12,
        2,
        &[service(
            1,
            false,
            &[token_bucket(1.25e6, 8000.0, f32::INFINITY, 64, 1500)],
        )],
    );
    let adspec = intserv(
        13,
        2,
        &[
            service(
                1,
                false,
                &[
                    param(4, &3u32.to_be_bytes()),
                    param(6, &float(1.25e8)),
                    param(8, &u32::MAX.to_be_bytes()),
                    param(10, &1500u32.to_be_bytes()),
                ],
            ),
            service(
                2,
                false,
                &[
                    param(133, &48u32.to_be_bytes()),
                    param(134, &120u32.to_be_bytes()),
                    param(135, &0u32.to_be_bytes()),
                    param(136, &7u32.to_be_bytes()),
                ],
            ),
            service(5, true, &[]),
        ],
    );
    let ero = obj(
        20,
        1,
        &cat(&[
            &hop_v4(false, [10, 0, 1, 2], 32, 0),
            &hop_v4(true, [10, 0, 2, 2], 32, 0),
            &hop_v4(false, ROUTER_B, 32, 0),
        ]),
    );
    let rro = |flags: u8| {
        obj(
            21,
            1,
            &cat(&[
                &hop_v4(false, [10, 0, 1, 1], 32, flags),
                &label_sub(1, 1, 16_002),
                &hop_v4(false, ROUTER_A, 32, 0),
            ]),
        )
    };
    let path = msg(
        1,
        1,
        255,
        &[
            tunnel_session(),
            hop(),
            time_values(),
            ero.clone(),
            obj(19, 1, &[0, 0, 0x08, 0x00]),
            obj(11, 7, &cat(&[&ROUTER_A, &[0, 0, 0, 1]])),
            tspec.clone(),
            adspec,
            rro(0x09),
        ],
    );
    let flowspec = intserv(
        9,
        2,
        &[service(
            2,
            false,
            &[
                token_bucket(1.25e6, 8000.0, 2.5e6, 64, 1500),
                param(130, &cat(&[&float(1.875e6), &1000u32.to_be_bytes()])),
            ],
        )],
    );
    let resv = msg(
        2,
        1,
        255,
        &[
            tunnel_session(),
            obj(3, 1, &cat(&[&ROUTER_B, &[0, 0, 0, 4]])),
            time_values(),
            obj(8, 1, &[0, 0, 0, 18]),
            flowspec,
            obj(10, 7, &cat(&[&ROUTER_A, &[0, 0, 0, 1]])),
            obj(16, 1, &16_001u32.to_be_bytes()),
            rro(0x06),
        ],
    );
    let session_v4 = obj(1, 1, &cat(&[&[192, 0, 2, 9], &[17, 1, 0x13, 0x88]]));
    let controlled_load = msg(
        2,
        0,
        63,
        &[
            session_v4.clone(),
            hop(),
            time_values(),
            obj(8, 1, &[0, 0, 0, 17]),
            intserv(
                9,
                2,
                &[service(
                    5,
                    false,
                    &[token_bucket(0.1, 1e-5, 3e11, 0, 65_535)],
                )],
            ),
        ],
    );
    // Parameters of the wrong length, unknown ones (hex below -vv),
    // floats of every kind, a parameter past its service, one past the
    // object, a service header longer than the object, the obsolete
    // class-type, an ADSPEC and ERO of other class-types.
    let odd_floats = |bits: [u32; 3]| {
        param(
            127,
            &cat(&[
                &bits[0].to_be_bytes(),
                &bits[1].to_be_bytes(),
                &bits[2].to_be_bytes(),
                &[0; 8],
            ]),
        )
    };
    let params = msg(
        1,
        0,
        255,
        &[
            session_v4.clone(),
            intserv(
                12,
                2,
                &[
                    service(
                        1,
                        false,
                        &[
                            param(4, &[0; 8]),
                            param(6, &[]),
                            param(8, &5u32.to_be_bytes()),
                            param(10, &[0; 8]),
                            param(127, &[0; 4]),
                            param(130, &[0; 12]),
                            param(133, &[]),
                            param(99, &[1, 2, 3, 4, 5, 6, 7, 8]),
                            param(200, &[]),
                        ],
                    ),
                    service(
                        9,
                        true,
                        &[
                            odd_floats([0x7fc0_0000, 0xffc0_0000, 0xff80_0000]),
                            odd_floats([0x0000_0001, 0x8000_0000, 0x7f7f_ffff]),
                            odd_floats([0x3f80_0001, 0x4cbe_bc20, 0x0080_0000]),
                        ],
                    ),
                ],
            ),
            obj(9, 1, &[1, 2, 3, 4]),
            obj(13, 3, &[0; 8]),
            obj(20, 2, &[1, 8, 10, 0, 0, 1, 32, 0]),
            obj(21, 7, &[]),
            obj(12, 2, &[]),
        ],
    );
    let mut overrun = intserv(
        12,
        2,
        &[service(1, false, &[token_bucket(1.0, 2.0, 3.0, 4, 5)])],
    );
    overrun[11] = 1; // the service says one word, its parameter five
    let mut past = intserv(
        12,
        2,
        &[service(1, false, &[token_bucket(1.0, 2.0, 3.0, 4, 5)])],
    );
    past[15] = 9; // the parameter says nine words, the object holds five
    let long_service = obj(9, 2, &[0, 0, 0, 1, 5, 0, 0, 40]);
    let routes = obj(
        21,
        1,
        &cat(&[
            &hop_v4(false, ROUTER_A, 32, 0xf0),
            &label_sub(0, 1, 3),
            &label_sub(0xfe, 9, u32::MAX),
            &cat(&[&[2, 20], &v6(3), &[128, 0]]),
            &[4, 12, 0, 0, 10, 0, 0, 1, 0, 0, 0, 5],
            &[32, 4, 0xfd, 0xe8],
            &[64, 4, 0, 0],
            &[0, 4, 0, 0],
            &[0x7f, 4, 0, 0],
        ]),
    );
    let mut v = vec![
        path,
        resv,
        controlled_load,
        params,
        msg(1, 0, 255, &[overrun, tspec.clone()]),
        msg(1, 0, 255, &[past, tspec.clone()]),
        msg(2, 0, 255, &[long_service, tspec]),
        msg(1, 0, 255, &[routes, ero.clone()]),
    ];
    // Subobjects tcpdump stops at: over the object's end, of length 0
    // (the object after each still prints), an IPv4 or label subobject
    // not 8 bytes long, a prefix other than /32 (the message ends).
    for bad in [
        &[1u8, 12, 10, 0, 0, 2, 32, 0][..],
        &[1, 0, 10, 0, 0, 2, 32, 0],
        &[1, 12, 10, 0, 0, 2, 32, 0, 0, 0, 0, 0],
        &[3, 12, 0, 1, 0, 0, 0, 9, 0, 0, 0, 0],
        &[1, 8, 10, 0, 0, 2, 24, 0],
        &[0x81, 4, 10, 0],
    ] {
        v.push(msg(1, 0, 255, &[obj(20, 1, bad), ero.clone()]));
    }
    v
}

/// How many of [`messages`] the IntServ and route ones are, the first two
/// of which the capture cuts at every length.
fn intserv_and_routes_count() -> usize {
    intserv_and_routes().len()
}

fn v4_frame(m: &[u8]) -> Vec<u8> {
    ipv4(ROUTER_A, ROUTER_B, 255, 46, &[], m)
}

/// A Path and a Resv over IPv6, and 40 zero bytes (version 0).
fn v6_frames() -> Vec<Vec<u8>> {
    let ether = |ip: Vec<u8>| [&[0x02, 0, 0, 0, 0, 0x0b][..], &MAC_A, &[0x86, 0xdd], &ip].concat();
    let all = messages();
    [4usize, 1]
        .iter()
        .filter_map(|&i| all.get(i))
        .chain(std::iter::once(&vec![0u8; 40]))
        .map(|m| ether(ipv6_packet(v6(1), v6(2), 46, m)))
        .collect()
}

/// The capture: every message whole, the first two, the objects' zoo,
/// the GMPLS Path and the later TE objects' zoo cut at every length,
/// each at a few, then `damaged` seeded damaged copies.
pub fn capture(damaged: usize) -> Vec<u8> {
    let whole: Vec<Vec<u8>> = messages().iter().map(|m| v4_frame(m)).collect();
    let mut frames = with_cuts_and_damage(whole.clone(), 34, damaged, 0x45f9_0bad_0000_0001);
    let first_route = whole.len() - intserv_and_routes_count();
    let first_gmpls = first_route - gmpls_and_te().len();
    for i in [
        0usize,
        1,
        22,
        first_gmpls,
        first_gmpls + 2,
        first_route,
        first_route + 1,
    ] {
        if let Some(f) = whole.get(i) {
            frames.extend(super::app_captures::cuts(f, 34));
        }
    }
    frames.extend(
        v6_frames()
            .into_iter()
            .map(|bytes| Frame { bytes, snap: None }),
    );
    super::app_captures::capture(&frames)
}
