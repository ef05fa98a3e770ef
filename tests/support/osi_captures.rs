//! `captures/dissect_osi.pcap`: CLNP (ISO 8473) and ES-IS (ISO 9542) PDUs
//! built by hand in 802.3 frames to LLC SAP 0xfe, beside IS-IS's: CLNP
//! data, echo request and response, error reports returning a PDU (one
//! returning an error report), every option tcpdump decodes and its
//! short forms, header errors; ES-IS ESH, ISH and redirects with their
//! options and errors; then each cut every few bytes and seeded damaged
//! copies (the NLPID kept). `tests/dissect_routing.rs` compares
//! `sockscope read` with `tcpdump -n -r` on it.

use super::app_captures::{Frame, capture as write_frames, cuts};
use super::control_captures::cut_often;
use super::isis_captures::{HEADERS, frame};

const NET_A: [u8; 13] = [0x49, 0, 1, 0x19, 0x21, 0x68, 0, 0x10, 0x01, 0, 0, 0, 0];
const NET_B: [u8; 8] = [0x49, 0, 2, 0x19, 0x21, 0x68, 0, 0x02];

/// The ISO 8473 checksum bytes that make the first `li` bytes of `m`
/// check (the field at 7 and 8).
fn osi_sum(m: &[u8], li: usize) -> [u8; 2] {
    let (mut c0, mut c1) = (0i64, 0i64);
    for (i, &b) in m.iter().take(li).enumerate() {
        if i != 7 && i != 8 {
            c0 = (c0 + i64::from(b)) % 255;
        }
        c1 = (c1 + c0) % 255;
    }
    let n = li as i64 - 8;
    let x = ((n * c0 - c1) % 255 + 255) % 255;
    let y = ((c1 - (n + 1) * c0) % 255 + 255) % 255;
    [
        if x == 0 { 255 } else { x as u8 },
        if y == 0 { 255 } else { y as u8 },
    ]
}

/// A CLNP PDU: the fixed part (`kind` with its flags, lifetime 21 half
/// seconds), the addresses, the segmentation part when `seg`, the
/// options, then `data`; the length indicator counts up to the options
/// and the checksum is made to check unless `sum` says otherwise.
fn clnp(kind: u8, seg: Option<[u8; 6]>, options: &[Vec<u8>], data: &[u8], sum: Sum) -> Vec<u8> {
    let mut m = vec![0x81, 0, 1, 21, kind, 0, 0, 0, 0];
    m.push(NET_B.len() as u8);
    m.extend_from_slice(&NET_B);
    m.push(NET_A.len() as u8);
    m.extend_from_slice(&NET_A);
    if let Some(s) = seg {
        m.extend_from_slice(&s);
    }
    for o in options {
        m.extend_from_slice(o);
    }
    let li = m.len();
    m[1] = li as u8;
    m.extend_from_slice(data);
    let total = (m.len() as u16).to_be_bytes();
    m[5] = total[0];
    m[6] = total[1];
    let s = match sum {
        Sum::Good => osi_sum(&m, li),
        Sum::Zero => [0, 0],
        Sum::Bad => [0x12, 0x34],
    };
    m[7] = s[0];
    m[8] = s[1];
    m
}

#[derive(Clone, Copy)]
enum Sum {
    Good,
    Zero,
    Bad,
}

fn opt(t: u8, v: &[u8]) -> Vec<u8> {
    [&[t, v.len() as u8][..], v].concat()
}

const DATA: u8 = 28 | 0x80 | 0x20;
const ECHO_REQUEST: u8 = 30;
const ECHO_RESPONSE: u8 = 31;
const ERROR_REPORT: u8 = 1;

/// The CLNP PDUs.
fn clnp_pdus() -> Vec<Vec<u8>> {
    let seg = Some([0x12, 0x34, 0, 0, 0, 80]);
    let route =
        |kind: u8, t: u8, offset: u8, list: &[u8]| opt(t, &[&[kind, offset][..], list].concat());
    let data = clnp(
        DATA,
        seg,
        &[
            opt(195, &[0xc0 | 0x15]),
            opt(195, &[0x40]),
            opt(197, &[0x80, 5]),
            opt(205, &[0x1b]),
            opt(204, &[0, 0, 0]),
            route(1, 200, 3, &[4, 0x49, 0, 1, 2]),
            route(0, 203, 3, &[0, 0]),
            opt(250, &[0xde, 0xad, 0xbe, 0xef]),
        ],
        b"payload bytes",
        Sum::Good,
    );
    let echo = clnp(ECHO_REQUEST, None, &[], b"ping", Sum::Good);
    let mut pdus = vec![
        data.clone(),
        echo.clone(),
        clnp(ECHO_RESPONSE, None, &[], &echo, Sum::Zero),
        clnp(ECHO_RESPONSE, None, &[], b"pong", Sum::Bad),
        clnp(29 | 0x40, seg, &[], b"md", Sum::Good),
        clnp(5, None, &[], &[], Sum::Good),
        // An error report returning an error report returning data.
        clnp(
            ERROR_REPORT,
            None,
            &[opt(193, &[0x81])],
            &clnp(ERROR_REPORT, None, &[opt(193, &[0xa1])], &data, Sum::Good),
            Sum::Good,
        ),
        clnp(
            ERROR_REPORT,
            None,
            &[opt(193, &[0x93])],
            b"not clnp",
            Sum::Good,
        ),
    ];
    for reason in [0x07, 0x0f, 0x80, 0xb4, 0xc0, 0x5f, 0xe2] {
        pdus.push(clnp(
            ERROR_REPORT,
            None,
            &[opt(193, &[reason])],
            &echo,
            Sum::Good,
        ));
    }
    // Route options: offset 0, past the end, an address past the end, a
    // list of empty addresses; options too short for their value.
    for o in [
        route(1, 200, 0, &[]),
        route(1, 203, 9, &[]),
        route(2, 200, 3, &[9, 1, 2]),
        route(0, 203, 1, &[]),
        route(1, 200, 3, &[0, 0, 0]),
        opt(200, &[1]),
        opt(203, &[]),
        opt(205, &[]),
        opt(195, &[]),
        opt(197, &[0xc0]),
        opt(193, &[]),
    ] {
        pdus.push(clnp(DATA & 0x7f, None, &[o], b"x", Sum::Good));
    }
    // Header errors: version, the length indicator past the PDU and
    // below the fixed part, addresses and segmentation part past it, an
    // option past it, one byte of options.
    let mut bad = echo.clone();
    bad[2] = 0;
    pdus.push(bad);
    let mut bad = echo.clone();
    bad[1] = 200;
    pdus.push(bad);
    let mut bad = echo.clone();
    bad[1] = 5;
    pdus.push(bad);
    for li in [9, 10, 19, 20] {
        let mut bad = echo.clone();
        bad[1] = li;
        pdus.push(bad);
    }
    let mut bad = clnp(DATA, seg, &[], b"", Sum::Good);
    bad[1] -= 3;
    pdus.push(bad);
    let mut bad = clnp(DATA & 0x7f, None, &[opt(205, &[1])], b"tail", Sum::Good);
    bad[1] -= 1;
    pdus.push(bad);
    let mut bad = clnp(DATA & 0x7f, None, &[opt(205, &[1])], b"tail", Sum::Good);
    bad[1] -= 2;
    pdus.push(bad);
    pdus
}

/// An ES-IS PDU: the fixed part (`kind`, holding time 300), `body`;
/// the length indicator counts all of it, the checksum checks.
fn esis(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut m = vec![0x82, 0, 1, 0, kind, 0x01, 0x2c, 0, 0];
    m.extend_from_slice(body);
    let li = m.len();
    m[1] = li as u8;
    let s = osi_sum(&m, li);
    m[7] = s[0];
    m[8] = s[1];
    m
}

fn lv(v: &[u8]) -> Vec<u8> {
    [&[v.len() as u8][..], v].concat()
}

/// The ES-IS PDUs.
fn esis_pdus() -> Vec<Vec<u8>> {
    let two = [vec![2], lv(&NET_A), lv(&NET_B)].concat();
    let snpa = [0, 0x11, 0x22, 0x33, 0x44, 0x55];
    let mut pdus = vec![
        esis(2, &[&two[..], &opt(198, &[0, 60])].concat()),
        esis(
            2,
            &[&two[..], &opt(129, &[0xcc, 0x8e, 0x81]), &[9, 9]].concat(),
        ),
        esis(
            4,
            &[lv(&NET_A), opt(198, &[0, 30]), opt(197, &[1, 2, 3])].concat(),
        ),
        esis(
            4,
            &[lv(&NET_A), opt(198, &[1, 2, 3]), opt(195, &[0xc0])].concat(),
        ),
        esis(6, &[lv(&NET_B), lv(&snpa), lv(&NET_A)].concat()),
        esis(6, &[lv(&NET_B), lv(&[1, 2, 3, 4]), lv(&[])].concat()),
        esis(
            6,
            &[lv(&NET_B), lv(&[]), lv(&NET_A), opt(205, &[7])].concat(),
        ),
        esis(7, b"unknown type"),
        esis(2, &[0]),
        // Past the length indicator: the count, an address, an option.
        esis(2, &[3, 2, 0x49, 0]),
        esis(4, &[9, 0x49]),
        esis(6, &[2, 0x49]),
        esis(6, &[2, 0x49, 1, 2, 3, 0xaa]),
        esis(4, &[lv(&NET_B), opt(250, &[1, 2, 3, 4])].concat()),
    ];
    let mut bad = pdus[2].clone();
    bad[1] -= 2;
    pdus.push(bad);
    let mut bad = pdus[2].clone();
    bad[1] -= 4;
    pdus.push(bad);
    let mut bad = pdus[2].clone();
    bad[1] -= 6;
    pdus.push(bad);
    let mut bad = pdus[2].clone();
    bad[2] = 2;
    pdus.push(bad);
    let mut bad = pdus[2].clone();
    bad[1] = 250;
    pdus.push(bad);
    let mut bad = pdus[2].clone();
    bad[1] = 10;
    pdus.push(bad);
    pdus.push(vec![0x82, 11]);
    pdus
}

/// Each PDU of `pdus` with its length indicator at every value from
/// `from` up to its own (the bytes still there): short of each address
/// and option.
fn li_short(pdus: &[Vec<u8>], from: u8) -> Vec<Vec<u8>> {
    pdus.iter()
        .flat_map(|whole| {
            (from..whole[1]).map(|li| {
                let mut bad = whole.clone();
                bad[1] = li;
                bad
            })
        })
        .collect()
}

/// The PDUs whose length indicator [`li_short`] shortens: CLNP data
/// with every option, an ESH, an ISH, a redirect.
fn to_shorten() -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let e = esis_pdus();
    (
        vec![clnp_pdus().swap_remove(0)],
        vec![e[0].clone(), e[2].clone(), e[4].clone(), e[6].clone()],
    )
}

/// The hand-built PDUs, each as its frame, with every `step`th length
/// indicator of [`li_short`].
fn frames_with(step: usize) -> Vec<Vec<u8>> {
    let (c, e) = to_shorten();
    let short = li_short(&c, 21).into_iter().chain(li_short(&e, 11));
    pdus()
        .into_iter()
        .chain(short.step_by(step))
        .map(|p| frame(&p))
        .collect()
}

/// The hand-built PDUs after an LLC header to SAP 0xfe, as 802.11 data
/// frames carry them.
pub fn llc_bodies() -> Vec<Vec<u8>> {
    pdus()
        .iter()
        .map(|p| [&[0xfe, 0xfe, 3][..], p].concat())
        .collect()
}

/// The hand-built CLNP PDUs, then the ES-IS ones.
pub fn pdus() -> Vec<Vec<u8>> {
    clnp_pdus().into_iter().chain(esis_pdus()).collect()
}

/// Each frame (every shortened length indicator among them) cut at every
/// length after the LLC header (the temporary capture of the
/// every-length test).
pub fn every_cut() -> Vec<u8> {
    let whole = frames_with(1);
    let cut: Vec<Frame> = whole.iter().flat_map(|f| cuts(f, HEADERS)).collect();
    write_frames(&cut)
}

/// The capture: the frames (every fifth shortened length indicator),
/// cuts, and `damaged` damaged copies.
pub fn capture(damaged: usize) -> Vec<u8> {
    cut_often(
        frames_with(5),
        HEADERS,
        damaged,
        0x0515_0c1a_0000_0001,
        (HEADERS, 3),
    )
}
