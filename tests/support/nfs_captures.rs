//! NFS over ONC RPC, built message by message (the sandbox's kernel has
//! no NFS server or client: `/proc/filesystems` lists neither `nfs` nor
//! `nfsd`): for NFSv3 and v2 a call of every procedure and its replies
//! (OK with and without attributes, errors), file handles of every layout
//! tcpdump guesses, names and offsets swept, RPC rejections and accept
//! states, other programs and versions on 2049 (MOUNT, NLM, NFSv4's
//! COMPOUND), replies without their call or from another server, and the
//! portmapper on 111. Calls go from 192.0.2.1 to 192.0.2.2:2049, replies
//! back; each reply follows its call, since tcpdump prints a reply by the
//! call with its XID (`tests/dissect_nfs.rs` compares them with tcpdump).

use super::app_captures::{Frame, capture, tcp, udp, udp_between};

pub const PORT: u16 = 2049;
/// The client's port (a reserved one, as Linux's client uses).
pub const CLIENT: u16 = 801;

const NFS: u32 = 100003;
const MOUNT: u32 = 100005;
const NLM: u32 = 100021;

pub fn words(ws: &[u32]) -> Vec<u8> {
    ws.iter().flat_map(|w| w.to_be_bytes()).collect()
}

/// XDR's variable-length opaque: length, bytes, zero padding.
pub fn opaque(b: &[u8]) -> Vec<u8> {
    let mut v = words(&[b.len() as u32]);
    v.extend_from_slice(b);
    v.resize(v.len().next_multiple_of(4), 0);
    v
}

/// AUTH_UNIX credentials as Linux's client sends them.
fn auth_unix() -> Vec<u8> {
    let mut body = words(&[0x6553_0001]);
    body.extend(opaque(b"nfs14j-client"));
    body.extend(words(&[1000, 1000, 2, 1000, 27]));
    [words(&[1]), opaque(&body)].concat()
}

/// A call: RPC version 2, AUTH_UNIX credentials, AUTH_NONE verifier.
pub fn call(xid: u32, prog: u32, vers: u32, proc: u32, args: &[u8]) -> Vec<u8> {
    [
        words(&[xid, 0, 2, prog, vers, proc]),
        auth_unix(),
        words(&[0, 0]),
        args.to_vec(),
    ]
    .concat()
}

/// An accepted, successful reply carrying `results`.
pub fn reply(xid: u32, results: &[u8]) -> Vec<u8> {
    [words(&[xid, 1, 0, 0, 0, 0]), results.to_vec()].concat()
}

/// Handles of each layout tcpdump tells apart, and of none.
pub fn handles() -> Vec<Vec<u8>> {
    let mut linux = vec![1, 0, 7, 1, 0x8a, 0x2f, 0x11, 0x05, 0x44, 0x1c];
    linux.extend((0..18).map(|i| i * 13 + 5));
    let mut sunos4 = vec![0u8; 32];
    sunos4[2..4].copy_from_slice(&[7, 3]);
    sunos4[12..16].copy_from_slice(&1234u32.to_be_bytes());
    let mut auspex = vec![0u8; 32];
    auspex[6..8].copy_from_slice(&[4, 9]);
    auspex[12..16].copy_from_slice(&99u32.to_be_bytes());
    let mut bsd = vec![0u8; 32];
    bsd[0..2].copy_from_slice(&[5, 6]);
    bsd[12..16].copy_from_slice(&777u32.to_le_bytes());
    let mut ultrix = vec![3u8; 24];
    ultrix[2..4].copy_from_slice(&[0, 0]);
    ultrix[6] = 1;
    ultrix[21] = 0;
    ultrix[23] = 0;
    let mut osf = vec![0u8; 32];
    osf[0..4].copy_from_slice(&0x0030_0005u32.to_le_bytes());
    osf[8] = 12;
    osf[12..16].copy_from_slice(&42u32.to_le_bytes());
    let mut irix4 = vec![0u8; 32];
    irix4[2..4].copy_from_slice(&[1, 2]);
    irix4[5] = 8;
    irix4[8..12].copy_from_slice(&5150u32.to_be_bytes());
    let mut sunos5 = vec![0u8; 32];
    sunos5[0..4].copy_from_slice(&[0x00, 0x80, 0x00, 0x21]);
    sunos5[4..8].copy_from_slice(&[0, 0, 0, 2]);
    sunos5[9] = 10;
    sunos5[12..16].copy_from_slice(&31337u32.to_be_bytes());
    let mut hpux = vec![0u8; 32];
    hpux[0..4].copy_from_slice(&[0x40, 0x00, 0x00, 0x11]);
    hpux[9] = 10;
    hpux[12..16].copy_from_slice(&8u32.to_be_bytes());
    let mut vms = vec![0u8; 32];
    vms[0] = 1;
    vms[1..6].copy_from_slice(b"DKA0 ");
    vms[22..24].copy_from_slice(&[0x34, 0x12]);
    vms[26..28].copy_from_slice(&[1, 2]);
    let long: Vec<u8> = (0..64u8).map(|i| i.wrapping_mul(37)).collect();
    vec![
        linux,
        sunos4,
        auspex,
        bsd,
        ultrix,
        osf,
        irix4,
        sunos5,
        hpux,
        vms,
        vec![0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4],
        long,
        (1..=30).collect(),
        vec![],
    ]
}

fn fh3(h: &[u8]) -> Vec<u8> {
    opaque(h)
}

/// v2's fixed 32-byte handle.
fn fh2(h: &[u8]) -> Vec<u8> {
    let mut v = h.to_vec();
    v.resize(32, 0);
    v
}

/// A v3 `fattr3` of type `kind`.
fn fattr3(kind: u32, size: u64) -> Vec<u8> {
    let mut v = words(&[kind, 0o100644, 2, 1000, u32::MAX - 1]);
    v.extend(size.to_be_bytes());
    v.extend(8192u64.to_be_bytes());
    v.extend(words(&[8, 1]));
    v.extend(0x1234_5678_9abc_u64.to_be_bytes());
    v.extend(0xfeed_u64.to_be_bytes());
    v.extend(words(&[
        1_700_000_000,
        5,
        1_700_000_001,
        999_999_999,
        1_700_000_002,
        123_456,
    ]));
    v
}

fn fattr2(kind: u32) -> Vec<u8> {
    words(&[
        kind,
        0o40755,
        3,
        0,
        0,
        4096,
        4096,
        0x0801,
        8,
        0x1d,
        0x2a,
        1_600_000_000,
        1,
        1_600_000_001,
        2,
        1_600_000_002,
        3,
    ])
}

fn post_op(a: Option<Vec<u8>>) -> Vec<u8> {
    match a {
        Some(a) => [words(&[1]), a].concat(),
        None => words(&[0]),
    }
}

/// `wcc_data` with both halves or neither.
fn wcc(both: bool) -> Vec<u8> {
    if both {
        let mut pre = words(&[1]);
        pre.extend(4096u64.to_be_bytes());
        pre.extend(words(&[1_700_000_000, 1, 1_700_000_000, 2]));
        [pre, post_op(Some(fattr3(2, 4096)))].concat()
    } else {
        words(&[0, 0])
    }
}

fn name(s: &[u8]) -> Vec<u8> {
    opaque(s)
}

/// `sattr3`: mode, uid, gid and size set or not, times by server or
/// client.
fn sattr3(all: bool) -> Vec<u8> {
    if all {
        words(&[
            1,
            0o755,
            1,
            1000,
            1,
            100,
            1,
            0,
            0,
            2,
            1_700_000_000,
            7,
            2,
            1_700_000_001,
            8,
        ])
    } else {
        words(&[0, 0, 0, 0, 1, 0])
    }
}

/// A message and whether it goes to the server.
pub type Message = (bool, Vec<u8>);

/// The v3 calls of every procedure, each followed by its replies.
fn v3_exchanges(xid: &mut u32, out: &mut Vec<Message>) {
    let hs = handles();
    let h = &hs[0];
    let mut next = || {
        *xid += 1;
        *xid
    };
    let attr = |k| Some(fattr3(k, 70_000));
    let mut ex = |out: &mut Vec<Message>, proc: u32, args: Vec<u8>, replies: Vec<Vec<u8>>| {
        let x = next();
        out.push((true, call(x, NFS, 3, proc, &args)));
        for r in replies {
            out.push((false, reply(x, &r)));
        }
    };
    let ok = || words(&[0]);
    let err = |n: u32| words(&[n]);
    ex(out, 0, vec![], vec![vec![]]);
    for (i, handle) in hs.iter().enumerate() {
        let r = if i % 2 == 0 {
            [ok(), fattr3(i as u32 % 9, i as u64)].concat()
        } else {
            err(70)
        };
        ex(out, 1, fh3(handle), vec![r]);
    }
    ex(
        out,
        2,
        [fh3(h), sattr3(true), words(&[0])].concat(),
        vec![[ok(), wcc(true)].concat(), [err(1), wcc(false)].concat()],
    );
    for n in [&b"name.txt"[..], b"", b"a\x01\xffb", b"four"] {
        ex(
            out,
            3,
            [fh3(h), name(n)].concat(),
            vec![
                [ok(), fh3(&hs[3]), post_op(attr(1)), post_op(attr(2))].concat(),
                [err(2), post_op(attr(2))].concat(),
            ],
        );
    }
    for bits in [0x1, 0x3f, 0x2d, 0x40, 0x12, 0] {
        ex(
            out,
            4,
            [fh3(h), words(&[bits])].concat(),
            vec![[ok(), post_op(attr(1)), words(&[bits & 0x1f])].concat()],
        );
    }
    ex(
        out,
        5,
        fh3(&hs[1]),
        vec![[ok(), post_op(attr(5)), name(b"../target")].concat()],
    );
    for (off, count) in [(0u64, 8192u32), (0x1_0000_0000, 1), (u64::MAX, 0)] {
        let mut args = fh3(h);
        args.extend(off.to_be_bytes());
        args.extend(words(&[count]));
        ex(
            out,
            6,
            args,
            vec![
                [ok(), post_op(attr(1)), words(&[count, 1]), opaque(b"data")].concat(),
                [ok(), post_op(None), words(&[count, 0]), opaque(b"")].concat(),
                [err(13), post_op(None)].concat(),
            ],
        );
    }
    for mode in [0, 1, 2, 7] {
        let mut args = fh3(h);
        args.extend(4096u64.to_be_bytes());
        args.extend(words(&[5, mode]));
        args.extend(opaque(b"hello"));
        let mut r = [ok(), wcc(true), words(&[5, mode])].concat();
        r.extend(0xdead_beef_0000_0001u64.to_be_bytes());
        ex(out, 7, args, vec![r, [err(28), wcc(false)].concat()]);
    }
    let created = |a: bool| {
        [
            ok(),
            words(&[1]),
            fh3(&hs[2]),
            post_op(if a { attr(1) } else { None }),
            wcc(a),
        ]
        .concat()
    };
    ex(
        out,
        8,
        [fh3(h), name(b"new"), words(&[0]), sattr3(true)].concat(),
        vec![
            created(true),
            created(false),
            [ok(), words(&[0]), post_op(None), wcc(false)].concat(),
            [err(17), wcc(true)].concat(),
        ],
    );
    ex(
        out,
        9,
        [fh3(h), name(b"dir"), sattr3(false)].concat(),
        vec![created(true)],
    );
    ex(
        out,
        10,
        [fh3(h), name(b"ln"), sattr3(true), name(b"/etc/passwd")].concat(),
        vec![created(true)],
    );
    ex(
        out,
        10,
        [fh3(h), name(b"ln2"), sattr3(false), name(b"x")].concat(),
        vec![created(false)],
    );
    for (kind, extra) in [
        (4u32, words(&[4, 64])),
        (3, words(&[8, 1])),
        (7, vec![]),
        (6, vec![]),
        (9, vec![]),
    ] {
        let args = [fh3(h), name(b"dev"), words(&[kind]), sattr3(true), extra].concat();
        ex(out, 11, args, vec![created(true)]);
    }
    ex(
        out,
        12,
        [fh3(h), name(b"old")].concat(),
        vec![[ok(), wcc(true)].concat(), [err(2), wcc(false)].concat()],
    );
    ex(
        out,
        13,
        [fh3(h), name(b"dir")].concat(),
        vec![[err(66), wcc(true)].concat()],
    );
    ex(
        out,
        14,
        [fh3(h), name(b"a"), fh3(&hs[3]), name(b"b")].concat(),
        vec![
            [ok(), wcc(true), wcc(false)].concat(),
            [err(18), wcc(false), wcc(false)].concat(),
        ],
    );
    ex(
        out,
        15,
        [fh3(&hs[1]), fh3(h), name(b"hard")].concat(),
        vec![
            [ok(), post_op(attr(1)), wcc(true)].concat(),
            [err(31), post_op(None), wcc(false)].concat(),
        ],
    );
    let mut rd = fh3(h);
    rd.extend(u64::MAX.to_be_bytes());
    rd.extend(words(&[0x0102_0304, 0x0506_0708, 4096]));
    ex(
        out,
        16,
        rd.clone(),
        vec![
            [ok(), post_op(attr(2)), words(&[0xaa, 0xbb, 0, 1])].concat(),
            [err(10003), post_op(None)].concat(),
        ],
    );
    rd.extend(words(&[32768]));
    ex(
        out,
        17,
        rd,
        vec![[ok(), post_op(None), words(&[1, 2, 0, 1])].concat()],
    );
    let mut fsstat = [ok(), post_op(attr(2))].concat();
    for n in [1u64 << 40, 1 << 39, 1 << 38, 1000, 500, 400] {
        fsstat.extend(n.to_be_bytes());
    }
    fsstat.extend(words(&[0]));
    ex(
        out,
        18,
        fh3(h),
        vec![fsstat, [err(70), post_op(None)].concat()],
    );
    let mut fsinfo = [
        ok(),
        post_op(attr(2)),
        words(&[1_048_576, 1_048_576, 4096, 1_048_576, 1_048_576, 4096, 4096]),
    ]
    .concat();
    fsinfo.extend(u64::MAX.to_be_bytes());
    fsinfo.extend(words(&[0, 1, 0x1b]));
    ex(
        out,
        19,
        fh3(h),
        vec![fsinfo, [err(5), post_op(None)].concat()],
    );
    ex(
        out,
        20,
        fh3(h),
        vec![
            [ok(), post_op(None), words(&[32000, 255, 1, 1, 0, 1])].concat(),
            [ok(), post_op(None), words(&[1, 2, 0, 0, 0, 0])].concat(),
        ],
    );
    let mut commit = fh3(h);
    commit.extend(0x2_0000_0000u64.to_be_bytes());
    commit.extend(words(&[65536]));
    let mut cr = [ok(), wcc(true)].concat();
    cr.extend(0x0123_4567_89ab_cdefu64.to_be_bytes());
    ex(out, 21, commit, vec![cr]);
    // Procedures v3 does not have.
    ex(out, 22, fh3(h), vec![[ok()].concat()]);
    ex(out, 25, vec![], vec![vec![]]);
    ex(out, 99, vec![], vec![vec![]]);
}

/// v2's procedures 0–17 (and past them), each with its replies.
fn v2_exchanges(xid: &mut u32, out: &mut Vec<Message>) {
    let hs = handles();
    let h = fh2(&hs[1]);
    let ok = || words(&[0]);
    for proc in 0..20u32 {
        *xid += 1;
        let args = match proc {
            4 | 9 | 10 | 14 | 15 => [h.clone(), name(b"entry")].concat(),
            6 => [h.clone(), words(&[8192, 4096, 0])].concat(),
            8 => [h.clone(), words(&[0, 512, 0, 5]), opaque(b"hello")].concat(),
            11 => [h.clone(), name(b"from"), fh2(&hs[3]), name(b"to")].concat(),
            12 => [h.clone(), fh2(&hs[3]), name(b"link")].concat(),
            13 => [
                h.clone(),
                name(b"sym"),
                name(b"target"),
                words(&[0o777, 0, 0, 0, 0, 0, 0, 0]),
            ]
            .concat(),
            16 => [h.clone(), words(&[0xffff_ffff, 4096])].concat(),
            _ => h.clone(),
        };
        out.push((true, call(*xid, NFS, 2, proc, &args)));
        let results = match proc {
            1 | 2 | 6 | 8 => [ok(), fattr2(1)].concat(),
            4 | 9 | 14 => [ok(), fh2(&hs[2]), fattr2(2)].concat(),
            5 => [ok(), name(b"linked")].concat(),
            16 => [ok(), words(&[0x10, 0x20, 1])].concat(),
            17 => [ok(), words(&[8192, 4096, 1000, 500, 400])].concat(),
            _ => ok(),
        };
        out.push((false, reply(*xid, &results)));
        out.push((false, reply(*xid, &words(&[70]))));
    }
}

/// Other programs, versions and RPC outcomes on 2049.
fn rpc_cases(xid: &mut u32, out: &mut Vec<Message>) {
    let hs = handles();
    let mut x = || {
        *xid += 1;
        *xid
    };
    let a = x();
    out.push((true, call(a, MOUNT, 3, 1, &opaque(b"/srv/nfs"))));
    out.push((
        false,
        reply(a, &[words(&[0]), fh3(&hs[0]), words(&[1, 1])].concat()),
    ));
    let a = x();
    out.push((true, call(a, NLM, 4, 7, &opaque(b"cookie"))));
    let a = x();
    let compound = [
        opaque(b"tag"),
        words(&[0, 2, 22]),
        fh3(&hs[0]),
        words(&[9, 2, 0x0010_011a, 0x00b0_a23a]),
    ]
    .concat();
    out.push((true, call(a, NFS, 4, 1, &compound)));
    out.push((
        false,
        reply(
            a,
            &[words(&[0]), opaque(b"tag"), words(&[2, 22, 0, 9, 0])].concat(),
        ),
    ));
    let a = x();
    out.push((true, call(a, NFS, 4, 0, &[])));
    // Denied replies and accept states.
    let a = x();
    out.push((true, call(a, NFS, 3, 1, &fh3(&hs[0]))));
    for denied in [
        words(&[0, 2, 2]),
        words(&[1, 1]),
        words(&[1, 5]),
        words(&[1, 13]),
        words(&[7]),
    ] {
        out.push((false, [words(&[a, 1, 1]), denied].concat()));
    }
    for accept in 1..=6 {
        out.push((false, words(&[a, 1, 0, 0, 0, accept, 2, 3])));
    }
    out.push((false, words(&[a, 1, 2])));
    // A verifier with a body, and one longer than the message.
    out.push((
        false,
        [words(&[a, 1, 0, 6, 8, 1, 2, 0, 0]), fattr3(1, 1)].concat(),
    ));
    out.push((false, words(&[a, 1, 0, 6, 400, 0])));
    // Credentials and verifiers longer than the call.
    out.push((true, words(&[x(), 0, 2, NFS, 3, 1, 1, 400])));
    out.push((true, words(&[x(), 0, 2, NFS, 3, 1, 0, 0, 0, 400, 0])));
    out.push((true, words(&[x(), 0, 2, NFS, 3, 1, 0, 0, 0, 0])));
    // A name whose padding overflows.
    out.push((
        true,
        [
            words(&[x(), 0, 2, NFS, 3, 3, 0, 0, 0, 0]),
            fh3(&hs[0]),
            words(&[u32::MAX - 1]),
        ]
        .concat(),
    ));
    // A reply nobody asked for, and a message neither call nor reply.
    out.push((false, reply(0x7777, &words(&[0]))));
    out.push((true, words(&[x(), 2, 0, 0])));
}

/// Every message in order: calls to the server, replies from it.
pub fn messages() -> Vec<Message> {
    let mut xid = 0x5a00_0000;
    let mut out = Vec::new();
    v3_exchanges(&mut xid, &mut out);
    v2_exchanges(&mut xid, &mut out);
    rpc_cases(&mut xid, &mut out);
    out
}

/// A message behind RPC's record-marking header (the last fragment).
pub fn record(m: &[u8]) -> Vec<u8> {
    [words(&[0x8000_0000 | m.len() as u32]), m.to_vec()].concat()
}

/// Each message in a UDP datagram, then each in a TCP segment of one
/// connection (sequence numbers following), then what is not NFS to
/// tcpdump: a reply to 2049 and a call from it, a reply from another
/// server, the portmapper, TCP segments that do not start a record.
pub fn frames() -> Vec<Frame> {
    let ms = messages();
    let mut frames: Vec<Frame> = ms.iter().map(|(to, m)| udp(*to, CLIENT, PORT, m)).collect();
    let (mut up, mut down) = (1000u32, 5000u32);
    for (to, m) in &ms {
        let r = record(m);
        let seq = if *to { &mut up } else { &mut down };
        frames.push(tcp(*to, CLIENT, PORT, *seq, &r));
        *seq = seq.wrapping_add(r.len() as u32);
    }
    let (c, r) = (&ms[1].1, &ms[2].1);
    frames.push(udp(false, PORT, CLIENT, c));
    frames.push(udp(true, PORT, CLIENT, r));
    frames.push(udp_between(("192.0.2.9", PORT), ("192.0.2.1", CLIENT), r));
    frames.push(udp(
        true,
        700,
        111,
        &call(9, 100000, 2, 3, &words(&[NFS, 3, 17, 0])),
    ));
    frames.push(udp(false, 700, 111, &reply(9, &words(&[PORT.into()]))));
    // Two records in a segment; a fragment that is not the last; a
    // record longer than the segment; bytes inside a record.
    frames.push(tcp(true, CLIENT, PORT, 1, &[record(c), record(c)].concat()));
    frames.push(tcp(
        true,
        CLIENT,
        PORT,
        1,
        &[words(&[c.len() as u32]), c.clone()].concat(),
    ));
    frames.push(tcp(
        true,
        CLIENT,
        PORT,
        1,
        &[words(&[0x8000_4000]), c.clone()].concat(),
    ));
    frames.push(tcp(true, CLIENT, PORT, 1, &c[8..]));
    frames.push(tcp(true, CLIENT, PORT, 1, &[1, 2, 3]));
    frames
}

pub fn capture_bytes() -> Vec<u8> {
    capture(&frames())
}

/// Every message cut at every length, over UDP then TCP, each cut reply
/// after its call whole (so that the reply finds it).
pub fn cut_frames() -> Vec<Frame> {
    let ms = messages();
    let mut frames = Vec::new();
    let mut last_call: Option<&Vec<u8>> = None;
    for (to, m) in &ms {
        if *to {
            last_call = Some(m);
        } else if let Some(c) = last_call {
            frames.push(udp(true, CLIENT, PORT, c));
        }
        for keep in 0..m.len() {
            frames.push(super::app_captures::udp_cut(*to, CLIENT, PORT, m, keep));
            let r = record(m);
            frames.push(Frame {
                snap: Some(super::app_captures::TCP_HEADERS + keep + 4),
                ..tcp(*to, CLIENT, PORT, 1, &r)
            });
        }
    }
    frames
}

/// The client and server over IPv6 (2001:db8::1 and 2001:db8::2).
const V6_ENDS: (&str, &str) = ("2001:db8::1", "2001:db8::2");

/// A UDP datagram over IPv6, to the server or back.
fn udp6(to_server: bool, message: &[u8]) -> Frame {
    use super::app_captures::{CLIENT as C, SERVER as S};
    use super::frames::Above::Udp;
    let (c, s) = V6_ENDS;
    let bytes = if to_server {
        C.frame(c, s, Udp(CLIENT, PORT), message)
    } else {
        S.frame(s, c, Udp(PORT, CLIENT), message)
    };
    Frame { bytes, snap: None }
}

/// A TCP segment (PSH, ACK) over IPv6 carrying `payload`.
fn tcp6(to_server: bool, seq: u32, payload: &[u8]) -> Frame {
    let ends = (V6_ENDS.0.parse().unwrap(), V6_ENDS.1.parse().unwrap());
    super::app_captures::tcp_between(ends, to_server, (CLIENT, PORT), seq, payload)
}

/// Every message over IPv6 as [`frames`] sends them over IPv4 (in UDP,
/// then in TCP after the record mark), then each cut by the snap length
/// at every byte of the message (a reply after its call).
pub fn frames_v6() -> Vec<Frame> {
    let ms = messages();
    let mut frames: Vec<Frame> = ms.iter().map(|(to, m)| udp6(*to, m)).collect();
    let (mut up, mut down) = (1000u32, 5000u32);
    for (to, m) in &ms {
        let r = record(m);
        let seq = if *to { &mut up } else { &mut down };
        frames.push(tcp6(*to, *seq, &r));
        *seq = seq.wrapping_add(r.len() as u32);
    }
    // Ethernet, IPv6 and the transport header before the message.
    let (udp_at, tcp_at) = (14 + 40 + 8, 14 + 40 + 20 + 4);
    let mut last_call: Option<&Vec<u8>> = None;
    for (to, m) in &ms {
        if *to {
            last_call = Some(m);
        } else if let Some(c) = last_call {
            frames.push(udp6(true, c));
        }
        for keep in 0..m.len() {
            frames.push(Frame {
                snap: Some(udp_at + keep),
                ..udp6(*to, m)
            });
            frames.push(Frame {
                snap: Some(tcp_at + keep),
                ..tcp6(*to, 1, &record(m))
            });
        }
    }
    frames
}
