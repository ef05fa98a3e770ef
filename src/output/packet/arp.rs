//! The ARP line, tcpdump's way: `Request who-has A (MAC) tell B`, `Reply A
//! is-at MAC`, RARP's and InARP's `who-is`/`at`, the hardware and protocol
//! types of anything that is not Ethernet/IPv4, and the hex of an
//! operation nobody defined.

use super::hex;
use crate::decode::arp::{self, ArpView, AtmArpView};
use std::io::{self, Write};
use std::net::Ipv4Addr;

/// `bytes`: the ARP packet as captured; `len`: its length on the wire
/// (padding included, as tcpdump counts it). Returns `true` when the
/// line says why it stopped (` [|arp]`).
pub(super) fn write_arp(
    w: &mut Vec<u8>,
    bytes: &[u8],
    len: usize,
    verbose: bool,
    link_shown: bool,
) -> io::Result<bool> {
    if arp::hw_type(bytes) == Some(arp::ATM_HW) {
        return write_atm_arp(w, bytes, len, verbose, link_shown);
    }
    let Some(a) = ArpView::new_checked(bytes) else {
        return w.write_all(b" [|arp]").map(|()| true);
    };
    // After `-e`'s link header tcpdump leaves the protocol's name out.
    if !link_shown {
        w.write_all(b"ARP, ")?;
    }
    // tcpdump takes Trailer's EtherType (0x1000) for IPv4 too.
    let ip_type = matches!(a.proto_type, 0x0800 | 0x1000);
    let ipv4 = ip_type && a.sender_proto.len() == 4;
    if !ipv4 || a.sender_hw.is_empty() || verbose {
        write!(w, "{} (len {}), ", hw_name(a.hw_type), a.sender_hw.len())?;
        match proto_name(a.proto_type) {
            Some(name) => w.write_all(name.as_bytes())?,
            None => write!(w, "Unknown Protocol (0x{:04x})", a.proto_type)?,
        }
        write!(w, " (len {})", a.sender_proto.len())?;
        if !verbose {
            return write!(w, ", length {len}").map(|()| false);
        }
        w.write_all(b", ")?;
    }
    let proto = |w: &mut Vec<u8>, addr: &[u8]| -> io::Result<()> {
        match <[u8; 4]>::try_from(addr) {
            _ if !ip_type => w.write_all(b"<wrong proto type>"),
            Ok(v4) => write!(w, "{}", Ipv4Addr::from(v4)),
            Err(_) => w.write_all(b"<wrong len>"),
        }
    };
    match a.operation {
        1 => {
            w.write_all(b"Request who-has ")?;
            proto(w, a.target_proto)?;
            if a.target_hw.iter().any(|&b| b != 0) {
                w.write_all(b" (")?;
                put_hw(w, a.hw_type, a.target_hw)?;
                w.write_all(b")")?;
            }
            w.write_all(b" tell ")?;
            proto(w, a.sender_proto)?;
        }
        op if op_words(op).is_some() => {
            let (lead, first, mid, second) = op_words(op).unwrap_or_default();
            w.write_all(lead.as_bytes())?;
            for (field, after) in [(first, mid), (second, "")] {
                match field {
                    Field::SenderHw => put_hw(w, a.hw_type, a.sender_hw)?,
                    Field::TargetHw => put_hw(w, a.hw_type, a.target_hw)?,
                    Field::SenderProto => proto(w, a.sender_proto)?,
                    Field::TargetProto => proto(w, a.target_proto)?,
                }
                w.write_all(after.as_bytes())?;
            }
        }
        // NACK is ATM ARP's: here it is named, then dumped.
        op => return write_undecoded_op(w, op, a.bytes),
    }
    write!(w, ", length {len}")?;
    Ok(false)
}

/// An ATM ARP packet (RFC 2225) as tcpdump's ATM ARP printer words it:
/// both protocol address lengths (`ATM, IPv4 (len 4/4)`), ATM numbers
/// with their subaddresses (`47:00:…,01:02`, `<No address>`), and its
/// own words for a protocol address of another length (`<wrong tplen>`).
fn write_atm_arp(
    w: &mut Vec<u8>,
    bytes: &[u8],
    len: usize,
    verbose: bool,
    link_shown: bool,
) -> io::Result<bool> {
    let Some(a) = AtmArpView::new_checked(bytes) else {
        return w.write_all(b" [|arp]").map(|()| true);
    };
    if !link_shown {
        w.write_all(b"ARP, ")?;
    }
    let ip_type = matches!(a.proto_type, 0x0800 | 0x1000);
    if !ip_type || a.sender_proto.len() != 4 || a.target_proto.len() != 4 || verbose {
        w.write_all(hw_name(a.hw_type).as_bytes())?;
        w.write_all(b", ")?;
        match proto_name(a.proto_type) {
            Some(name) => w.write_all(name.as_bytes())?,
            None => write!(w, "Unknown Protocol (0x{:04x})", a.proto_type)?,
        }
        write!(
            w,
            " (len {}/{})",
            a.sender_proto.len(),
            a.target_proto.len()
        )?;
        if !verbose {
            return write!(w, ", length {len}").map(|()| false);
        }
        w.write_all(b", ")?;
    }
    let proto = |w: &mut Vec<u8>, addr: &[u8], wrong: &str| -> io::Result<()> {
        match <[u8; 4]>::try_from(addr) {
            _ if !ip_type => w.write_all(b"<wrong proto type>"),
            Ok(v4) => write!(w, "{}", Ipv4Addr::from(v4)),
            Err(_) => w.write_all(wrong.as_bytes()),
        }
    };
    let atm = |w: &mut Vec<u8>, number: &[u8], sub: &[u8]| -> io::Result<()> {
        if number.is_empty() {
            return w.write_all(b"<No address>");
        }
        put_linkaddr(w, number)?;
        if !sub.is_empty() {
            w.push(b',');
            put_linkaddr(w, sub)?;
        }
        Ok(())
    };
    let (sender, target) = (
        (a.sender_number, a.sender_sub),
        (a.target_number, a.target_sub),
    );
    match a.operation {
        1 => {
            w.write_all(b"Request who-has ")?;
            proto(w, a.target_proto, "<wrong tplen>")?;
            if !a.target_number.is_empty() {
                w.write_all(b" (")?;
                atm(w, target.0, target.1)?;
                w.write_all(b")")?;
            }
            w.write_all(b" tell ")?;
            proto(w, a.sender_proto, "<wrong splen>")?;
        }
        2 => {
            w.write_all(b"Reply ")?;
            proto(w, a.sender_proto, "<wrong splen>")?;
            w.write_all(b" is-at ")?;
            atm(w, sender.0, sender.1)?;
        }
        8 => {
            w.write_all(b"Inverse Request who-is ")?;
            atm(w, target.0, target.1)?;
            w.write_all(b" tell ")?;
            atm(w, sender.0, sender.1)?;
        }
        9 => {
            // tcpdump writes no space before `at` here.
            w.write_all(b"Inverse Reply ")?;
            atm(w, sender.0, sender.1)?;
            w.write_all(b"at ")?;
            proto(w, a.sender_proto, "<wrong splen>")?;
        }
        10 => {
            w.write_all(b"NACK Reply for ")?;
            proto(w, a.sender_proto, "<wrong splen>")?;
        }
        op => return write_undecoded_op(w, op, a.bytes),
    }
    write!(w, ", length {len}")?;
    Ok(false)
}

/// An operation tcpdump does not decode: its name, then the packet in
/// hex to the end of the capture, without a length.
fn write_undecoded_op(w: &mut Vec<u8>, op: u16, bytes: &[u8]) -> io::Result<bool> {
    writeln!(w, "{} ", op_name(op))?;
    hex::write_hex(w, bytes)?;
    w.pop();
    Ok(false)
}

/// tcpdump's names of ARP operations (`Unknown (N)` for the others).
fn op_name(op: u16) -> String {
    match op {
        1 => "Request".into(),
        2 => "Reply".into(),
        3 => "Reverse Request".into(),
        4 => "Reverse Reply".into(),
        8 => "Inverse Request".into(),
        9 => "Inverse Reply".into(),
        10 => "NACK Reply".into(),
        _ => format!("Unknown ({op})"),
    }
}

/// Which address of an ARP packet a line names.
#[derive(Clone, Copy, Default)]
enum Field {
    #[default]
    SenderHw,
    TargetHw,
    SenderProto,
    TargetProto,
}

/// tcpdump's words for the operations after a request: what comes
/// first, the first address, the word between, the second address.
fn op_words(op: u16) -> Option<(&'static str, Field, &'static str, Field)> {
    use Field::*;
    Some(match op {
        2 => ("Reply ", SenderProto, " is-at ", SenderHw),
        3 => ("Reverse Request who-is ", TargetHw, " tell ", SenderHw),
        8 => ("Inverse Request who-is ", TargetHw, " tell ", SenderHw),
        4 => ("Reverse Reply ", TargetHw, " at ", TargetProto),
        9 => ("Inverse Reply ", SenderHw, " at ", SenderProto),
        _ => return None,
    })
}

/// An ARP packet's hardware address as tcpdump's `linkaddr_string`
/// writes it: Frame Relay's (type 15) as the Q.922 address's DLCI
/// (`DLCI 130`, `<Invalid DLCI>` when it is none, `<Truncated>` when the
/// address's length ends before its last byte), none as `<empty>`, others
/// as colon-separated hex bytes.
fn put_hw(w: &mut Vec<u8>, hw_type: u16, addr: &[u8]) -> io::Result<()> {
    if addr.is_empty() {
        return w.write_all(b"<empty>");
    }
    if hw_type == 15 {
        return match crate::decode::link_more::q922(addr) {
            Ok((dlci, ..)) => write!(w, "DLCI {dlci}"),
            Err(crate::decode::link_more::Fr::Cut) => w.write_all(b"<Truncated>"),
            Err(_) => w.write_all(b"<Invalid DLCI>"),
        };
    }
    put_linkaddr(w, addr)
}

/// A hardware address as colon-separated hex bytes (a MAC for Ethernet).
fn put_linkaddr(w: &mut Vec<u8>, addr: &[u8]) -> io::Result<()> {
    for (i, b) in addr.iter().enumerate() {
        if i > 0 {
            w.push(b':');
        }
        write!(w, "{b:02x}")?;
    }
    Ok(())
}

/// tcpdump's names for ARP hardware types (its `arphrd_values`: types
/// 2 to 5 and 16 have no name there). Type 19, ATM (RFC 2225), has its
/// own printer in tcpdump (`ARP, ATM, IPv4 (len 0/0)`), not this one.
fn hw_name(t: u16) -> String {
    let name = match t {
        1 => "Ethernet",
        6 => "TokenRing",
        7 => "ArcNet",
        15 => "FrameRelay",
        19 => "ATM",
        23 => "Strip",
        24 => "IEEE 1394",
        32 => "InfiniBand",
        _ => return format!("Unknown Hardware ({t})"),
    };
    name.to_string()
}

/// tcpdump's names for the EtherTypes an ARP packet may resolve.
fn proto_name(t: u16) -> Option<&'static str> {
    crate::decode::names::ether_type(t)
}
