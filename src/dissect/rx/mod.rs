//! AFS's Rx (UDP 7000-7009) as tcpdump 4.99.3 prints it. Every packet:
//! ` rx TYPE` (`data`, `ack`, …, `type 11`), at `-v` ` seq N ser N`, at
//! `-vv` first ` cid %08x call# N` and after them the flags that apply
//! to the type (`<client-init>,<last-pckt>`), at `-vvv` also ` secindex
//! N serviceid N`; then what the packet carries (below); then ` (LEN)`.
//! A header the capture cut is ` [|rx] (LEN)`.
//!
//! - The first data packet of a call (sequence 1, client-init) is entered
//!   in tcpdump's call table ([`calls`]) and, to a service's port, printed
//!   as ` fs call NAME` and its arguments: the file server 7000 ([`fs`]),
//!   the callback service 7001 ([`cb`]), the protection 7002 ([`pt`]),
//!   volume location 7003 ([`vldb`]) and Kerberos 7004 ([`kauth`])
//!   databases with Ubik's opcodes inside them ([`ubik`]), the volume
//!   server 7005 ([`vol`]) and the basic overseer 7007 ([`bos`]).
//! - The first data packet of a reply, or an abort, from the server whose
//!   call is in the table: ` fs reply NAME` and its results or error.
//! - An acknowledgement: its first packet, serial and reason, the acked
//!   and nacked ranges, at `-vv` the MTUs and windows after them ([`ack`]).
//!
//! tcpdump's `GET_` macros `longjmp` where the capture ends (` [|rx]`,
//! no length after it; the dump starts at the frame), its own checks
//! print the service's mark (` [|fs]`, ` [|ack]`, …) and go on to the
//! length ([`args`]).

mod ack;
mod acl;
mod args;
mod bos;
mod calls;
mod cb;
mod fs;
mod kauth;
mod pt;
mod ubik;
mod vldb;
mod vol;

use super::ctl::{json_object, line_is_level_0, out};
use super::wire::{Res, u8_at, u16_at, u32_at};
use super::{Dissector, Payload};
use serde_json::{Value, json};

pub use calls::forget;

pub static RX: Dissector = Dissector {
    name: "rx",
    json_key: "rx",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| m.len() >= HEADER,
};

/// tcpdump's Rx ports, the file server's first.
pub const PORTS: std::ops::RangeInclusive<u16> = 7000..=7009;
pub const FS_PORT: u16 = 7000;

/// Whether a datagram between these ports is printed with state from
/// other packets (the call table): `read --threads` keeps them on one
/// worker, in file order.
pub fn shares_state(sport: u16, dport: u16) -> bool {
    PORTS.contains(&sport) || PORTS.contains(&dport)
}

/// The Rx header: epoch, connection id, call number, sequence, serial,
/// type, flags, user status, security index, spare, service id.
const HEADER: usize = 28;
const CID: usize = 4;
const CALL: usize = 8;
const SEQ: usize = 12;
const SERIAL: usize = 16;
const TYPE: usize = 20;
const FLAGS: usize = 21;
const SECURITY: usize = 23;
const SERVICE: usize = 26;

const DATA: u8 = 1;
const ACK: u8 = 2;
const ABORT: u8 = 4;

const TYPES: &[(u8, &str)] = &[
    (DATA, "data"),
    (ACK, "ack"),
    (3, "busy"),
    (ABORT, "abort"),
    (5, "ackall"),
    (6, "challenge"),
    (7, "response"),
    (8, "debug"),
    (9, "params"),
    (13, "version"),
];

const CLIENT_INITIATED: u8 = 1;

/// The flags tcpdump names, with the one type each is for (0: any).
const FLAG_NAMES: &[(u8, u8, &str)] = &[
    (CLIENT_INITIATED, 0, "client-init"),
    (2, 0, "req-ack"),
    (4, 0, "last-pckt"),
    (8, 0, "more-pckts"),
    (16, 0, "free-pckt"),
    (32, ACK, "slow-start"),
    (32, DATA, "jumbogram"),
];

/// The service tcpdump decodes on an Rx port (none on 7006, 7008, 7009).
fn service(port: u16) -> Option<&'static args::Service> {
    Some(match port {
        FS_PORT => &fs::FS,
        7001 => &cb::CB,
        7002 => &pt::PT,
        7003 => &vldb::VLDB,
        7004 => &kauth::KAUTH,
        7005 => &vol::VOL,
        7007 => &bos::BOS,
        _ => return None,
    })
}

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let (m, len) = (p.bytes, p.declared_len);
    if m.len() < HEADER {
        out!(w, " [|rx] ({len})");
        return Ok(());
    }
    let (kind, flags) = (u8_at(m, TYPE)?, u8_at(m, FLAGS)?);
    match TYPES.iter().find(|(t, _)| *t == kind) {
        Some((_, name)) => out!(w, " rx {name}"),
        None => out!(w, " rx type {kind}"),
    }
    if v > 0 {
        header_fields(w, m, v, kind, flags)?;
    }
    let seq = u32_at(m, SEQ)?;
    let ports = super::peers::current().map(|p| p.ports);
    let (sport, dport) = ports.unwrap_or((0, FS_PORT));
    if kind == DATA && seq == 1 && flags & CLIENT_INITIATED != 0 {
        calls::enter(m, dport);
        if let Some(s) = service(dport) {
            s.call(w, m, len)?;
        }
    } else if (kind == DATA && seq == 1 || kind == ABORT)
        && flags & CLIENT_INITIATED == 0
        && let Some(op) = calls::find(m, sport)
    {
        if let Some(s) = service(sport) {
            s.reply(w, m, len, op)?;
        }
    } else if kind == ACK {
        ack::print(w, m, len, v)?;
    }
    out!(w, " ({len})");
    Ok(())
}

/// The header's numbers and flags at `-v` and above.
fn header_fields(w: &mut Vec<u8>, m: &[u8], v: u8, kind: u8, flags: u8) -> Res<()> {
    if v > 1 {
        out!(w, " cid {:08x} call# {}", u32_at(m, CID)?, u32_at(m, CALL)?);
    }
    out!(w, " seq {} ser {}", u32_at(m, SEQ)?, u32_at(m, SERIAL)?);
    if v > 2 {
        out!(
            w,
            " secindex {} serviceid {}",
            u8_at(m, SECURITY)?,
            u16_at(m, SERVICE)?
        );
    }
    if v > 1 {
        let mut sep = b' ';
        for (bit, only, name) in FLAG_NAMES {
            if flags & bit != 0 && (*only == 0 || *only == kind) {
                w.push(sep);
                out!(w, "<{name}>");
                sep = b',';
            }
        }
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| {
        let m = p.bytes;
        o.insert("epoch".into(), json!(u32_at(m, 0)?));
        o.insert("cid".into(), json!(u32_at(m, CID)?));
        o.insert("call".into(), json!(u32_at(m, CALL)?));
        o.insert("seq".into(), json!(u32_at(m, SEQ)?));
        o.insert("serial".into(), json!(u32_at(m, SERIAL)?));
        let kind = u8_at(m, TYPE)?;
        o.insert("type".into(), json!(kind));
        let name = TYPES.iter().find(|(t, _)| *t == kind).map(|(_, n)| *n);
        o.insert("type_name".into(), json!(name));
        o.insert("flags".into(), json!(u8_at(m, FLAGS)?));
        o.insert("security_index".into(), json!(u8_at(m, SECURITY)?));
        o.insert("service_id".into(), json!(u16_at(m, SERVICE)?));
        if kind == DATA && u32_at(m, SEQ)? == 1 && u8_at(m, FLAGS)? & CLIENT_INITIATED != 0 {
            let op = u32_at(m, HEADER)?;
            o.insert("opcode".into(), json!(op));
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(kind: u8, flags: u8, seq: u32) -> Vec<u8> {
        let mut m = vec![0, 0, 0, 1, 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 9];
        m.extend_from_slice(&seq.to_be_bytes());
        m.extend_from_slice(&[0, 0, 0, 5, kind, flags, 0, 2, 0, 0, 0, 1]);
        m
    }

    #[test]
    fn test_header_line() {
        let m = header(7, 0x27, 3);
        assert_eq!(RX.printed(&m, 0), " rx response (28)");
        assert_eq!(RX.printed(&m, 1), " rx response seq 3 ser 5 (28)");
        assert_eq!(
            RX.printed(&m, 3),
            " rx response cid 12345678 call# 9 seq 3 ser 5 secindex 2 serviceid 1 \
             <client-init>,<req-ack>,<last-pckt> (28)"
        );
        assert_eq!(RX.printed(&header(11, 0, 0), 0), " rx type 11 (28)");
    }

    #[test]
    fn test_truncated() {
        assert_eq!(RX.printed(&header(1, 0, 1)[..27], 0), " [|rx] (27)");
    }
}
