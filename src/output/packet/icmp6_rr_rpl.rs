//! Router renumbering (ICMPv6 138) and RPL (ICMPv6 155) in tcpdump's
//! words: a renumbering command's match-prefix and use-prefix parts (on
//! the default line too, one per line under `-vv`), RPL's DIO, DAO and
//! DAO-ACK fields under `-v` and their options under `-vv` (with the
//! option bodies in hex under `-vvv`). The fields come from
//! `decode::icmp6_rr_rpl`.

use super::hex::write_hex_indented;
use crate::decode::icmp::IcmpMessage;
use crate::decode::icmp6_rr_rpl::{RplItem, rpl_dao, rpl_options, rr_match, rr_use};
use std::io::{self, Write};

/// `router renumbering, command, seq=N[flags,seg=S,maxdelay=D]` and, for
/// a command, its match and use parts. `icmp`: the message as captured;
/// `code` and `seq`: its header's.
pub(super) fn write_rr(
    w: &mut Vec<u8>,
    m: &IcmpMessage<'_>,
    (code, seq): (u8, u32),
    icmp: &[u8],
    level: u8,
) -> io::Result<()> {
    let verbose = level > 0;
    let what = match code {
        0 => "command",
        1 => "result",
        255 => "sequence number reset",
        _ => "",
    };
    w.write_all(b"router renumbering, ")?;
    match what {
        "" => write!(w, "code-#{code}")?,
        what => w.write_all(what.as_bytes())?,
    }
    write!(w, ", seq={seq}")?;
    if let (true, Some(seg_flags), Some(delay), Some(rsvd)) =
        (verbose, m.body_u16(0), m.body_u16(2), m.body_u32(4))
    {
        w.write_all(b"[")?;
        let flags = seg_flags as u8;
        if flags != 0 {
            write_letters(
                w,
                flags,
                &[
                    (0x80, 'T'),
                    (0x40, 'R'),
                    (0x20, 'A'),
                    (0x10, 'S'),
                    (0x08, 'P'),
                ],
            )?;
            w.write_all(b",")?;
        }
        write!(w, "seg={},maxdelay={delay}", seg_flags >> 8)?;
        if rsvd != 0 {
            write!(w, "rsvd=0x{rsvd:x}")?;
        }
        w.write_all(b"]")?;
    }
    // Only a command carries prefix parts.
    if code != 0 {
        return Ok(());
    }
    let Some(mp) = rr_match(icmp) else {
        return w.write_all(b" [|icmp6]");
    };
    let sep: &[u8] = if level > 1 { b"\n\t" } else { b" " };
    w.write_all(sep)?;
    w.write_all(b"match(")?;
    match mp.code {
        1 => w.write_all(b"add")?,
        2 => w.write_all(b"change")?,
        3 => w.write_all(b"setglobal")?,
        c => write!(w, "#{c}")?,
    }
    if verbose {
        write!(w, ",ord={},min={},max={}", mp.ordinal, mp.minlen, mp.maxlen)?;
    }
    write!(w, ",{}/{})", mp.prefix, mp.matchlen)?;
    let Some(count) = mp.use_count() else {
        return w.write_all(b" [|icmp6]");
    };
    for i in 0..count {
        let Some(u) = rr_use(icmp, i) else {
            return w.write_all(b" [|icmp6]");
        };
        w.write_all(sep)?;
        w.write_all(b"use(")?;
        if u.flags != 0 {
            write_letters(w, u.flags, &[(0x80, 'V'), (0x40, 'P')])?;
            w.write_all(b",")?;
        }
        if verbose {
            write!(w, "mask=0x{:x},raflags=0x{:x},", u.ramask, u.raflags)?;
            write_time(w, "vltime", u.vltime)?;
            write_time(w, "pltime", u.pltime)?;
        }
        write!(w, "{}/{}/{})", u.prefix, u.uselen, u.keeplen)?;
    }
    Ok(())
}

/// The letters of the set bits, in table order.
fn write_letters(w: &mut Vec<u8>, bits: u8, names: &[(u8, char)]) -> io::Result<()> {
    for &(bit, c) in names {
        if bits & bit != 0 {
            write!(w, "{c}")?;
        }
    }
    Ok(())
}

/// `vltime=N,` (`infty` for all ones).
fn write_time(w: &mut Vec<u8>, name: &str, t: u32) -> io::Result<()> {
    match t {
        u32::MAX => write!(w, "{name}=infty,"),
        t => write!(w, "{name}={t},"),
    }
}

/// `RPL, (CLR)NAME` and, under `-v`, the DIO/DAO/DAO-ACK fields (`-vv`:
/// the options). `icmp`: the message as captured; `len`: its length on
/// the wire. Returns `true`
/// when tcpdump gave up on a field without a check of its own.
pub(super) fn write_rpl(
    w: &mut Vec<u8>,
    code: u8,
    icmp: &[u8],
    len: usize,
    level: u8,
) -> io::Result<bool> {
    // tcpdump does not decode the secured forms.
    if code & 0x80 != 0 {
        return w.write_all(b"RPL, (SEC) [worktodo]").map(|()| false);
    }
    w.write_all(b"RPL, (CLR)")?;
    let name = match code {
        0 => "DODAG Information Solicitation",
        1 => "DODAG Information Object",
        2 => "Destination Advertisement Object",
        3 => "Destination Advertisement Object Ack",
        _ => return write!(w, "RPL message, unknown code {code}").map(|()| false),
    };
    w.write_all(name.as_bytes())?;
    if level == 0 {
        return Ok(false);
    }
    let Some(m) = IcmpMessage::new_checked(icmp) else {
        // Cut inside the 8-byte header: a DIO's fields are read without
        // a check of tcpdump's own (once its length passed), a DAO's and
        // DAO-ACK's with one.
        return match code {
            1 if len >= 28 => w.write_all(b" [|icmp6]").map(|()| true),
            1 => write_dio_len(w, len).map(|_| false),
            2 | 3 => w.write_all(b" [|icmp6]").map(|()| false),
            _ => Ok(false),
        };
    };
    match code {
        1 => write_dio(w, &m, len, level),
        2 | 3 => write_dao(w, icmp, len, level, code == 3),
        _ => Ok(false),
    }
}

/// A router renumbering message cut before its 16-byte header ends:
/// tcpdump checks it before any field.
pub(super) fn write_rr_cut(w: &mut Vec<u8>, len: usize, level: u8) -> io::Result<()> {
    w.write_all(b"router renumbering [|icmp6]")?;
    if level == 0 {
        write!(w, ", length {len}")?;
    }
    Ok(())
}

/// ` [length N < 24] (invalid)` when a DIO is too short for its fields;
/// `true` when it is long enough.
fn write_dio_len(w: &mut Vec<u8>, len: usize) -> io::Result<bool> {
    let body_len = len.saturating_sub(4);
    if body_len < 24 {
        write!(w, " [length {body_len} < 24] (invalid)")?;
        return Ok(false);
    }
    Ok(true)
}

/// A DIO's fixed fields (RFC 6550 6.3.1): 24 bytes after the checksum.
fn write_dio(w: &mut Vec<u8>, m: &IcmpMessage<'_>, len: usize, level: u8) -> io::Result<bool> {
    if !write_dio_len(w, len)? {
        return Ok(false);
    }
    let (Some(dagid), Some(mopprf), Some(dtsn), Some(word)) =
        (m.body_ipv6(4), m.body_u8(0), m.body_u8(1), m.word())
    else {
        return w.write_all(b" [|icmp6]").map(|()| true);
    };
    let grounded = if mopprf & 0x80 != 0 { "grounded," } else { "" };
    write!(
        w,
        " [dagid:{dagid},seq:{dtsn},instance:{},rank:{},{grounded}mop:",
        word >> 24,
        word & 0xffff
    )?;
    match (mopprf >> 3) & 7 {
        0 => w.write_all(b"nonstoring")?,
        1 => w.write_all(b"storing")?,
        2 => w.write_all(b"nonstoring-multicast")?,
        3 => w.write_all(b"storing-multicast")?,
        n => write!(w, "mop{n}")?,
    }
    write!(w, ",prf:{}]", mopprf & 7)?;
    if level < 2 {
        return Ok(false);
    }
    write_options(w, m.body_from(20).unwrap_or_default(), len - 28, level)
}

/// A DAO's or DAO-ACK's fields and, under `-vv`, its options.
fn write_dao(w: &mut Vec<u8>, icmp: &[u8], len: usize, level: u8, ack: bool) -> io::Result<bool> {
    // tcpdump wants a DAO's 20 bytes after the checksum captured whatever
    // its flags say.
    let (Some((dao, start, opts)), true) = (rpl_dao(icmp, ack), ack || icmp.len() >= 24) else {
        return w.write_all(b" [|icmp6]").map(|()| false);
    };
    if len < start {
        let mark: &[u8] = if ack {
            b" [|dao-length too short]"
        } else {
            b" [|length too short]"
        };
        return w.write_all(mark).map(|()| false);
    }
    w.write_all(b" [dagid:")?;
    match dao.dagid {
        Some(id) => write!(w, "{id}")?,
        None => w.write_all(b"<elided>")?,
    }
    write!(w, ",seq:{},instance:{}", dao.seq, dao.instance)?;
    if ack {
        write!(w, ",status:{}]", dao.status)?;
    } else {
        if dao.flags & 0x80 != 0 {
            w.write_all(b",acK")?;
        }
        if dao.dagid.is_some() {
            w.write_all(b",Dagid")?;
        }
        write!(w, ",{:02x}]", dao.flags)?;
    }
    if level < 2 {
        return Ok(false);
    }
    write_options(w, opts, len - start, level)
}

/// tcpdump's name of an RPL option type.
fn option_name(kind: u8) -> Option<&'static str> {
    Some(match kind {
        1 => "padN",
        2 => "metrics",
        3 => "routinginfo",
        4 => "config",
        5 => "rpltarget",
        6 => "transitinfo",
        8 => "destprefix",
        9 => "rpltargetdesc",
        _ => return None,
    })
}

/// ` opt:NAME len:N ` per option (`-vvv`: its body in hex).
fn write_options(w: &mut Vec<u8>, captured: &[u8], wire: usize, level: u8) -> io::Result<bool> {
    let head = |w: &mut Vec<u8>, kind: u8, len: usize| match option_name(kind) {
        Some(name) => write!(w, " opt:{name} len:{len} "),
        None => write!(w, " opt:subopt:{kind} len:{len} "),
    };
    for item in rpl_options(captured, wire) {
        match item {
            RplItem::Pad1 => w.write_all(b" opt:pad1")?,
            RplItem::Opt { kind, len, data } => {
                head(w, kind, len)?;
                if level > 2 {
                    write_hex_indented(w, b" ", data)?;
                }
            }
            RplItem::CutBody { kind, len } => {
                head(w, kind, len)?;
                w.write_all(b" [|icmp6]")?;
            }
            RplItem::Short => w.write_all(b" [|icmp6]")?,
            RplItem::Missing => return w.write_all(b" [|icmp6]").map(|()| true),
        }
    }
    Ok(false)
}
