//! Frames that carry neither IP nor ARP, as tcpdump prints them without
//! `-e`: 802.3 frames with their LLC header (`02:00:… > 02:00:… NetBeui
//! Unnumbered, ui, Flags [Command], length 7` and the bytes in hex), the
//! EtherTypes and LLC SAPs of the dissector tables (LLDP, EAPOL, the slow
//! protocols, PTP; STP), and an unknown EtherType with the frame's
//! addresses and payload in hex.

use super::hex;
use crate::decode::llc::{Format, Llc};
use crate::dissect::{self, Payload};
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
    /// The payload's length on the wire: the frame's after the Ethernet
    /// header and its VLAN tags.
    pub wire_len: usize,
    /// For 802.3, the length field capped by the frame on the wire after
    /// the header and its VLAN tags ([`LinkHeader::len_8023`]); `None`
    /// where the link header reader saw no 802.3 frame (more tags than it
    /// follows): the length field alone.
    ///
    /// [`LinkHeader::len_8023`]: crate::decode::link_header::LinkHeader::len_8023
    pub len_8023: Option<usize>,
    /// `-e` printed the link header (addresses, EtherType or `802.3`).
    pub link_shown: bool,
    /// `-x`/`-X` replace tcpdump's hex of an undecoded payload.
    pub hex_suppressed: bool,
    /// The count of `v`s.
    pub verbose: u8,
}

/// What [`write_frame`] printed.
pub(super) struct Done {
    /// The line says it stopped early (`[|llc]`).
    pub said: bool,
    /// How much of the payload tcpdump counts as link header (the LLC
    /// and SNAP headers): its `-x` dump starts after them.
    pub header_len: usize,
    /// The protocol's printer read past the capture (tcpdump's
    /// `longjmp`): the dump starts at the frame's first byte instead.
    pub jumped: bool,
}

impl Done {
    fn after(header_len: usize) -> Option<Done> {
        Some(Done {
            said: false,
            header_len,
            jumped: false,
        })
    }

    /// After a protocol's line that ended with a `longjmp` or not.
    fn after_line(header_len: usize, jumped: Option<bool>) -> Option<Done> {
        Some(Done {
            jumped: jumped == Some(true),
            ..Done::after(header_len)?
        })
    }
}

/// Whether a dissector of ours prints a frame of this EtherType (or 802.3
/// length) and payload.
pub(super) fn has_dissector(ether_type: u16, payload: &[u8]) -> bool {
    if ether_type > 1500 {
        return dissect::ethertype(ether_type).is_some();
    }
    match Llc::new_checked(payload, usize::from(ether_type)) {
        Some(l) => sap_dissector(&l).is_some(),
        None => false,
    }
}

fn sap_dissector(l: &Llc<'_>) -> Option<&'static dissect::Dissector> {
    let (dsap, ssap) = (l.dsap & 0xfe, l.ssap & 0xfe);
    if dsap != ssap || l.control != 0x03 {
        return None;
    }
    match l.snap {
        Some((oui, pid)) => dissect::snap(oui, pid),
        None => dissect::llc_sap(dsap),
    }
}

/// The line for `f`, or `None` when tcpdump would print it some other way
/// (a protocol it decodes and we do not): the caller prints its own.
pub(super) fn write_frame(w: &mut Vec<u8>, f: &Frame<'_>) -> io::Result<Option<Done>> {
    let wire_len = f.wire_len;
    if f.ether_type > 1500
        && let Some(d) = dissect::ethertype(f.ether_type)
    {
        let p = Payload {
            bytes: f.payload,
            declared_len: wire_len,
        };
        if let Some(jumped) = d.write_line_cut(w, &p, f.verbose) {
            return Ok(Done::after_line(0, Some(jumped)));
        }
    }
    match f.ether_type {
        0..=1500 => write_8023(w, f),
        t if super::link::ether_type_known(t) => Ok(None),
        t => {
            // `-e` already named the addresses and the EtherType.
            if !f.link_shown {
                write!(
                    w,
                    "{} > {}, ethertype Unknown (0x{t:04x}), length {}: ",
                    Mac(&f.src),
                    Mac(&f.dst),
                    f.orig_len
                )?;
            }
            write_dump(w, f, f.payload)?;
            Ok(Done::after(0))
        }
    }
}

/// tcpdump's `-X`-style lines after a frame it cannot decode, each on a
/// line of its own (the line's own newline ends the last); left out
/// when `-x`/`-X` dump the packet anyway.
fn write_dump(w: &mut Vec<u8>, f: &Frame<'_>, bytes: &[u8]) -> io::Result<()> {
    if bytes.is_empty() || f.hex_suppressed {
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

fn write_8023(w: &mut Vec<u8>, f: &Frame<'_>) -> io::Result<Option<Done>> {
    let frame_len = f.len_8023.unwrap_or(usize::from(f.ether_type));
    let Some(l) = Llc::new_checked(f.payload, usize::from(f.ether_type)) else {
        w.write_all(b" [|llc]")?;
        return Ok(Some(Done {
            said: true,
            header_len: 0,
            jumped: false,
        }));
    };
    let (src, dst) = (Mac(&f.src), Mac(&f.dst));
    let (dsap, ssap) = (l.dsap & 0xfe, l.ssap & 0xfe);
    let snap_unknown = matches!(l.snap, Some((0, t)) if !super::link::ether_type_known(t));
    // tcpdump hands a UI frame between equal SAPs to that SAP's printer.
    let dissector = sap_dissector(&l);
    if dissector.is_none() && !snap_unknown && (dsap != ssap || sap_has_printer(dsap)) {
        return Ok(None);
    }
    if f.link_shown {
        // `-e`: the LLC header field by field.
        let sap = |s: u8| sap_name(s).unwrap_or("Unknown");
        write!(
            w,
            "LLC, dsap {} (0x{dsap:02x}) {}, ssap {} (0x{ssap:02x}) {}, ctrl 0x{:0width$x}: ",
            sap(dsap),
            if l.dsap & 1 != 0 {
                "Group"
            } else {
                "Individual"
            },
            sap(ssap),
            if l.ssap & 1 != 0 {
                "Response"
            } else {
                "Command"
            },
            l.control,
            width = if matches!(l.format, Format::Unnumbered { .. }) {
                2
            } else {
                4
            },
        )?;
    }
    if let Some(d) = dissector {
        if let (Some((oui, pid)), true) = (l.snap, f.link_shown) {
            // `-e`: the SNAP header after the LLC one.
            let pid_name = match pid {
                0x2000 => "CDP",
                0x010b => "PVST",
                0x0111 => "UDLD",
                0x2003 => "VTP",
                0x2004 => "DTP",
                _ => "VLAN Bridge",
            };
            let len = frame_len.saturating_sub(8);
            write!(
                w,
                "oui Cisco (0x{oui:06x}), pid {pid_name} (0x{pid:04x}), length {len}: "
            )?;
        }
        let p = Payload {
            bytes: l.bytes.get(l.header_len()..).unwrap_or(&[]),
            declared_len: frame_len.saturating_sub(l.header_len()),
        };
        let at = w.len();
        let jumped = d.write_line_cut(w, &p, f.verbose);
        // `-e` prints ISO CLNS frames' NLPID before their text.
        if let (true, Some(&nlpid)) = (f.link_shown && dsap == 0xfe, p.bytes.first()) {
            dissect::isis::with_link_header(w, at, nlpid);
        }
        return Ok(Done::after_line(l.header_len(), jumped));
    }
    if let Some((0, t)) = l.snap.filter(|_| snap_unknown) {
        let len = l.bytes.len().saturating_sub(8);
        if f.link_shown {
            w.write_all(b"oui Ethernet (0x000000), ")?;
        } else {
            write!(w, "{src} > {dst} SNAP, ")?;
        }
        write!(w, "ethertype Unknown (0x{t:04x}), length {len}: ")?;
        write_dump(w, f, l.bytes)?;
        return Ok(Done::after(l.header_len()));
    }
    if !f.link_shown {
        write!(w, "{src} > {dst} ")?;
        match sap_name(dsap) {
            Some(name) => w.write_all(name.as_bytes())?,
            None => write!(w, "Unknown DSAP 0x{dsap:02x}")?,
        }
        w.write_all(b" ")?;
    }
    let (poll, dump) = match l.format {
        Format::Unnumbered { command, poll } => {
            w.write_all(b"Unnumbered, ")?;
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
            write!(w, "Supervisory, {name}, rcv seq {nr}")?;
            (poll, false)
        }
        Format::Information { ns, nr, poll } => {
            write!(w, "Information, send seq {ns}, rcv seq {nr}")?;
            (poll, true)
        }
    };
    let flags = match (l.ssap & 1 != 0, poll) {
        (false, false) => "Command",
        (true, false) => "Response",
        (false, true) => "Poll",
        (true, true) => "Final",
    };
    write!(w, ", Flags [{flags}], length {frame_len}")?;
    if dump {
        write_dump(w, f, l.bytes)?;
    }
    Ok(Done::after(l.header_len()))
}

/// tcpdump's names of the LLC SAPs (bit 0 cleared).
fn sap_name(sap: u8) -> Option<&'static str> {
    Some(match sap {
        0x00 => "Null",
        0x02 => "802.1B I",
        0x04 => "SNA",
        0x06 => "IP",
        0x0e => "ProWay NM",
        0x42 => "STP",
        0x4e => "RS511",
        0x7e => "ISO8208",
        0x8e => "ProWay",
        0xaa => "SNAP",
        0xe0 => "IPX",
        0xf0 => "NetBeui",
        0xfe => "OSI",
        _ => return None,
    })
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
