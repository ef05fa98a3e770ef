//! The ARP line, tcpdump's way: `Request who-has A (MAC) tell B`, `Reply A
//! is-at MAC`, RARP's and InARP's `who-is`/`at`, the hardware and protocol
//! types of anything that is not Ethernet/IPv4, and the hex of an
//! operation nobody defined.

use super::hex;
use crate::decode::arp::ArpView;
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
                put_linkaddr(w, a.target_hw)?;
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
                    Field::SenderHw => put_linkaddr(w, a.sender_hw)?,
                    Field::TargetHw => put_linkaddr(w, a.target_hw)?,
                    Field::SenderProto => proto(w, a.sender_proto)?,
                    Field::TargetProto => proto(w, a.target_proto)?,
                }
                w.write_all(after.as_bytes())?;
            }
        }
        op => {
            // tcpdump dumps what it cannot decode, without a length.
            writeln!(w, "Unknown ({op}) ")?;
            hex::write_hex(w, a.bytes)?;
            w.pop();
            return Ok(false);
        }
    }
    write!(w, ", length {len}")?;
    Ok(false)
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
