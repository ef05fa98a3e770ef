//! Frames that carry neither IP nor ARP, as tcpdump prints them without
//! `-e`: 802.3 frames with their LLC header (`02:00:… > 02:00:… NetBeui
//! Unnumbered, ui, Flags [Command], length 7` and the bytes in hex), the
//! EtherTypes whose short form tcpdump prints (LLDP, EAPOL start/logoff,
//! an unknown slow protocol), and an unknown EtherType with the frame's
//! addresses and payload in hex.

use super::hex;
use crate::decode::llc::{self, Format, Llc};
use crate::output::fmt::Mac;
use std::io::{self, Write};

/// What the printer needs of an Ethernet frame without IP or ARP.
pub(super) struct Frame<'a> {
    pub src: [u8; 6],
    pub dst: [u8; 6],
    /// The EtherType field (a length for 802.3).
    pub ether_type: u16,
    /// What follows the Ethernet header, as captured.
    pub payload: &'a [u8],
    /// The frame's length on the wire.
    pub orig_len: usize,
}

/// The line for `f`, or `None` when tcpdump would print it some other way
/// (a protocol it decodes and we do not): the caller prints its own.
/// `Some(true)` when the line says it stopped early (`[|llc]`).
pub(super) fn write_frame(w: &mut Vec<u8>, f: &Frame<'_>) -> io::Result<Option<bool>> {
    let wire_len = f.orig_len.saturating_sub(14);
    match f.ether_type {
        0..=1500 => write_8023(w, f),
        0x88cc => write!(w, "LLDP, length {wire_len}").map(|()| Some(false)),
        0x888e => match llc::first_two(f.payload) {
            Some((version, kind @ (1 | 2))) => {
                let name = if kind == 1 { "start" } else { "logoff" };
                let len = llc::eapol_len(f.payload).unwrap_or(0);
                write!(w, "EAPOL {name} ({kind}) v{version}, len {len}")?;
                Ok(Some(false))
            }
            _ => Ok(None),
        },
        0x8809 => match f.payload.first() {
            Some(&sub) if !(1..=3).contains(&sub) => {
                write!(w, "unknown ({sub}), length {wire_len}")?;
                hex::write_hex_lines(w, f.payload)?;
                Ok(Some(false))
            }
            _ => Ok(None),
        },
        t if super::link::ether_type_known(t) => Ok(None),
        t => {
            write!(
                w,
                "{} > {}, ethertype Unknown (0x{t:04x}), length {}: ",
                Mac(&f.src),
                Mac(&f.dst),
                f.orig_len
            )?;
            write_dump(w, f.payload)?;
            Ok(Some(false))
        }
    }
}

/// tcpdump's `-X`-style lines after a frame it cannot decode, each on a
/// line of its own (the line's own newline ends the last).
fn write_dump(w: &mut Vec<u8>, bytes: &[u8]) -> io::Result<()> {
    if bytes.is_empty() {
        return Ok(());
    }
    w.push(b'\n');
    hex::write_hex(w, bytes)?;
    w.pop();
    Ok(())
}

/// The SAPs tcpdump decodes further (STP, IP, IPX, ISO CLNS, SNAP, the
/// global SAP): not ours to print.
fn sap_has_printer(sap: u8) -> bool {
    matches!(sap, 0x06 | 0x42 | 0xaa | 0xe0 | 0xfe | 0xff)
}

fn write_8023(w: &mut Vec<u8>, f: &Frame<'_>) -> io::Result<Option<bool>> {
    let Some(l) = Llc::new_checked(f.payload, usize::from(f.ether_type)) else {
        w.write_all(b" [|llc]")?;
        return Ok(Some(true));
    };
    let (src, dst) = (Mac(&f.src), Mac(&f.dst));
    if let Some((0, t)) = l.snap
        && !super::link::ether_type_known(t)
    {
        let len = l.bytes.len().saturating_sub(8);
        write!(
            w,
            "{src} > {dst} SNAP, ethertype Unknown (0x{t:04x}), length {len}: "
        )?;
        write_dump(w, l.bytes)?;
        return Ok(Some(false));
    }
    let (dsap, ssap) = (l.dsap & 0xfe, l.ssap & 0xfe);
    if dsap != ssap || sap_has_printer(dsap) {
        return Ok(None);
    }
    write!(w, "{src} > {dst} ")?;
    match dsap {
        0xf0 => w.write_all(b"NetBeui")?,
        0x00 => w.write_all(b"Null")?,
        d => write!(w, "Unknown DSAP 0x{d:02x}")?,
    }
    let (poll, dump) = match l.format {
        Format::Unnumbered { command, poll } => {
            w.write_all(b" Unnumbered, ")?;
            match u_command(command) {
                Some(name) => w.write_all(name.as_bytes())?,
                None => write!(w, "{command:02x}")?,
            }
            // An XID frame is decoded; anything else is dumped.
            (poll, command != 0xaf)
        }
        Format::Supervisory { function, nr, poll } => {
            let name = match function {
                0 => "Receiver Ready",
                1 => "Receiver not Ready",
                2 => "Reject",
                _ => "?",
            };
            write!(w, " Supervisory, {name}, rcv seq {nr}")?;
            (poll, false)
        }
        Format::Information { ns, nr, poll } => {
            write!(w, " Information, send seq {ns}, rcv seq {nr}")?;
            (poll, true)
        }
    };
    let flags = match (l.ssap & 1 != 0, poll) {
        (false, false) => "Command",
        (true, false) => "Response",
        (false, true) => "Poll",
        (true, true) => "Final",
    };
    write!(w, ", Flags [{flags}], length {}", f.ether_type)?;
    if dump {
        write_dump(w, l.bytes)?;
    }
    Ok(Some(false))
}

/// tcpdump's names of the unnumbered commands (poll bit cleared).
fn u_command(c: u8) -> Option<&'static str> {
    Some(match c {
        0x03 => "ui",
        0x0f => "dm",
        0x43 => "disc",
        0x63 => "ua",
        0x6f => "sabme",
        0x87 => "frmr",
        0xaf => "xid",
        0xe3 => "test",
        _ => return None,
    })
}
