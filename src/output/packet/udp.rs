//! The UDP part of a line: `UDP, length N`, a bad length, and the
//! checksum's verdict where tcpdump prints it (IPv4 at `-vv`, IPv6, where
//! the checksum is mandatory, at `-v`). A datagram to or from a port in
//! the dissector table prints that protocol's text instead of the length.

use super::ip::Endpoints;
use crate::decode::checksum::{Checksums, TransportSum};
use crate::dissect::{self, Payload};
use crate::output::fmt::put_num;
use etherparse::UdpSlice;
use std::io::{self, Write};

pub(super) fn write_udp(
    w: &mut Vec<u8>,
    verbose: u8,
    ep: &Endpoints,
    udp: &UdpSlice<'_>,
    sums: Option<&Checksums>,
) -> io::Result<()> {
    let level = if ep.is_v4() { 2 } else { 1 };
    if verbose >= level
        && let Some(sums) = sums
    {
        match sums.transport {
            Some(TransportSum::UdpNone) => w.write_all(b"[no cksum] ")?,
            Some(TransportSum::Udp(v)) if v.is_correct() => w.write_all(b"[udp sum ok] ")?,
            Some(TransportSum::Udp(v)) => write!(
                w,
                "[bad udp cksum 0x{:04x} -> 0x{:04x}!] ",
                v.stored, v.expected
            )?,
            _ => {}
        }
    }
    let len = (udp.length() as usize).saturating_sub(8);
    if udp.length() >= 8
        && let Some(d) = dissect::udp(udp.source_port(), udp.destination_port())
    {
        let p = Payload {
            bytes: udp.payload(),
            declared_len: len,
        };
        if d.write_line(w, &p, verbose) {
            return Ok(());
        }
    }
    w.extend_from_slice(b"UDP, length ");
    put_num(w, len);
    if (udp.length() as usize) < 8 {
        write!(w, " [bad udp length {}]", udp.length())?;
    }
    Ok(())
}
