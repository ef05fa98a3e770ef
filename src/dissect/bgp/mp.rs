//! The multiprotocol attributes (RFC 4760): MP_REACH_NLRI (family, next
//! hops, SNPAs, NLRI) and MP_UNREACH_NLRI (family, withdrawn NLRI), for
//! every family tcpdump decodes: IPv4 and IPv6 unicast, multicast,
//! labeled unicast and L3VPN (the labeled prefixes are [`super::vpn`]'s),
//! IPv4 route-target constraint ([`super::rtc`]), MDT and multicast VPN
//! ([`super::mcast`]), NSAP unicast and VPN ([`super::nsap`]), VPLS and
//! layer-2 VPN ([`super::l2vpn`]). For the others (IPv6 MDT, multicast
//! VPN and route-target constraint, EVPN …) it prints `no AFI … decoder`
//! and the bytes, and so does this.

use super::super::ctl::{ipv4_at, out};
use super::super::dns::text::put_ipv6;
use super::names::{self, SAFIS, name};
use super::update::{Family, Prefix, has_path_ids, prefix, put_prefix, put_v4};
use super::vpn::{self, RD, put_rd};
use super::{dump, l2vpn, mcast, need, nsap, rtc};
use crate::dissect::wire::{Res, bytes_at, u8_at, u16_at, u32_at};
use crate::dissect::{Stop, Truncated, jumped};
use serde_json::{Map, Value, json};

/// How a family's NLRI and next hops are written: IPv4 or IPv6 prefixes,
/// plain, after a label (SAFI 4), or after a label and a route
/// distinguisher (SAFIs 128-130, whose next hops carry an RD too); or one
/// of the other families' routes, their next hops IPv4 addresses but for
/// NSAP's.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Plain,
    Labeled,
    Vpn,
    RouteTarget,
    Mdt,
    Mvpn,
    Nsap,
    NsapVpn,
    L2vpn,
}

/// What an NLRI entry's printer found where it looked.
pub(super) enum Entry {
    /// A length the family does not allow: tcpdump says `(illegal prefix
    /// length)` and ends the attribute.
    Illegal,
    /// Fewer bytes left in the attribute than the entry: tcpdump ends the
    /// attribute there without a word.
    Short,
    /// An entry of this many bytes, its text written.
    Read(usize),
}

/// One multiprotocol attribute: the message it is in, where its value
/// starts, the value's length, and the family it carries.
#[derive(Clone, Copy)]
struct Attr<'a> {
    m: &'a [u8],
    p: usize,
    len: usize,
    f: Family,
    kind: Kind,
}

impl Attr<'_> {
    fn end(&self) -> usize {
        self.p + self.len
    }
}

/// `AFI: IPv6 (2), SAFI: Unicast (1)`; the family when this printer
/// decodes it, else tcpdump's `no AFI … decoder` and the bytes.
fn family<'a>(w: &mut Vec<u8>, m: &'a [u8], p: usize, len: usize, v: u8) -> Res<Option<Attr<'a>>> {
    let (afi, safi) = (u16_at(m, p)?, u8_at(m, p + 2)?);
    out!(
        w,
        "\n\t    AFI: {} ({afi}), {}SAFI: {} ({safi})",
        names::afi(afi, "Unknown AFI"),
        if safi > 128 { "vendor specific " } else { "" },
        name(SAFIS, safi, "Unknown SAFI")
    );
    let Some((f, kind)) = decoded(afi, safi) else {
        need(m, p, len)?;
        out!(w, "\n\t    no AFI {afi} / SAFI {safi} decoder");
        if v <= 1 {
            dump(w, m, p, len, b"\n\t    ")?;
        }
        return Ok(None);
    };
    Ok(Some(Attr { m, p, len, f, kind }))
}

/// The families this printer decodes (tcpdump's list).
fn decoded(afi: u16, safi: u8) -> Option<(Family, Kind)> {
    let f = if afi == 2 { Family::V6 } else { Family::V4 };
    let kind = match (afi, safi) {
        (1 | 2, 1..=3) => Kind::Plain,
        (1 | 2, 4) => Kind::Labeled,
        (1 | 2, 128..=130) => Kind::Vpn,
        (1, 132) => Kind::RouteTarget,
        (1, 66) => Kind::Mdt,
        (1, 5) => Kind::Mvpn,
        (3, 1..=3) => Kind::Nsap,
        (3, 128..=130) => Kind::NsapVpn,
        (25, 65) | (196, 128..=130) => Kind::L2vpn,
        _ => return None,
    };
    Some((f, kind))
}

/// An MP_REACH_NLRI (`reach`) or MP_UNREACH_NLRI of `len` bytes at `p`
/// for `--json`, pushed to `list`: its family and, for the families
/// decoded, its NLRI (with ADD-PATH identifiers where the printer finds
/// them, labels, RDs, and each other family's own fields), as far as
/// they read.
pub(super) fn json(list: &mut Vec<Value>, m: &[u8], p: usize, len: usize, reach: bool) -> Res<()> {
    let (afi, safi) = (u16_at(m, p)?, u8_at(m, p + 2)?);
    let mut o = Map::new();
    o.insert("afi".into(), json!(afi));
    o.insert("safi".into(), json!(safi));
    let read = match decoded(afi, safi) {
        Some((f, kind)) => {
            let mut nlri = Vec::new();
            let a = Attr { m, p, len, f, kind };
            let read = json_nlri(&mut nlri, a, reach);
            o.insert("nlri".into(), Value::Array(nlri));
            read
        }
        None => Ok(()),
    };
    list.push(Value::Object(o));
    read
}

fn json_nlri(nlri: &mut Vec<Value>, a: Attr<'_>, reach: bool) -> Res<()> {
    let m = a.m;
    let mut t = a.p + 3;
    if reach {
        t += 1 + usize::from(u8_at(m, t)?);
        let snpas = u8_at(m, t)?;
        t += 1;
        for _ in 0..snpas {
            t += 1 + usize::from(u8_at(m, t)?);
        }
    }
    let end = a.end();
    let add_path =
        a.kind == Kind::Plain && has_path_ids(m, t, end.saturating_sub(t), a.f.max_len());
    while t < end {
        let (entry, n) = match a.kind {
            Kind::Plain => {
                let (id, at) = if add_path {
                    (Some(u32_at(m, t)?), t + 4)
                } else {
                    (None, t)
                };
                let Prefix::Read(n) = prefix(m, at, end.saturating_sub(at), a.f)? else {
                    return Err(Truncated);
                };
                let mut text = Vec::new();
                put_prefix(&mut text, m, at, a.f)?;
                let mut e = json!({"prefix": String::from_utf8_lossy(&text)});
                if let (Some(id), Some(o)) = (id, e.as_object_mut()) {
                    o.insert("path_id".into(), json!(id));
                }
                (e, at - t + n)
            }
            Kind::Labeled => vpn::json(m, t, a.f, false)?,
            Kind::Vpn => vpn::json(m, t, a.f, true)?,
            _ => json_route(a, t)?,
        };
        nlri.push(entry);
        t += n;
    }
    Ok(())
}

/// A route of the other families for `--json`: its text as printed
/// (`route`) and the fields of its kind.
fn json_route(a: Attr<'_>, t: usize) -> Res<(Value, usize)> {
    let (m, mut text) = (a.m, Vec::new());
    let Entry::Read(n) = entry(&mut text, a, t)? else {
        return Err(Truncated);
    };
    let mut o = Map::new();
    o.insert("route".into(), json!(String::from_utf8_lossy(&text)));
    let rd = |at| -> Res<Value> {
        let mut rd = Vec::new();
        put_rd(&mut rd, m, at)?;
        Ok(json!(String::from_utf8_lossy(&rd)))
    };
    match a.kind {
        Kind::RouteTarget if u8_at(m, t)? >= 32 => {
            o.insert("origin_as".into(), json!(u32_at(m, t + 1)?));
        }
        Kind::Mdt => {
            o.insert("rd".into(), rd(t + 1)?);
            o.insert("address".into(), json!(ipv4_at(m, t + 1 + RD)?.to_string()));
            o.insert("group".into(), json!(ipv4_at(m, t + 5 + RD)?.to_string()));
        }
        Kind::Mvpn => {
            let kind = u8_at(m, t)?;
            o.insert("route_type".into(), json!(kind));
            if let Some(n) = names::name_opt(names::MVPN_ROUTES, kind) {
                o.insert("route_type_name".into(), json!(n));
            }
            if matches!(kind, 1..=3 | 5..=7) {
                o.insert("rd".into(), rd(t + 2)?);
            }
        }
        Kind::NsapVpn => {
            let field = u32::from(u16_at(m, t + 1)?) << 8 | u32::from(u8_at(m, t + 3)?);
            o.insert("rd".into(), rd(t + 4)?);
            o.insert("label".into(), json!(field >> 4));
            o.insert("bottom_of_stack".into(), json!(field & 1 == 1));
        }
        Kind::L2vpn => {
            o.insert("rd".into(), rd(t + 2)?);
            if n == 14 {
                o.insert("bgp_nexthop".into(), json!(ipv4_at(m, t + 10)?.to_string()));
            } else {
                o.insert("ce_id".into(), json!(u16_at(m, t + 10)?));
                o.insert("label_block_offset".into(), json!(u16_at(m, t + 12)?));
                let base = u32::from(u16_at(m, t + 14)?) << 8 | u32::from(u8_at(m, t + 16)?);
                o.insert("label_base".into(), json!(base >> 4));
            }
        }
        _ => {}
    }
    Ok((Value::Object(o), n))
}

pub(super) fn reach(w: &mut Vec<u8>, m: &[u8], p: usize, len: usize, v: u8) -> Result<(), Stop> {
    need(m, p, 3)?;
    // tcpdump gives up on a reach attribute too short for its family.
    if len < 3 {
        return Err(Stop::Checked);
    }
    let Some(a) = family(w, m, p, len, v)? else {
        return Ok(());
    };
    // tcpdump counts what is left of the attribute (`tlen`) as it goes.
    let mut t = p + 3;
    let mut left = len - 3;
    need(m, t, 1)?;
    if left < 1 {
        return Err(Stop::Checked);
    }
    let nh_len = usize::from(u8_at(m, t)?);
    t += 1;
    left -= 1;
    need(m, t, nh_len)?;
    if nh_len != 0 {
        // Next hops longer than the attribute's rest: tcpdump's `badtlv`.
        if left < nh_len {
            return Err(Stop::Checked);
        }
        w.extend_from_slice(b"\n\t    nexthop: ");
        next_hops(w, a, t, nh_len)?;
        t += nh_len;
        left -= nh_len;
    }
    out!(w, ", nh-length: {nh_len}");
    if left < 1 {
        return Err(Stop::Checked);
    }
    let snpas = u8_at(m, t).map_err(jumped)?;
    t += 1;
    left -= 1;
    if snpas != 0 {
        out!(w, "\n\t    {snpas} SNPA");
        for _ in 0..snpas {
            if left < 1 {
                return Err(Stop::Checked);
            }
            let n = usize::from(u8_at(m, t).map_err(jumped)?);
            out!(w, "\n\t      {n} bytes");
            t += 1;
            left -= 1;
            if left < n {
                return Err(Stop::Checked);
            }
            need(m, t, n)?;
            t += n;
            left -= n;
        }
    } else {
        w.extend_from_slice(b", no SNPA");
    }
    prefixes(w, a, t)
}

/// The next hops in `nh_len` bytes at `t`: one NSAP (with an RD for the
/// VPN family), else addresses of the family (after an RD each for
/// L3VPN), `invalid len` for a rest too short for one.
fn next_hops(w: &mut Vec<u8>, a: Attr<'_>, mut t: usize, nh_len: usize) -> Result<(), Stop> {
    let m = a.m;
    match a.kind {
        Kind::Nsap => return nsap::next_hop(w, m, t, nh_len),
        Kind::NsapVpn => return nsap::vpn_next_hop(w, m, t, nh_len),
        _ => {}
    }
    let rd = if a.kind == Kind::Vpn { RD } else { 0 };
    let size = rd + if a.f == Family::V4 { 4 } else { 16 };
    let mut left = nh_len;
    let mut first = true;
    while left != 0 {
        if !first {
            w.extend_from_slice(b", ");
        }
        first = false;
        if left < size {
            w.extend_from_slice(b"invalid len");
            left = 0;
        } else {
            if rd != 0 {
                w.extend_from_slice(b"RD: ");
                put_rd(w, m, t)?;
                w.extend_from_slice(b", ");
            }
            match a.f {
                Family::V4 => put_v4(w, m, t + rd)?,
                Family::V6 => put_ipv6(w, &bytes_at::<16>(m, t + rd)?),
            }
            left -= size;
            t += size;
        }
    }
    Ok(())
}

pub(super) fn unreach(w: &mut Vec<u8>, m: &[u8], p: usize, len: usize, v: u8) -> Result<(), Stop> {
    need(m, p, 3)?;
    let Some(a) = family(w, m, p, len, v)? else {
        return Ok(());
    };
    if len == 3 {
        w.extend_from_slice(b"\n\t      End-of-Rib Marker (empty NLRI)");
    }
    prefixes(w, a, p + 3)
}

/// The NLRI from `t` to the attribute's end, each read as tcpdump reads
/// it; path identifiers when the lengths say so. tcpdump reads a
/// prefix's length and bytes before it compares them with what is left
/// of the attribute: a read past the capture is its `longjmp`
/// (`Stop::Jumped`), a prefix longer than the attribute but captured its
/// own stop.
fn prefixes(w: &mut Vec<u8>, a: Attr<'_>, mut t: usize) -> Result<(), Stop> {
    if a.kind != Kind::Plain {
        return entries(w, a, t);
    }
    let (m, f, len) = (a.m, a.f, a.len);
    let rest = len.wrapping_sub(t - a.p);
    let add_path = has_path_ids(m, t, rest, f.max_len());
    while t < a.end() {
        let mut id = 0;
        let at = if add_path {
            id = u32_at(m, t).map_err(jumped)?;
            t + 4
        } else {
            t
        };
        // tcpdump's count: -1 for an illegal length, plus the identifier's
        // 4 bytes (so it goes on past an illegal length after one).
        let mut advance: isize = match prefix(m, at, len, f).map_err(jumped)? {
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

/// The NLRI of the families other than plain prefixes, from `t` to the
/// attribute's end (no path identifiers: tcpdump looks for them in plain
/// prefixes only).
fn entries(w: &mut Vec<u8>, a: Attr<'_>, mut t: usize) -> Result<(), Stop> {
    while t < a.end() {
        let mut text = Vec::new();
        match entry(&mut text, a, t)? {
            Entry::Illegal => {
                // The route-target printer says it one level deeper.
                w.extend_from_slice(if a.kind == Kind::RouteTarget {
                    b"\n\t      (illegal prefix length)"
                } else {
                    b"\n\t    (illegal prefix length)"
                });
                break;
            }
            Entry::Short => break,
            Entry::Read(n) => {
                w.extend_from_slice(b"\n\t      ");
                w.extend_from_slice(&text);
                t += n;
            }
        }
    }
    Ok(())
}

/// One NLRI entry at `t`, its text written to `w` (nothing when it
/// stops).
fn entry(w: &mut Vec<u8>, a: Attr<'_>, t: usize) -> Result<Entry, Stop> {
    let m = a.m;
    match a.kind {
        Kind::Plain => Ok(match prefix(m, t, a.len, a.f).map_err(jumped)? {
            Prefix::Illegal => Entry::Illegal,
            Prefix::Short => Entry::Short,
            Prefix::Read(n) => {
                put_prefix(w, m, t, a.f)?;
                Entry::Read(n)
            }
        }),
        Kind::Labeled => vpn::labeled(w, m, t, a.len, a.f),
        Kind::Vpn => vpn::vpn(w, m, t, a.f),
        Kind::RouteTarget => rtc::route(w, m, t),
        Kind::Mdt => mcast::mdt(w, m, t),
        Kind::Mvpn => mcast::mvpn(w, m, t),
        Kind::Nsap => nsap::prefix(w, m, t),
        Kind::NsapVpn => nsap::vpn_prefix(w, m, t),
        Kind::L2vpn => l2vpn::route(w, m, t),
    }
}

#[cfg(test)]
mod tests {
    use super::super::BGP;

    /// An UPDATE holding one MP_UNREACH_NLRI of `afi`/`safi` and `nlri`.
    fn unreach(afi: u8, safi: u8, nlri: &[u8]) -> Vec<u8> {
        let attr = [&[0x80, 15, 3 + nlri.len() as u8, 0, afi, safi][..], nlri].concat();
        let body = [&[0, 0, 0, attr.len() as u8][..], &attr].concat();
        let mut m = vec![0xff; 16];
        m.extend_from_slice(&[0, 19 + body.len() as u8, 2]);
        m.extend_from_slice(&body);
        m
    }

    #[test]
    fn test_route_target_default_and_illegal_length() {
        let m = unreach(1, 132, &[0, 31, 0, 0, 0, 1]);
        let text = BGP.printed(&m, 1);
        assert!(text.ends_with("\n\t      default route target\n\t      (illegal prefix length)"));
    }

    #[test]
    fn test_clnp_prefix_read_three_bytes_late() {
        // The next entry starts after the length and 2 bytes: at 0xcc.
        let m = unreach(3, 1, &[16, 0xaa, 0xbb, 0xcc, 0x49, 0x01]);
        assert!(
            BGP.printed(&m, 1)
                .ends_with("\n\t      49.01/16\n\t    (illegal prefix length)")
        );
    }

    #[test]
    fn test_malformed_intra_as_route_shorter_than_its_rd() {
        let m = unreach(1, 5, &[1, 1, 0, 9, 0, 0, 0, 0, 0, 0]);
        assert!(BGP.printed(&m, 1).contains(
            "\n\t      Route-Type: Intra-AS I-PMSI (1), length: 1, RD: unknown RD format, \
             Originator bogus address length 4294967240\n"
        ));
    }

    #[test]
    fn test_truncated_mdt_route_reads_past_the_capture() {
        let m = unreach(1, 66, &[128, 0, 0, 0, 1, 0, 0, 0, 7, 10, 0]);
        assert!(BGP.printed(&m, 1).ends_with("MDT (66) [|bgp]"));
    }
}
