//! IS-IS for Shortest Path Bridging (RFC 6329) as `tcpdump -n -v` prints
//! it: the multi-topology-aware port capability TLV (143: SPB MCID,
//! digest, base VIDs) and the multi-topology capability TLV (144: SPB
//! instance with its trees, SPBM service identifiers). A sub-TLV longer
//! than the TLV, too short for its fields or not captured ends the TLV's
//! sub-TLVs with tcpdump's words (` (> containing TLV length)`,
//! ` (too short)`, ` [|isis]`); the PDU goes on.

use super::ctl::{out, put_text_nul, tok};
use super::isis::u24;
use super::wire::{Res, need, u8_at, u16_at, u32_at};

const PORT_CAP_SUBTLVS: &[(u8, &str)] = &[(4, "SPB MCID"), (5, "SPB Digest"), (6, "SPB BVID")];

const CAPABILITY_SUBTLVS: &[(u8, &str)] = &[
    (1, "SPB Instance"),
    (3, "SPBM Service Identifier and Unicast Address"),
];

/// An MCID: format, name, revision level, digest.
const MCID: usize = 51;

/// How a sub-TLV list ended early (tcpdump's `return 1` paths).
enum End {
    TooLong,
    TooShort,
    Cut,
}

fn put_end(w: &mut Vec<u8>, end: End) {
    w.extend_from_slice(match end {
        End::TooLong => b" (> containing TLV length)",
        End::TooShort => b" (too short)",
        End::Cut => b" [|isis]",
    });
}

/// The sub-TLV headers of both TLVs: each one's type, length and offset,
/// its name printed after `ind`; `Err` of the list's end.
fn subtlvs(
    w: &mut Vec<u8>,
    b: &[u8],
    mut p: usize,
    mut left: usize,
    ind: &str,
    names: &[(u8, &'static str)],
    mut each: impl FnMut(&mut Vec<u8>, u8, usize, usize) -> Res<Result<(), End>>,
) -> Res<()> {
    while left > 2 {
        let (t, n) = (u8_at(b, p)?, usize::from(u8_at(b, p + 1)?));
        out!(
            w,
            "{ind}{} subTLV #{t}, length: {n}",
            tok(names, t).unwrap_or("unknown")
        );
        p += 2;
        left -= 2;
        if left < n {
            put_end(w, End::TooLong);
            return Ok(());
        }
        if need(b, p, n).is_err() {
            put_end(w, End::Cut);
            return Ok(());
        }
        if let Err(end) = each(w, t, p, n)? {
            put_end(w, end);
            return Ok(());
        }
        p += n;
        left -= n;
    }
    Ok(())
}

/// TLV 143 from its value's start, `len` bytes.
pub(super) fn port_capability(w: &mut Vec<u8>, b: &[u8], len: usize) -> Res<()> {
    let x = u16_at(b, 0)?;
    out!(w, "\n\t       RES: {}, MTID(s): {}", x >> 12, x & 0x0fff);
    subtlvs(
        w,
        b,
        2,
        len - 2,
        "\n\t       ",
        PORT_CAP_SUBTLVS,
        |w, t, p, n| {
            Ok(match t {
                4 if n < 2 * MCID => Err(End::TooShort),
                4 => {
                    w.extend_from_slice(b"\n\t         MCID: ");
                    mcid(w, b, p)?;
                    w.extend_from_slice(b"\n\t         AUX-MCID: ");
                    mcid(w, b, p + MCID)?;
                    Ok(())
                }
                5 if n < 33 => Err(End::TooShort),
                5 => {
                    let x = u8_at(b, p)?;
                    out!(
                        w,
                        "\n\t        RES: {} V: {} A: {} D: {}\n\t         Digest: ",
                        x >> 5,
                        (x >> 4) & 1,
                        (x >> 2) & 3,
                        x & 3
                    );
                    for i in 1..=8 {
                        out!(w, "{:08x} ", u32_at(b, p + 1 + 4 * (i - 1))?);
                        if i == 4 {
                            w.extend_from_slice(b"\n\t                 ");
                        }
                    }
                    Ok(())
                }
                6 => {
                    let (mut at, mut n) = (p, n);
                    while n != 0 {
                        if n < 4 {
                            return Ok(Err(End::TooShort));
                        }
                        out!(w, "\n\t           ECT: {:08x}", u32_at(b, at)?);
                        if n - 4 < 2 {
                            return Ok(Err(End::TooShort));
                        }
                        let x = u16_at(b, at + 4)?;
                        out!(
                            w,
                            " BVID: {}, U:{:x} M:{:x} ",
                            x >> 4,
                            (x >> 3) & 1,
                            (x >> 2) & 1
                        );
                        at += 6;
                        n -= 6;
                    }
                    Ok(())
                }
                _ => Ok(()),
            })
        },
    )
}

/// One MCID at `at` (captured): format id, name, revision level, digest.
fn mcid(w: &mut Vec<u8>, b: &[u8], at: usize) -> Res<()> {
    out!(w, "ID: {}, Name: ", u8_at(b, at)?);
    put_text_nul(w, b, at + 1, 32)?;
    out!(
        w,
        "\n\t              Lvl: {}, Digest: ",
        u16_at(b, at + 33)?
    );
    for i in 0..16 {
        out!(w, "{:02x} ", u8_at(b, at + 35 + i)?);
    }
    Ok(())
}

/// TLV 144 from its value's start, `len` bytes.
pub(super) fn capability(w: &mut Vec<u8>, b: &[u8], len: usize) -> Res<()> {
    let x = u16_at(b, 0)?;
    out!(
        w,
        "\n\t      O: {}, RES: {}, MTID(s): {}",
        (x >> 15) & 1,
        (x >> 12) & 7,
        x & 0x0fff
    );
    subtlvs(
        w,
        b,
        2,
        len - 2,
        "\n\t      ",
        CAPABILITY_SUBTLVS,
        |w, t, p, n| {
            Ok(match t {
                1 if n < 19 => Err(End::TooShort),
                1 => instance(w, b, p, n)?,
                3 if n < 8 => Err(End::Cut),
                3 => {
                    out!(
                        w,
                        "\n\t        BMAC: {:08x}{:04x}",
                        u32_at(b, p)?,
                        u16_at(b, p + 4)?
                    );
                    let x = u16_at(b, p + 6)?;
                    out!(w, ", RES: {}, VID: {}", x >> 12, x & 0x0fff);
                    let (mut at, mut n) = (p + 8, n - 8);
                    while n >= 4 {
                        let x = u32_at(b, at)?;
                        out!(
                            w,
                            "\n\t        T: {}, R: {}, RES: {}, ISID: {}",
                            x >> 31,
                            (x >> 30) & 1,
                            (x >> 24) & 0x3f,
                            x & 0x00ff_ffff
                        );
                        at += 4;
                        n -= 4;
                    }
                    Ok(())
                }
                _ => Ok(()),
            })
        },
    )
}

/// An SPB instance (19 bytes at least, captured) and its trees.
fn instance(w: &mut Vec<u8>, b: &[u8], p: usize, n: usize) -> Res<Result<(), End>> {
    out!(
        w,
        "\n\t        CIST Root-ID: {:08x} {:08x}, Path Cost: {:08x}, Prio: {}",
        u32_at(b, p)?,
        u32_at(b, p + 4)?,
        u32_at(b, p + 8)?,
        u16_at(b, p + 12)?
    );
    let x = u16_at(b, p + 14)?;
    out!(
        w,
        "\n\t        RES: {}, V: {}, SPSource-ID: {}",
        x >> 5,
        (x >> 4) & 1,
        u32_at(b, p + 14)? & 0x000f_ffff
    );
    let trees = u8_at(b, p + 18)?;
    out!(w, ", No of Trees: {trees:x}");
    let (mut at, mut left) = (p + 19, n - 19);
    for _ in 0..trees {
        if left < 8 {
            return Ok(Err(End::Cut));
        }
        let x = u8_at(b, at)?;
        out!(
            w,
            "\n\t         U:{}, M:{}, A:{}, RES:{}, ECT: {:08x}",
            x >> 7,
            (x >> 6) & 1,
            (x >> 5) & 1,
            x & 0x1f,
            u32_at(b, at + 1)?
        );
        let v = u24(b, at + 5)?;
        out!(w, ", BVID: {}, SPVID: {}", (v >> 12) & 0xfff, v & 0xfff);
        at += 8;
        left -= 8;
    }
    Ok(Ok(()))
}
