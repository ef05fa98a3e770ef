//! SCTP (IP protocol 132, RFC 9260) as `tcpdump -n` prints it: the ports,
//! then the chunk list — `sctp (1) [INIT] [init tag: 3127] [rwnd: 106496]
//! [OS: 10] [MIS: 65535] [init TSN: 11] , (2) [DATA] (B)(E) [TSN: 1] …`,
//! one chunk a line at `-vv`, with a DATA chunk's payload in hex and ASCII
//! and a SACK's gap blocks and duplicate TSNs. Bad chunk lengths are named
//! as tcpdump names them. A DATA chunk's payload goes to tcpdump's own
//! sub-printers: ForCES ([`super::forces`]) at every level when a port is
//! a ForCES channel or a chunk's PPID a ForCES one (from that chunk on, as
//! tcpdump's flag stays set), M3UA ([`super::m3ua`]) at `-vv` for PPID 3.

use super::ctl::{json_object_with_list, line_is_level_0, out, put_hex_ascii, tok};
use super::wire::{Res, u8_at, u16_at, u32_at};
use super::{Dissector, IpContext, Payload, Truncated};
use super::{forces, m3ua};
use serde_json::{Map, Value, json};

pub static SCTP: Dissector = Dissector::new("sctp", line, verbose, to_json, looks_like_sctp);

fn looks_like_sctp(m: &[u8]) -> bool {
    m.len() >= 16
}

const CHUNKS: &[(u8, &str)] = &[
    (0x00, "DATA"),
    (0x01, "INIT"),
    (0x02, "INIT ACK"),
    (0x03, "SACK"),
    (0x04, "HB REQ"),
    (0x05, "HB ACK"),
    (0x06, "ABORT"),
    (0x07, "SHUTDOWN"),
    (0x08, "SHUTDOWN ACK"),
    (0x09, "OP ERR"),
    (0x0a, "COOKIE ECHO"),
    (0x0b, "COOKIE ACK"),
    (0x0c, "ECN ECHO"),
    (0x0d, "ECN CWR"),
    (0x0e, "SHUTDOWN COMPLETE"),
    (0xc0, "FOR CUM TSN"),
    (0xc1, "REL CTRL"),
    (0xc2, "REL CTRL ACK"),
];

const PPIDS: &[(u32, &str)] = &[
    (1, "ISDN Q.921"),
    (2, "M2UA"),
    (3, "M3UA"),
    (4, "SUA"),
    (5, "M2PA"),
    (6, "V5.2"),
    (7, "H.248"),
    (8, "BICC"),
    (9, "TALI"),
    (10, "DUA"),
    (11, "ASAP"),
    (12, "ENRP"),
    (13, "H.323"),
    (14, "Q.IPC"),
    (15, "SIMCO"),
    (16, "DDPSC"),
    (17, "DDPSSC"),
    (18, "S1AP"),
    (19, "RUA"),
    (20, "HNBAP"),
    (21, "ForCES HP"),
    (22, "ForCES MP"),
    (23, "ForCES LP"),
    (24, "SBc-AP"),
    (25, "NBAP"),
    (27, "X2AP"),
];

const PPID_M3UA: u32 = 3;

const COMMON_HEADER: usize = 12;

line_is_level_0!();

/// Whether the line printer puts the addresses and ports before `sctp`:
/// tcpdump prints them only once the common header is there.
pub fn has_header(p: &Payload<'_>) -> bool {
    p.declared_len >= COMMON_HEADER && p.bytes.len() >= COMMON_HEADER
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    print(w, p, v, true).map(drop)
}

/// Whether a cut line ended with tcpdump's `longjmp`: SCTP checks each
/// chunk whole before reading it, but the ForCES printer reads past the
/// capture unchecked and M3UA's checks end the packet.
pub(super) fn cut_jumps(p: &Payload<'_>, w: &[u8], v: u8) -> bool {
    (w.ends_with(forces::CUT) || w.ends_with(m3ua::CUT))
        && print(&mut Vec::new(), p, v, true) == Ok(true)
}

/// The line with the IP header's context: under `-x`/`-X` a DATA chunk's
/// payload is `[Payload]` alone at `-vv` (its dump is tcpdump's default
/// print, which they replace).
pub(super) fn with_ip(w: &mut Vec<u8>, p: &Payload<'_>, ip: &IpContext, v: u8) -> Res<()> {
    print(w, p, v, ip.default_print).map(drop)
}

/// The packet's line; `Ok(true)` when the ForCES printer read past the
/// capture (its mark written, the rest of the packet not printed).
fn print(w: &mut Vec<u8>, p: &Payload<'_>, v: u8, default_print: bool) -> Res<bool> {
    let (m, len) = (p.bytes, p.declared_len);
    if len < COMMON_HEADER {
        out!(w, "truncated-sctp - {} bytes missing!", COMMON_HEADER - len);
        return Ok(false);
    }
    if m.len() < COMMON_HEADER {
        return Err(Truncated);
    }
    let (sport, dport) = (u16_at(m, 0)?, u16_at(m, 2)?);
    w.extend_from_slice(b"sctp");
    let mut is_forces = false;
    for port in [sport, dport] {
        if let Some(name) = tok(forces::PORTS, port) {
            out!(w, "[{name}]");
            is_forces = true;
        }
    }
    // The counters wrap as tcpdump's unsigned ones do.
    let mut remaining = (len - COMMON_HEADER) as u32;
    let mut at = COMMON_HEADER;
    let mut sep = if v >= 2 { "\n\t" } else { " (" };
    let mut n = 0u32;
    while remaining != 0 {
        n += 1;
        if remaining < 4 {
            out!(w, "{sep}{n}) [chunk descriptor cut off at end of packet]");
            break;
        }
        let start = at;
        let chunk_len = u16_at(m, at + 2)?;
        u8_at(m, at + 1)?;
        if chunk_len < 4 {
            out!(
                w,
                "{sep}{n}) [Bad chunk length {chunk_len}, < size of chunk descriptor]"
            );
            break;
        }
        let align = (4 - u32::from(chunk_len) % 4) % 4;
        if remaining < align {
            out!(
                w,
                "{sep}{n}) [Bad chunk length {chunk_len}, > remaining data in packet]"
            );
            break;
        }
        if m.len() < at + usize::from(chunk_len) {
            return Err(Truncated);
        }
        at += 4;
        remaining = remaining.wrapping_sub(4);
        let mut left = chunk_len - 4;
        out!(w, "{sep}{n}) ");
        let id = u8_at(m, start)?;
        match tok(CHUNKS, id) {
            Some(name) => out!(w, "[{name}] "),
            None => out!(w, "[Unknown chunk type: 0x{id:x}] "),
        }
        let bogus = |w: &mut Vec<u8>| out!(w, "bogus chunk length {chunk_len}]");
        match id {
            0x00 => {
                let flags = u8_at(m, start + 1)?;
                for (bit, mark) in [(4, "(U)"), (2, "(B)"), (1, "(E)")] {
                    if flags & bit != 0 {
                        w.extend_from_slice(mark.as_bytes());
                    }
                }
                if flags & 7 != 0 {
                    w.push(b' ');
                }
                if left < 12 {
                    bogus(w);
                    return Ok(false);
                }
                let ppid = u32_at(m, at + 8)?;
                out!(w, "[TSN: {}] ", u32_at(m, at)?);
                out!(w, "[SID: {}] ", u16_at(m, at + 4)?);
                out!(w, "[SSEQ {}] ", u16_at(m, at + 6)?);
                match tok(PPIDS, ppid) {
                    Some(name) => out!(w, "[PPID {name}] "),
                    None => out!(w, "[PPID 0x{ppid:x}] "),
                }
                is_forces |= forces::is_forces_ppid(ppid);
                at += 12;
                remaining = remaining.wrapping_sub(12);
                left -= 12;
                let size = left;
                if size == 0 {
                    bogus(w);
                    return Ok(false);
                }
                if is_forces {
                    if forces::print(w, m, at, usize::from(size), v).is_err() {
                        w.extend_from_slice(forces::CUT);
                        return Ok(true);
                    }
                } else if v >= 2 && ppid == PPID_M3UA {
                    if m3ua::print(w, m, at, usize::from(size)).is_err() {
                        w.extend_from_slice(m3ua::CUT);
                        return Ok(true);
                    }
                } else if v >= 2 && default_print {
                    w.extend_from_slice(b"[Payload:");
                    put_hex_ascii(w, m, at, usize::from(size), "\n\t")?;
                    w.push(b']');
                } else if v >= 2 {
                    w.extend_from_slice(b"[Payload]");
                }
                at += usize::from(size);
                remaining = remaining.wrapping_sub(u32::from(size));
                left = 0;
            }
            0x01 | 0x02 => {
                if left < 16 {
                    bogus(w);
                    return Ok(false);
                }
                out!(w, "[init tag: {}] ", u32_at(m, at)?);
                out!(w, "[rwnd: {}] ", u32_at(m, at + 4)?);
                out!(w, "[OS: {}] ", u16_at(m, at + 8)?);
                out!(w, "[MIS: {}] ", u16_at(m, at + 10)?);
                out!(w, "[init TSN: {}] ", u32_at(m, at + 12)?);
                at += 16;
                remaining = remaining.wrapping_sub(16);
                left -= 16;
            }
            0x03 => {
                if left < 12 {
                    bogus(w);
                    return Ok(false);
                }
                let cum = u32_at(m, at)?;
                out!(w, "[cum ack {cum}] ");
                out!(w, "[a_rwnd {}] ", u32_at(m, at + 4)?);
                let gaps = u16_at(m, at + 8)?;
                out!(w, "[#gap acks {gaps}] ");
                let dups = u16_at(m, at + 10)?;
                out!(w, "[#dup tsns {dups}] ");
                at += 12;
                remaining = remaining.wrapping_sub(12);
                left -= 12;
                let mut i = 0;
                while left != 0 && i < gaps {
                    if left < 4 {
                        bogus(w);
                        return Ok(false);
                    }
                    let (start, end) = (u16_at(m, at)?, u16_at(m, at + 2)?);
                    out!(
                        w,
                        "\n\t\t[gap ack block #{}: start = {}, end = {}] ",
                        i + 1,
                        cum.wrapping_add(u32::from(start)),
                        cum.wrapping_add(u32::from(end))
                    );
                    at += 4;
                    remaining = remaining.wrapping_sub(4);
                    left -= 4;
                    i += 1;
                }
                let mut i = 0;
                while left != 0 && i < dups {
                    if left < 4 {
                        bogus(w);
                        return Ok(false);
                    }
                    out!(w, "\n\t\t[dup TSN #{}: {}] ", i + 1, u32_at(m, at)?);
                    at += 4;
                    remaining = remaining.wrapping_sub(4);
                    left -= 4;
                    i += 1;
                }
            }
            _ => {}
        }
        at += usize::from(left);
        remaining = remaining.wrapping_sub(u32::from(left));
        if v < 2 {
            sep = ", (";
        }
        if align != 0 {
            if m.len() < at + align as usize {
                return Err(Truncated);
            }
            at += align as usize;
            remaining = remaining.wrapping_sub(align);
        }
    }
    Ok(false)
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object_with_list("chunks", |o, chunks| json_fields(o, chunks, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, chunks: &mut Vec<Value>, m: &[u8]) -> Res<()> {
    o.insert("sport".into(), json!(u16_at(m, 0)?));
    o.insert("dport".into(), json!(u16_at(m, 2)?));
    o.insert("verification_tag".into(), json!(u32_at(m, 4)?));
    o.insert("checksum".into(), json!(u32_at(m, 8)?));
    let (sport, dport) = (u16_at(m, 0)?, u16_at(m, 2)?);
    let mut is_forces = [sport, dport]
        .iter()
        .any(|port| tok(forces::PORTS, *port).is_some());
    let mut at = COMMON_HEADER;
    while at + 4 <= m.len() {
        let (id, flags, len) = (u8_at(m, at)?, u8_at(m, at + 1)?, u16_at(m, at + 2)?);
        let mut chunk = json!({"type": id, "name": tok(CHUNKS, id), "flags": flags, "length": len});
        if id == 0 && len > 16 {
            let ppid = u32_at(m, at + 12)?;
            is_forces |= forces::is_forces_ppid(ppid);
            chunk["ppid"] = json!(ppid);
            let size = usize::from(len) - 16;
            if is_forces {
                chunk["forces"] = forces::json(m, at + 16, size);
            } else if ppid == PPID_M3UA {
                chunk["m3ua"] = m3ua::json(m, at + 16, size);
            }
        }
        chunks.push(chunk);
        if len < 4 {
            return Err(Truncated);
        }
        at += (usize::from(len) + 3) & !3;
    }
    Ok(())
}
