//! The multiprotocol attributes (RFC 4760): MP_REACH_NLRI (family, next
//! hops, SNPAs, prefixes) and MP_UNREACH_NLRI (family, withdrawn
//! prefixes), for IPv4 and IPv6 unicast, multicast, labeled unicast and
//! L3VPN (the labeled prefixes are [`super::vpn`]'s). For the families
//! tcpdump does not decode it prints `no AFI … decoder` and the bytes;
//! the NSAP, L2VPN, MDT, multicast-VPN and route-target families it does
//! decode are not written here yet (the line then shows the bytes as for
//! an unknown one).

use super::super::ctl::out;
use super::super::dns::text::put_ipv6;
use super::names::{self, SAFIS, name};
use super::update::{Family, Prefix, has_path_ids, prefix, put_prefix, put_v4};
use super::vpn::{self, Labeled, RD, put_rd};
use super::{dump, need};
use crate::dissect::wire::{Res, bytes_at, u8_at, u16_at, u32_at};
use crate::dissect::{Stop, Truncated};
use serde_json::{Map, Value, json};

/// How a family's prefixes are written: plain, after a label (SAFI 4), or
/// after a label and a route distinguisher (SAFIs 128-130), whose next
/// hops carry an RD too.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Plain,
    Labeled,
    Vpn,
}

/// `AFI: IPv6 (2), SAFI: Unicast (1)`; the family when this printer
/// decodes it, else tcpdump's `no AFI … decoder` and the bytes.
fn family(w: &mut Vec<u8>, m: &[u8], p: usize, len: usize, v: u8) -> Res<Option<(Family, Kind)>> {
    let (afi, safi) = (u16_at(m, p)?, u8_at(m, p + 2)?);
    out!(
        w,
        "\n\t    AFI: {} ({afi}), {}SAFI: {} ({safi})",
        names::afi(afi, "Unknown AFI"),
        if safi > 128 { "vendor specific " } else { "" },
        name(SAFIS, safi, "Unknown SAFI")
    );
    let Some(found) = decoded(afi, safi) else {
        need(m, p, len)?;
        out!(w, "\n\t    no AFI {afi} / SAFI {safi} decoder");
        if v <= 1 {
            dump(w, m, p, len, b"\n\t    ")?;
        }
        return Ok(None);
    };
    Ok(Some(found))
}

/// The families this printer decodes.
fn decoded(afi: u16, safi: u8) -> Option<(Family, Kind)> {
    let f = if afi == 2 { Family::V6 } else { Family::V4 };
    let kind = match (afi, safi) {
        (1 | 2, 1..=3) => Kind::Plain,
        (1 | 2, 4) => Kind::Labeled,
        (1 | 2, 128..=130) => Kind::Vpn,
        _ => return None,
    };
    Some((f, kind))
}

/// An MP_REACH_NLRI (`reach`) or MP_UNREACH_NLRI of `len` bytes at `p`
/// for `--json`, pushed to `list`: its family and, for the families
/// decoded, its prefixes (with ADD-PATH identifiers where the printer
/// finds them), labels and RDs, as far as they read.
pub(super) fn json(list: &mut Vec<Value>, m: &[u8], p: usize, len: usize, reach: bool) -> Res<()> {
    let (afi, safi) = (u16_at(m, p)?, u8_at(m, p + 2)?);
    let mut o = Map::new();
    o.insert("afi".into(), json!(afi));
    o.insert("safi".into(), json!(safi));
    let read = match decoded(afi, safi) {
        Some((f, kind)) => {
            let mut nlri = Vec::new();
            let read = json_nlri(&mut nlri, m, p, len, reach, f, kind);
            o.insert("nlri".into(), Value::Array(nlri));
            read
        }
        None => Ok(()),
    };
    list.push(Value::Object(o));
    read
}

fn json_nlri(
    nlri: &mut Vec<Value>,
    m: &[u8],
    p: usize,
    len: usize,
    reach: bool,
    f: Family,
    kind: Kind,
) -> Res<()> {
    let mut t = p + 3;
    if reach {
        t += 1 + usize::from(u8_at(m, t)?);
        let snpas = u8_at(m, t)?;
        t += 1;
        for _ in 0..snpas {
            t += 1 + usize::from(u8_at(m, t)?);
        }
    }
    let end = p + len;
    let add_path = kind == Kind::Plain && has_path_ids(m, t, end.saturating_sub(t), f.max_len());
    while t < end {
        let (entry, n) = match kind {
            Kind::Plain => {
                let (id, at) = if add_path {
                    (Some(u32_at(m, t)?), t + 4)
                } else {
                    (None, t)
                };
                let Prefix::Read(n) = prefix(m, at, end.saturating_sub(at), f)? else {
                    return Err(Truncated);
                };
                let mut text = Vec::new();
                put_prefix(&mut text, m, at, f)?;
                let mut e = json!({"prefix": String::from_utf8_lossy(&text)});
                if let (Some(id), Some(o)) = (id, e.as_object_mut()) {
                    o.insert("path_id".into(), json!(id));
                }
                (e, at - t + n)
            }
            Kind::Labeled => vpn::json(m, t, f, false)?,
            Kind::Vpn => vpn::json(m, t, f, true)?,
        };
        nlri.push(entry);
        t += n;
    }
    Ok(())
}

pub(super) fn reach(w: &mut Vec<u8>, m: &[u8], p: usize, len: usize, v: u8) -> Result<(), Stop> {
    need(m, p, 3)?;
    // tcpdump gives up on a reach attribute too short for its family.
    if len < 3 {
        return Err(Stop::Checked);
    }
    let Some((f, kind)) = family(w, m, p, len, v)? else {
        return Ok(());
    };
    let mut t = p + 3;
    let nh_len = usize::from(u8_at(m, t)?);
    t += 1;
    need(m, t, nh_len)?;
    // Next hops longer than the attribute's rest: tcpdump's `badtlv`.
    if nh_len != 0 && len.wrapping_sub(4) < nh_len {
        return Err(Stop::Checked);
    }
    if nh_len != 0 {
        w.extend_from_slice(b"\n\t    nexthop: ");
        let rd = if kind == Kind::Vpn { RD } else { 0 };
        let size = rd + if f == Family::V4 { 4 } else { 16 };
        let mut left = nh_len;
        let mut first = true;
        while left != 0 {
            if !first {
                w.extend_from_slice(b", ");
            }
            first = false;
            if left < size {
                w.extend_from_slice(b"invalid len");
                t += left;
                left = 0;
            } else {
                if rd != 0 {
                    w.extend_from_slice(b"RD: ");
                    put_rd(w, m, t)?;
                    w.extend_from_slice(b", ");
                }
                match f {
                    Family::V4 => put_v4(w, m, t + rd)?,
                    Family::V6 => put_ipv6(w, &bytes_at::<16>(m, t + rd)?),
                }
                left -= size;
                t += size;
            }
        }
    }
    out!(w, ", nh-length: {nh_len}");
    need(m, t, 1)?;
    let snpas = u8_at(m, t)?;
    t += 1;
    if snpas != 0 {
        out!(w, "\n\t    {snpas} SNPA");
        for _ in 0..snpas {
            need(m, t, 1)?;
            let n = usize::from(u8_at(m, t)?);
            out!(w, "\n\t      {n} bytes");
            t += 1;
            need(m, t, n)?;
            t += n;
        }
    } else {
        w.extend_from_slice(b", no SNPA");
    }
    prefixes(w, m, p, t, len, f, kind)
}

pub(super) fn unreach(w: &mut Vec<u8>, m: &[u8], p: usize, len: usize, v: u8) -> Result<(), Stop> {
    need(m, p, 3)?;
    let Some((f, kind)) = family(w, m, p, len, v)? else {
        return Ok(());
    };
    if len == 3 {
        w.extend_from_slice(b"\n\t      End-of-Rib Marker (empty NLRI)");
    }
    prefixes(w, m, p, p + 3, len, f, kind)
}

/// The prefixes from `t` to the attribute's end (`len` bytes from `p`),
/// each read within `len` as tcpdump reads them; path identifiers when
/// the lengths say so. tcpdump reads a prefix's length and bytes before
/// it compares them with what is left of the attribute: a read past the
/// capture is its `longjmp` (`Stop::Jumped`), a prefix longer than the
/// attribute but captured its own stop.
fn prefixes(
    w: &mut Vec<u8>,
    m: &[u8],
    p: usize,
    mut t: usize,
    len: usize,
    f: Family,
    kind: Kind,
) -> Result<(), Stop> {
    if kind != Kind::Plain {
        return labeled_prefixes(w, m, p, t, len, f, kind);
    }
    let rest = len.wrapping_sub(t - p);
    let add_path = has_path_ids(m, t, rest, f.max_len());
    while t < p + len {
        let mut id = 0;
        let at = if add_path {
            id = u32_at(m, t).map_err(|_| Stop::Jumped)?;
            t + 4
        } else {
            t
        };
        // tcpdump's count: -1 for an illegal length, plus the identifier's
        // 4 bytes (so it goes on past an illegal length after one).
        let mut advance: isize = match prefix(m, at, len, f).map_err(|_| Stop::Jumped)? {
            Prefix::Illegal => {
                w.extend_from_slice(b"\n\t    (illegal prefix length)");
                -1
            }
            Prefix::Short => {
                let bytes = usize::from(u8_at(m, at)?).div_ceil(8);
                return Err(match need(m, at + 1, bytes) {
                    Ok(()) => Stop::Checked,
                    Err(_) => Stop::Jumped,
                });
            }
            Prefix::Read(n) => {
                w.extend_from_slice(b"\n\t      ");
                put_prefix(w, m, at, f)?;
                n.try_into().map_err(|_| Truncated)?
            }
        };
        if add_path {
            out!(w, "   Path Id: {id}");
            advance += 4;
        }
        match usize::try_from(advance) {
            Ok(n) => t += n,
            Err(_) => break,
        }
    }
    Ok(())
}

/// The labeled or VPN prefixes from `t` to the attribute's end, as
/// [`prefixes`] for these families (no path identifiers: tcpdump looks
/// for them in plain prefixes only).
fn labeled_prefixes(
    w: &mut Vec<u8>,
    m: &[u8],
    p: usize,
    mut t: usize,
    len: usize,
    f: Family,
    kind: Kind,
) -> Result<(), Stop> {
    while t < p + len {
        let mut text = Vec::new();
        let read = if kind == Kind::Vpn {
            vpn::vpn(&mut text, m, t, f)?
        } else {
            vpn::labeled(&mut text, m, t, len, f)?
        };
        match read {
            Labeled::Illegal => {
                w.extend_from_slice(b"\n\t    (illegal prefix length)");
                break;
            }
            Labeled::Short => break,
            Labeled::Read(n) => {
                w.extend_from_slice(b"\n\t      ");
                w.extend_from_slice(&text);
                t += n;
            }
        }
    }
    Ok(())
}
