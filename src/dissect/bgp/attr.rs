//! BGP path attributes, one value printer per type tcpdump decodes:
//! ORIGIN, AS_PATH and AS4_PATH (2- or 4-byte AS numbers, guessed from
//! the segment lengths as tcpdump guesses), NEXT_HOP, MED, LOCAL_PREF,
//! ATOMIC_AGGREGATE, AGGREGATOR(4), COMMUNITIES, ORIGINATOR_ID,
//! CLUSTER_LIST, extended and large communities, PMSI tunnels, AIGP and
//! ATTR_SET (nested attributes, at most ten levels deep); the
//! multiprotocol ones are in [`super::mp`]. Others print tcpdump's `no
//! Attribute N decoder` and their bytes.

use super::super::ctl::{Bit, ipv4_at, out, put_bits};
use super::names::{self, name, name_opt};
use super::update::put_v4;
use super::{dump, mp, need};
use crate::dissect::wire::{Res, u8_at, u16_at, u32_at};
use crate::dissect::{Stop, Truncated};

/// The extended-length flag: a 2-byte length.
const EXTENDED: u8 = 0x10;

pub(super) fn len_len(flags: u8) -> usize {
    if flags & EXTENDED != 0 { 2 } else { 1 }
}

/// The attribute's length field at `at`.
pub(super) fn value_len(m: &[u8], at: usize, flags: u8) -> Res<usize> {
    if flags & EXTENDED != 0 {
        u16_at(m, at).map(usize::from)
    } else {
        u8_at(m, at).map(usize::from)
    }
}

/// `Origin (1), length: 1, Flags [T]` (the flags only when any is set).
pub(super) fn put_header(w: &mut Vec<u8>, kind: u8, len: usize, flags: u8) {
    out!(
        w,
        "{} ({kind}), length: {len}",
        name(names::ATTRIBUTES, kind, "Unknown Attribute")
    );
    if flags != 0 {
        w.extend_from_slice(b", Flags [");
        for (bit, c) in [(0x80, b'O'), (0x40, b'T'), (0x20, b'P'), (0x10, b'E')] {
            if flags & bit != 0 {
                w.push(c);
            }
        }
        if flags & 0xf != 0 {
            out!(w, "+{:x}", flags & 0xf);
        }
        w.push(b']');
    }
}

/// Nested ATTR_SETs tcpdump follows before it gives up.
const MAX_NESTING: u8 = 10;

/// The value of attribute `kind`, `len` bytes at `p`; then, at `-vv`,
/// its bytes in hex (but for ATTR_SET, whose attributes have their own).
pub(super) fn print(
    w: &mut Vec<u8>,
    m: &[u8],
    kind: u8,
    p: usize,
    len: usize,
    level: u8,
    v: u8,
) -> Result<(), Stop> {
    // How many bytes the `-vv` dump shows: tcpdump dumps what its length
    // counter says is left, which two printers count down.
    let mut dumped = len;
    match kind {
        1 => match len {
            1 => {
                let o = u8_at(m, p)?;
                w.extend_from_slice(name(names::ORIGINS, o, "Unknown Origin Typecode").as_bytes());
            }
            _ => invalid(w),
        },
        2 | 17 => as_path(w, m, kind, p, len)?,
        3 | 9 => match len {
            4 => put_v4(w, m, p)?,
            _ => invalid(w),
        },
        4 | 5 => match len {
            4 => out!(w, "{}", u32_at(m, p)?),
            _ => invalid(w),
        },
        6 => {
            if len != 0 {
                invalid(w);
            }
        }
        7 | 18 => {
            let size = len.wrapping_sub(4);
            if !(size == 4 || (kind == 7 && size == 2)) {
                invalid(w);
            } else {
                let asn = if size == 2 {
                    u32::from(u16_at(m, p)?)
                } else {
                    u32_at(m, p)?
                };
                out!(w, " AS #{asn}, origin {}", ipv4_at(m, p + size)?);
            }
        }
        8 => communities(w, m, p, len)?,
        10 => {
            if !len.is_multiple_of(4) {
                invalid(w);
            } else {
                for at in (0..len / 4).map(|k| p + 4 * k) {
                    put_v4(w, m, at)?;
                    if p + len - at > 4 {
                        w.extend_from_slice(b", ");
                    }
                }
            }
        }
        14 => mp::reach(w, m, p, len, v)?,
        15 => mp::unreach(w, m, p, len, v)?,
        16 => extended_communities(w, m, p, len)?,
        22 => pmsi(w, m, p, len, v)?,
        26 => aigp(w, m, p, len, v)?,
        32 => {
            if len == 0 || !len.is_multiple_of(12) {
                invalid(w);
            } else {
                // tcpdump counts the length down here: no `-vv` bytes.
                dumped = 0;
                w.extend_from_slice(b"\n\t    ");
                for at in (0..len / 12).map(|k| p + 12 * k) {
                    let (a, b, c) = (u32_at(m, at)?, u32_at(m, at + 4)?, u32_at(m, at + 8)?);
                    out!(w, "{a}:{b}:{c}");
                    if p + len - at > 12 {
                        w.extend_from_slice(b", ");
                    }
                }
            }
        }
        128 => dumped = attr_set(w, m, p, len, level, v)?,
        _ => {
            need(m, p, len)?;
            out!(w, "\n\t    no Attribute {kind} decoder");
            if v <= 1 {
                dump(w, m, p, len, b"\n\t    ")?;
            }
        }
    }
    if v > 1 && dumped != 0 {
        dump(w, m, p, dumped, b"\n\t    ")?;
    }
    Ok(())
}

fn invalid(w: &mut Vec<u8>) {
    w.extend_from_slice(b"invalid len");
}

/// `{ 1 2 }3 ( 4 )`: each segment opened and closed by its type, each AS
/// followed by a space. tcpdump walks the segments until it passes the
/// attribute's end, reading on into what follows when a count lies.
fn as_path(w: &mut Vec<u8>, m: &[u8], kind: u8, p: usize, len: usize) -> Res<()> {
    if !len.is_multiple_of(2) {
        invalid(w);
        return Ok(());
    }
    if len == 0 {
        w.extend_from_slice(b"empty");
        return Ok(());
    }
    let size = if kind == 17 || !two_byte_ases(m, p, len) {
        4
    } else {
        2
    };
    let mut t = p;
    while t < p + len {
        let seg = u8_at(m, t)?;
        w.extend_from_slice(name(names::SEGMENT_OPEN, seg, "?").as_bytes());
        let count = usize::from(u8_at(m, t + 1)?);
        for at in (0..count).map(|i| t + 2 + i * size) {
            need(m, at, size)?;
            let asn = if size == 2 {
                u32::from(u16_at(m, at)?)
            } else {
                u32_at(m, at)?
            };
            out!(w, "{asn} ");
        }
        w.extend_from_slice(name(names::SEGMENT_CLOSE, seg, "?").as_bytes());
        t += 2 + count * size;
    }
    Ok(())
}

/// Whether the segments parse with 2-byte AS numbers: known types that
/// end exactly at the attribute's end.
fn two_byte_ases(m: &[u8], p: usize, len: usize) -> bool {
    let mut t = p;
    while t < p + len {
        match (m.get(t), m.get(t + 1)) {
            (Some(1..=4), Some(&count)) => t += 2 + 2 * usize::from(count),
            _ => return false,
        }
    }
    t == p + len
}

/// `NO_EXPORT`, `65000:7, 65000:8`: each 4-byte community.
fn communities(w: &mut Vec<u8>, m: &[u8], p: usize, len: usize) -> Res<()> {
    if !len.is_multiple_of(4) {
        invalid(w);
        return Ok(());
    }
    for at in (0..len / 4).map(|k| p + 4 * k) {
        match u32_at(m, at)? {
            0xffff_ff01 => w.extend_from_slice(b" NO_EXPORT"),
            0xffff_ff02 => w.extend_from_slice(b" NO_ADVERTISE"),
            0xffff_ff03 => w.extend_from_slice(b" NO_EXPORT_SUBCONFED"),
            c => {
                out!(w, "{}:{}", c >> 16, c & 0xffff);
                if p + len - at > 4 {
                    w.extend_from_slice(b", ");
                }
            }
        }
    }
    Ok(())
}

const EXT_FLAGS: &[Bit] = &[(0x8000, "vendor-specific"), (0x4000, "non-transitive")];

/// One line per 8-byte extended community: its type's name, flags and
/// value in the type's format.
fn extended_communities(w: &mut Vec<u8>, m: &[u8], p: usize, len: usize) -> Res<()> {
    if !len.is_multiple_of(8) {
        invalid(w);
        return Ok(());
    }
    for at in (0..len / 8).map(|k| p + 8 * k) {
        let t = u16_at(m, at)?;
        let kind = name(names::EXT_COMMUNITIES, t, "unknown extd community typecode");
        out!(w, "\n\t    {kind} (0x{t:04x}), Flags [");
        put_bits(w, EXT_FLAGS, u32::from(t), "none");
        w.push(b']');
        need(m, at, 8)?;
        w.extend_from_slice(b": ");
        extended_value(w, m, at, t)?;
    }
    Ok(())
}

fn extended_value(w: &mut Vec<u8>, m: &[u8], at: usize, t: u16) -> Res<()> {
    match t {
        0x0002 | 0x0003 | 0x000a => {
            let (asn, n) = (u16_at(m, at + 2)?, u32_at(m, at + 4)?);
            out!(w, "{asn}:{n} (= {})", ipv4_at(m, at + 4)?);
        }
        0x0102 | 0x0103 | 0x010b | 0xf10a => {
            out!(w, "{}:{}", ipv4_at(m, at + 2)?, u16_at(m, at + 6)?);
        }
        0x0202 | 0x0203 => out!(w, "{}:{}", u32_at(m, at + 2)?, u16_at(m, at + 6)?),
        0x4004 => {
            let bw = f32::from_bits(u32_at(m, at + 4)?) * 8.0 / 1_000_000.0;
            w.extend_from_slice(b"bandwidth: ");
            put_c_float(w, f64::from(bw));
            w.extend_from_slice(b" Mbps");
        }
        0x0005 | 0x0105 | 0x0205 | 0x8005 | 0x0107 | 0x8001 => {
            out!(w, "{}", ipv4_at(m, at + 2)?);
        }
        0x0306 | 0x8000 => {
            let (rt, metric) = (u8_at(m, at + 6)?, u8_at(m, at + 7)?);
            out!(w, "area:{}, router-type:", ipv4_at(m, at + 2)?);
            match name_opt(names::OSPF_ROUTE_TYPES, rt) {
                Some(n) => w.extend_from_slice(n.as_bytes()),
                None => out!(w, "unknown (0x{rt:02x})"),
            }
            w.extend_from_slice(b", metric-type:");
            if metric & 1 != 0 {
                w.extend_from_slice(b"E2");
            }
            if rt == 5 || rt == 7 {
                w.extend_from_slice(b"E1");
            }
        }
        0x0009 => out!(w, "AS {}", u16_at(m, at + 2)?),
        0x030c => {
            let tt = u16_at(m, at + 6)?;
            out!(
                w,
                "Tunnel type: {}",
                name(names::TUNNEL_TYPES, tt, "unknown encaps")
            );
        }
        0x800a => {
            let (e, flags, mtu) = (u8_at(m, at + 2)?, u8_at(m, at + 3)?, u16_at(m, at + 4)?);
            out!(
                w,
                "{} Control Flags [0x{flags:02x}]:MTU {mtu}",
                name(names::L2_ENCAPS, e, "unknown encaps")
            );
        }
        _ => {
            for i in 2..8 {
                out!(w, "{:02x}", u8_at(m, at + i)?);
            }
        }
    }
    Ok(())
}

/// C's `%.3f`: Rust's fixed-point text but for the names of infinities
/// and NaNs (`inf`, `-nan`).
fn put_c_float(w: &mut Vec<u8>, x: f64) {
    if x.is_nan() {
        w.extend_from_slice(if x.is_sign_negative() {
            b"-nan"
        } else {
            b"nan"
        });
    } else if x.is_infinite() {
        w.extend_from_slice(if x < 0.0 { b"-inf" } else { b"inf" });
    } else {
        out!(w, "{x:.3}");
    }
}

const PMSI_FLAGS: &[Bit] = &[(0x01, "Leaf Information required")];

/// A PMSI tunnel (RFC 6514): type, flags and label, then the tunnel's
/// identifier in the type's words.
fn pmsi(w: &mut Vec<u8>, m: &[u8], p: usize, len: usize, v: u8) -> Res<()> {
    need(m, p, 5)?;
    if len < 5 {
        return Err(Truncated);
    }
    let (flags, t) = (u8_at(m, p)?, u8_at(m, p + 1)?);
    let label = (u32::from(u16_at(m, p + 2)?) << 8 | u32::from(u8_at(m, p + 4)?)) >> 4;
    out!(
        w,
        "\n\t    Tunnel-type {} ({t}), Flags [",
        name(names::PMSI_TUNNELS, t, "Unknown")
    );
    put_bits(w, PMSI_FLAGS, u32::from(flags), "none");
    out!(w, "], MPLS Label {label}");
    // The tunnel's identifier: an address, and a second address or a
    // 32-bit number (read before the line is printed, as tcpdump does).
    let (a, b) = (p + 5, p + 9);
    let (first, second, number) = match t {
        4 | 5 => ("Sender", "P-Group", false),
        3 => ("Root-Node", "P-Group", false),
        6 => ("Tunnel-Endpoint", "", false),
        2 | 7 => ("Root-Node", "LSP-ID", true),
        1 => ("Extended-Tunnel-ID", "P2MP-ID", true),
        _ => {
            if v <= 1 {
                dump(w, m, a, len - 5, b"\n\t      ")?;
            }
            return Ok(());
        }
    };
    let addr = ipv4_at(m, a)?;
    let then = match (second, number) {
        ("", _) => String::new(),
        (label, true) => format!(", {label} 0x{:08x}", u32_at(m, b)?),
        (label, false) => format!(", {label} {}", ipv4_at(m, b)?),
    };
    out!(w, "\n\t      {first} {addr}{then}");
    Ok(())
}

/// The AIGP attribute's TLVs (RFC 7311): the metric of an AIGP TLV, the
/// bytes of others at `-v`.
fn aigp(w: &mut Vec<u8>, m: &[u8], p: usize, len: usize, v: u8) -> Res<()> {
    let (mut t, mut left) = (p, len);
    while left >= 3 {
        let (kind, tlen) = (u8_at(m, t)?, usize::from(u16_at(m, t + 1)?));
        t += 3;
        left -= 3;
        let label = if kind == 1 { "AIGP" } else { "Unknown" };
        out!(w, "\n\t    {label} TLV ({kind}), length {tlen}");
        let Some(body) = tlen.checked_sub(3) else {
            return Err(Truncated);
        };
        need(m, t, body)?;
        if left < body {
            return Err(Truncated);
        }
        if kind == 1 {
            if body < 8 {
                return Err(Truncated);
            }
            let metric = u64::from(u32_at(m, t)?) << 32 | u64::from(u32_at(m, t + 4)?);
            out!(w, ", metric {metric}");
        } else if v <= 1 {
            dump(w, m, t, body, b"\n\t      ")?;
        }
        t += body;
        left -= body;
    }
    Ok(())
}

/// ATTR_SET (RFC 6368): the origin AS, then the attributes it carries,
/// each printed as at the top but one step in; what is left of its length
/// when it stops early (tcpdump's `-vv` dump shows that many bytes).
fn attr_set(
    w: &mut Vec<u8>,
    m: &[u8],
    p: usize,
    len: usize,
    level: u8,
    v: u8,
) -> Result<usize, Stop> {
    if level > MAX_NESTING {
        w.extend_from_slice(b"(too many nested levels, not recursing)");
        return Ok(0);
    }
    need(m, p, 4)?;
    if len < 4 {
        return Err(Stop::Checked);
    }
    out!(w, "\n\t    Origin AS: {}", u32_at(m, p)?);
    let (mut t, mut left) = (p + 4, len - 4);
    while left != 0 {
        need(m, t, 2)?;
        if left < 2 {
            w.extend_from_slice(b" [path attr too short]");
            break;
        }
        let (flags, kind) = (u8_at(m, t)?, u8_at(m, t + 1)?);
        t += 2;
        left -= 2;
        let ll = len_len(flags);
        need(m, t, ll)?;
        if left < ll {
            w.extend_from_slice(b" [path attr too short]");
            break;
        }
        let alen = value_len(m, t, flags)?;
        t += ll;
        left -= ll;
        w.extend_from_slice(b"\n\t      ");
        put_header(w, kind, alen, flags);
        w.extend_from_slice(b": ");
        if left < alen {
            w.extend_from_slice(b" [path attr too short]");
            break;
        }
        print(w, m, kind, t, alen, level + 1, v)?;
        t += alen;
        left -= alen;
    }
    Ok(left)
}
